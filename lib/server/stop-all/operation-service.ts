import "server-only";
import type { ActionRequest, OperationSummary, OperationView, StartRequest } from "../../stop-all-host/wire";
import type { OperationMessage } from "./live-operation";
import { createServiceContext, unavailable, type OperationServiceDeps, type ServiceAnswer } from "./service-context";
import { createKeeper, keeperRound } from "./service-keeper";
import { currentView, HISTORY_LIMIT, recentSummaries, viewOf, watchOperation } from "./service-read";
import { startOperation } from "./service-start";
import { steerOperation } from "./service-steer";

export { foldStored } from "./fold";
export type { OperationServiceDeps, ServiceAnswer } from "./service-context";
export { HISTORY_LIMIT } from "./service-read";
export { ACTION_WAIT_MS } from "./service-steer";

/**
 * Stop All in live mode, owned by the canvas servers: at most one running
 * operation per fleet whoever starts it on whichever replica (the journal
 * enforces it), driven by exactly one replica under a lease it renews every
 * RENEW_MS. Every replica looks for a lease that lapsed (its driver died,
 * hung or lost the journal) and takes the operation over, carrying it on
 * from the journal with its original deadline. Replicas that do not drive
 * an operation show it from the journal and queue their operators' actions
 * for the driver.
 *
 * The parts, over one shared context: service-start.ts (re-check, begin,
 * drive), service-steer.ts (actions, the queue for the driver, hosting a
 * finished one), service-keeper.ts (renew, take over, tails) and
 * service-read.ts (views, recent, watch).
 */
export function createOperationService(deps: OperationServiceDeps) {
  const ctx = createServiceContext(deps);
  const keeper = createKeeper(ctx);
  let starting: Promise<unknown> = Promise.resolve();

  return {
    /** Starts an operation on the confirmed ids that are still targets (201), or joins the running one (409). */
    async start(request: StartRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
      // One start at a time in this process; across replicas the journal decides.
      const run = starting.then(() => startOperation(ctx, request, actor).catch(unavailable));
      starting = run.catch(() => {});
      return run;
    },
    act: (id: string, request: ActionRequest, actor: string) => steerOperation(ctx, id, request, actor).catch(unavailable),
    /** The running operation, else the latest one. */
    current: (): Promise<OperationView | undefined> => currentView(ctx),
    view: (id: string): Promise<OperationView | undefined> => viewOf(ctx, id),
    recent: (limit = HISTORY_LIMIT): Promise<OperationSummary[]> => recentSummaries(ctx, limit),
    /** Streams one operation: a snapshot (or the events after `afterSeq`), then its events. Undefined when unknown. */
    watch: (id: string, afterSeq: number | undefined, send: (message: OperationMessage) => void): Promise<(() => void) | undefined> => watchOperation(ctx, id, afterSeq, send),
    /** One round of the keeper: renew what this replica drives, take what it may, apply queued actions. */
    tick: () => keeperRound(ctx),
    /** Keeps leases, takeovers and queued actions going every RENEW_MS (and on each change notice). */
    startKeeper: (): void => keeper.start(),
    dispose(): void {
      keeper.stop();
      for (const entry of ctx.driven.values()) entry.stop();
      ctx.driven.clear();
      for (const tail of ctx.tails.values()) void tail.then((t) => t?.close());
      ctx.tails.clear();
    },
    /** Test and bench use: whether this replica drives `id` now. */
    drives: (id: string) => ctx.driven.has(id) && ctx.driven.get(id)!.fence.mayAct(),
  };
}

export type OperationService = ReturnType<typeof createOperationService>;
