import "server-only";
import type { OperationSummary, OperationView } from "../../stop-all-host/wire";
import { summarize } from "../../stop-all/report";
import { foldStored } from "./fold";
import { openFollowerTail } from "./follower-tail";
import type { OperationMessage } from "./live-operation";
import type { ServiceContext } from "./service-context";

export const HISTORY_LIMIT = 50;

/** One operation as this replica sees it: driven here (with any journal problem), followed, or read from the journal. */
export async function viewOf(ctx: ServiceContext, id: string): Promise<OperationView | undefined> {
  const here = ctx.driven.get(id);
  if (here) {
    const problem = here.journalProblem();
    return problem ? { ...here.live.view(), journalProblem: problem } : here.live.view();
  }
  const tail = await ctx.tails.get(id);
  if (tail) return tail.view();
  const stored = await ctx.journal.load(id);
  if (!stored) return undefined;
  const { state, seq } = foldStored(stored);
  return { ...stored.info, seq, state, serverNow: ctx.clock.now() };
}

/** The fleet's running operation, else its latest one. */
export async function currentView(ctx: ServiceContext): Promise<OperationView | undefined> {
  const { journal, deps } = ctx;
  const [running] = await journal.running(deps.fleetKey);
  const id = running?.id ?? (await journal.recent(deps.fleetKey, 1))[0]?.info.id;
  return id ? viewOf(ctx, id) : undefined;
}

/** The fleet's newest operations, newest first; one driven here shows its live state. */
export async function recentSummaries(ctx: ServiceContext, limit: number): Promise<OperationSummary[]> {
  const entries = await ctx.journal.recent(ctx.deps.fleetKey, limit);
  return entries.map(({ info, state: stored }) => {
    const state = ctx.driven.get(info.id)?.live.operation.getState() ?? stored;
    return { id: info.id, actor: info.actor, reason: info.reason, startedAt: info.startedAt, finishedAt: state.finishedAt, phase: state.phase, targets: state.targets.length, summary: summarize(state) };
  });
}

/**
 * Streams one operation to `send`: a snapshot (or, when driven here, the
 * events after `afterSeq`), then its events. Another replica's operation is
 * followed through a tail. Undefined when unknown.
 */
export async function watchOperation(ctx: ServiceContext, id: string, afterSeq: number | undefined, send: (message: OperationMessage) => void): Promise<(() => void) | undefined> {
  const here = ctx.driven.get(id);
  if (here) {
    const missed = afterSeq === undefined ? undefined : here.live.eventsAfter(afterSeq);
    if (missed) for (const event of missed) send({ kind: "event", event });
    else send({ kind: "snapshot", view: here.live.view() });
    return here.live.watch(send);
  }
  if (!ctx.tails.has(id)) ctx.tails.set(id, openFollowerTail(ctx.journal, id, ctx.clock));
  const tail = await ctx.tails.get(id);
  const view = tail?.view();
  if (!tail || !view) return undefined;
  send({ kind: "snapshot", view });
  return tail.watch(send);
}
