import "server-only";
import type { ActionRequest, OperationView } from "../../stop-all-host/wire";
import { targetOf } from "../../stop-all/targets";
import { mayResume } from "../../stop-all/transitions";
import { drive, type Driven } from "./driver";
import { foldStored } from "./fold";
import { adopt, type ServiceAnswer, type ServiceContext } from "./service-context";
import { LEASE_MS } from "./lease";
import { viewOf } from "./service-read";

/** How long a replica that does not drive an operation waits for the driver to take an action. */
export const ACTION_WAIT_MS = 3000;

/**
 * An operator's action on the fleet's latest operation: applied here when
 * this replica drives it (or hosts it finished; a retry re-opens it), else
 * queued for the replica that drives it.
 */
export async function steerOperation(ctx: ServiceContext, id: string, request: ActionRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
  const view = await viewOf(ctx, id);
  if (!view) return { status: 404, error: "no such Stop All" };
  const [latest] = await ctx.journal.recent(ctx.deps.fleetKey, 1);
  if (latest?.info.id !== id) return { status: 409, error: "only the fleet's latest Stop All can be steered" };
  const { workspaceId } = request;
  if (workspaceId !== undefined && !targetOf(view.state, workspaceId)) return { status: 400, error: `${JSON.stringify(workspaceId)} is not a target of this Stop All` };
  if (request.action === "resume-held") {
    if (view.state.phase !== "finished" && view.state.phase !== "resuming") return { status: 409, error: "Resume held once this Stop All has ended" };
    // Nothing (left) to resume: safe to press twice, and nothing re-opens.
    if (!view.state.targets.some(mayResume)) return { status: 200, body: view };
  }
  const reopens = request.action === "retry" || request.action === "resume-held";
  const here = ctx.driven.get(id);
  if (!here && view.state.phase === "finished") {
    // Nothing is open to restart now or keep; a retry or a resume re-opens it here.
    if (!reopens) return { status: 200, body: view };
    return retryHere(ctx, id, request, actor);
  }
  if (!here) return queueForDriver(ctx, id, request, actor);
  if (here.fence.lost()) return { status: 409, error: "another canvas replica drives this Stop All now; try again" };
  if (reopens && here.live.operation.getState().phase === "finished") {
    const reopened = await here.reopen();
    if (!reopened.ok) return { status: 409, error: "another Stop All is running for this fleet", body: await viewOf(ctx, reopened.runningId) };
  }
  here.apply(request, actor);
  return { status: 200, body: here.live.view() };
}

/**
 * A retry of a finished operation this replica does not host: the journal
 * re-opens it under this replica's new lease first (so nothing else can
 * start, and a takeover can resume it if this replica dies), then it is
 * driven here from the journal and the retry applied.
 */
async function retryHere(ctx: ServiceContext, id: string, request: ActionRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
  const now = ctx.clock.now();
  const reopened = await ctx.journal.reopen(id, ctx.deps.replicaId, now + LEASE_MS);
  if (!reopened.ok) return { status: 409, error: "another Stop All is running for this fleet", body: await viewOf(ctx, reopened.runningId) };
  const stored = await ctx.journal.load(id);
  if (!stored) return { status: 404, error: "no such Stop All" };
  const { state, seq } = foldStored(stored);
  const here: Driven = adopt(ctx, drive({ ...ctx.deps, info: stored.info, lease: reopened.lease, grantedAt: now, from: { saved: state, seq, reopened: true } }));
  here.apply(request, actor);
  return { status: 200, body: here.live.view() };
}

/** Queues the action in the journal and waits up to ACTION_WAIT_MS for the driver to take it (200), else 202. */
async function queueForDriver(ctx: ServiceContext, id: string, request: ActionRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
  const { journal, clock } = ctx;
  const actionId = ctx.newId();
  await journal.queueAction({ id: actionId, operationId: id, request, actor, at: clock.now() });
  const until = clock.now() + ACTION_WAIT_MS;
  while (clock.now() < until) {
    if (await journal.actionTaken(actionId)) {
      await (await ctx.tails.get(id))?.refresh();
      return { status: 200, body: (await viewOf(ctx, id))! };
    }
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 100));
  }
  return { status: 202, error: "queued for the canvas replica that drives this Stop All; it has not taken it yet", body: await viewOf(ctx, id) };
}

/** The driver's side of the queue: applies what other replicas queued for `id`, while this replica's lease holds. */
export async function applyQueued(ctx: ServiceContext, id: string): Promise<void> {
  const here = ctx.driven.get(id);
  if (!here || here.fence.lost()) return;
  for (const action of await ctx.journal.takeActions(id, here.lease()).catch(() => [])) here.apply(action.request, action.actor);
}
