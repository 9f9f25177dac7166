import "server-only";
import type { PlatformClient } from "../../platform/client";
import type { ActionRequest, OperationInfo, OperationSummary, OperationView, StartRequest } from "../../stop-all-host/wire";
import { startStopAll, resumeStopAll, type StopAllOperation } from "../../stop-all/orchestrator";
import { resolveOptions, type StopAllOptions } from "../../stop-all/options";
import { summarize } from "../../stop-all/report";
import { targetOf } from "../../stop-all/targets";
import { applyEvent, initialState } from "../../stop-all/transitions";
import type { StopAllState } from "../../stop-all/types";
import type { Clock } from "../../time/clock";
import type { OperationJournal, StoredOperation } from "./journal";
import { createLiveOperation, type LiveOperation, type OperationMessage } from "./live-operation";
import { recheckTargets } from "./recheck-targets";
import type { ServerFleet } from "./server-fleet";

/** What a start, an action or a read came to, as the route answers it. */
export type ServiceAnswer<T> = { status: number; body: T } | { status: number; error: string; body?: unknown };

export interface OperationServiceDeps {
  /** The fleet this service owns the operation of (one platform per server). */
  fleetKey: string;
  journal: OperationJournal;
  fleet: ServerFleet;
  client: PlatformClient;
  clock: Clock;
  options?: StopAllOptions;
  newId?: () => string;
}

export const HISTORY_LIMIT = 50;

/** The state after folding a stored operation's events onto its base. */
export function foldStored(stored: StoredOperation): { state: StopAllState; seq: number } {
  let state = stored.base.state;
  let seq = stored.base.seq;
  for (const { seq: at, event } of stored.events) {
    state = applyEvent(state, event);
    seq = at;
  }
  return { state, seq };
}

/** What the service's functions share: its dependencies, the fleet's latest operation, the fast polls it holds. */
interface ServiceState {
  deps: OperationServiceDeps;
  newId: () => string;
  latest: LiveOperation | undefined;
  stopPolling: Map<string, () => void>;
}

function track(ctx: ServiceState, live: LiveOperation): LiveOperation {
  if (ctx.latest && ctx.latest !== live) ctx.latest.dispose();
  ctx.latest = live;
  if (live.operation.getState().phase !== "finished") ctx.stopPolling.set(live.id, ctx.deps.fleet.pollFast());
  return live;
}

function finishedHandler(ctx: ServiceState): (live: LiveOperation) => void {
  return (live) => {
    ctx.stopPolling.get(live.id)?.();
    ctx.stopPolling.delete(live.id);
  };
}

function host(ctx: ServiceState, info: OperationInfo, operation: StopAllOperation, baseSeq: number): LiveOperation {
  const { journal, clock } = ctx.deps;
  const live = createLiveOperation({ info, operation, journal, clock, baseSeq, onFinished: finishedHandler(ctx) });
  // Synchronously, before any request can leave the process: what construction already did (a first look that
  // saw drains, restarts a resume sends at once) becomes the journal's base.
  journal.rebase(info.id, baseSeq, operation.getState());
  if (operation.getState().phase === "finished") journal.finish(info.id, baseSeq, operation.getState());
  return track(ctx, live);
}

function initialStateOf(deps: OperationServiceDeps, input: Parameters<typeof startStopAll>[0]): StopAllState {
  // The journal's first base, as startStopAll makes it; host() replaces it with the started operation's own.
  const seeds = input.targets.map((workspace) => ({ workspaceId: workspace.id, name: workspace.name, protocol: workspace.protocol }));
  const now = deps.clock.now();
  return initialState(seeds, now, now + resolveOptions(deps.options).deadlineMs);
}

const latestRunning = (ctx: ServiceState) => (ctx.latest && ctx.latest.operation.getState().phase !== "finished" ? ctx.latest : undefined);

async function startChecked(ctx: ServiceState, request: StartRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
  const { deps } = ctx;
  const running = latestRunning(ctx);
  if (running) return { status: 409, error: "a Stop All is already running for this fleet", body: running.view() };
  try {
    await deps.fleet.refresh();
  } catch (error) {
    if (!deps.fleet.loaded()) return { status: 503, error: `the platform's workspaces cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  const checked = recheckTargets(request.targets, deps.fleet.workspaces());
  if (!checked.ok) return { status: 400, error: checked.error };
  if (checked.targets.length === 0) return { status: 422, error: "none of the confirmed workspaces is still busy", body: { leftOut: checked.leftOut } };
  const startedAt = deps.clock.now();
  const info: OperationInfo = { id: ctx.newId(), fleet: deps.fleetKey, actor, reason: request.reason?.trim() ?? "", startedAt, leftOut: checked.leftOut, actions: [] };
  const input = { targets: checked.targets, client: deps.client, fleet: deps.fleet.view, clock: deps.clock, options: deps.options };
  const began = deps.journal.begin(info, initialStateOf(deps, input));
  if (!began.ok) return { status: 409, error: "a Stop All is already running for this fleet", body: viewOf(ctx, began.runningId) };
  return { status: 201, body: host(ctx, info, startStopAll(input), 0).view() };
}

function viewOf(ctx: ServiceState, id: string): OperationView | undefined {
  if (ctx.latest?.id === id) return ctx.latest.view();
  const stored = ctx.deps.journal.load(id);
  if (!stored) return undefined;
  const { state, seq } = foldStored(stored);
  return { ...stored.info, seq, state };
}

function act(ctx: ServiceState, id: string, request: ActionRequest, actor: string): ServiceAnswer<OperationView> {
  const { deps } = ctx;
  const live = ctx.latest;
  if (!live || live.id !== id) {
    return viewOf(ctx, id) ? { status: 409, error: "only the fleet's latest Stop All can be steered" } : { status: 404, error: "no such Stop All" };
  }
  const { workspaceId } = request;
  if (workspaceId !== undefined && !targetOf(live.operation.getState(), workspaceId)) return { status: 400, error: `${JSON.stringify(workspaceId)} is not a target of this Stop All` };
  if (request.action === "retry" && live.operation.getState().phase === "finished") {
    const reopened = deps.journal.reopen(id);
    if (!reopened.ok) return { status: 409, error: "another Stop All is running for this fleet", body: viewOf(ctx, reopened.runningId) };
    ctx.stopPolling.set(id, deps.fleet.pollFast());
  }
  live.recordAction({ at: deps.clock.now(), actor, action: request.action, ...(workspaceId === undefined ? {} : { workspaceId }) });
  if (request.action === "restart-now") live.operation.restartNow(workspaceId);
  else if (request.action === "keep") live.operation.keep(workspaceId);
  else live.operation.retryRestart(workspaceId);
  return { status: 200, body: live.view() };
}

function watch(ctx: ServiceState, id: string, afterSeq: number | undefined, send: (message: OperationMessage) => void): (() => void) | undefined {
  const { latest } = ctx;
  if (latest?.id === id) {
    const missed = afterSeq === undefined ? undefined : latest.eventsAfter(afterSeq);
    if (missed) for (const event of missed) send({ kind: "event", event });
    else send({ kind: "snapshot", view: latest.view() });
    return latest.watch(send);
  }
  const view = viewOf(ctx, id);
  if (!view) return undefined;
  send({ kind: "snapshot", view });
  return () => {};
}

/**
 * How far a resumed operation's event numbers jump past the journal's last
 * one. A page may have seen events the dead process never journaled (they
 * are written in 25 ms batches); numbering on from the journal would reuse
 * those numbers for other events, and such a page would fold the new ones
 * onto a state they do not fit. Past the jump, its Last-Event-ID is behind
 * the new base: it gets a snapshot.
 */
export const RESUME_SEQ_JUMP = 1_000_000;

function resumeFrom(deps: OperationServiceDeps, stored: StoredOperation): { operation: StopAllOperation; seq: number } {
  const { state, seq } = foldStored(stored);
  return { operation: resumeStopAll({ saved: state, client: deps.client, fleet: deps.fleet.view, clock: deps.clock, options: deps.options }), seq: seq + RESUME_SEQ_JUMP };
}

/**
 * Carries on what the journal says was running when this process last
 * stopped, and hosts the latest finished one otherwise (for its report and
 * retries). Waits for the fleet's rows first: before they load, every
 * target would look removed.
 */
async function resume(ctx: ServiceState): Promise<void> {
  const { deps } = ctx;
  await deps.fleet.refresh();
  for (const id of deps.journal.running(deps.fleetKey)) {
    const stored = deps.journal.load(id);
    if (!stored) continue;
    const { operation, seq } = resumeFrom(deps, stored);
    host(ctx, stored.info, operation, seq);
  }
  if (ctx.latest) return;
  const [newest] = deps.journal.recent(deps.fleetKey, 1);
  const stored = newest && deps.journal.load(newest.info.id);
  if (!stored) return;
  const { operation, seq } = resumeFrom(deps, stored);
  track(ctx, createLiveOperation({ info: stored.info, operation, journal: deps.journal, clock: deps.clock, baseSeq: seq, onFinished: finishedHandler(ctx) }));
}

function recent(ctx: ServiceState, limit: number): { view: OperationView; summary: OperationSummary }[] {
  const { latest } = ctx;
  return ctx.deps.journal.recent(ctx.deps.fleetKey, limit).map(({ info, state: stored }) => {
    const state = latest?.id === info.id ? latest.operation.getState() : stored;
    const view = latest?.id === info.id ? latest.view() : { ...info, seq: 0, state };
    return { view, summary: { id: info.id, actor: info.actor, reason: info.reason, startedAt: info.startedAt, finishedAt: state.finishedAt, phase: state.phase, targets: state.targets.length, summary: summarize(state) } };
  });
}

/**
 * Stop All in live mode, owned by the canvas server: at most one operation
 * per fleet whoever starts it, run with the core (lib/stop-all) on the
 * server's clock and platform client, journaled as it goes, and carried on
 * after a restart of the server (`resume`). Browsers start it, watch it and
 * steer it through /api/stop-all.
 */
export function createOperationService(deps: OperationServiceDeps) {
  const ctx: ServiceState = { deps, newId: deps.newId ?? (() => crypto.randomUUID()), latest: undefined, stopPolling: new Map() };
  let starting: Promise<unknown> | undefined;
  return {
    /** Starts an operation on the confirmed ids that are still targets (201), or joins the running one (409). */
    async start(request: StartRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
      // One start at a time in this process: a second click waits and then sees the first's operation.
      const previous = starting;
      const run = (async () => {
        await previous?.catch(() => {});
        return startChecked(ctx, request, actor);
      })();
      starting = run;
      return run;
    },
    act: (id: string, request: ActionRequest, actor: string) => act(ctx, id, request, actor),
    /** The running operation, else the latest one. */
    current: (): OperationView | undefined => ctx.latest?.view() ?? recent(ctx, 1)[0]?.view,
    view: (id: string) => viewOf(ctx, id),
    recent: (limit = HISTORY_LIMIT) => recent(ctx, limit).map((entry) => entry.summary),
    /** Streams one operation: a snapshot (or the events after `afterSeq`), then its events. Undefined when unknown. */
    watch: (id: string, afterSeq: number | undefined, send: (message: OperationMessage) => void) => watch(ctx, id, afterSeq, send),
    resume: () => resume(ctx),
    dispose(): void {
      ctx.latest?.dispose();
      ctx.latest = undefined;
      for (const release of ctx.stopPolling.values()) release();
      ctx.stopPolling.clear();
    },
  };
}

export type OperationService = ReturnType<typeof createOperationService>;
