import type { FleetView } from "../fleet/view";
import type { A2AProtocol } from "../platform/workspace";
import type { Clock } from "../time/clock";
import type { A2ATarget, StopAllA2AClient } from "../a2a/a2a-client";
import { isUsableTaskId } from "../a2a/cancel-task";
import { whenAborted } from "../a2a/when-aborted";
import { buildFinding, notSentFinding, stopsPhase1 } from "./finding";
import type { ListOpenTasksResult } from "../a2a/list-open-tasks";
import type { CancelFinding, TaskCancel, TaskIdSource } from "./types";

export interface CancelPhaseDeps {
  a2a: StopAllA2AClient;
  fleet: FleetView;
  clock: Clock;
  deadlineAt: number;
  /** At most this many tasks are cancelled per workspace (the newest known ids win). */
  maxTasks: number;
  /** Called once, just before the first cancel is handed to the client. */
  onCancelSent: () => void;
  /** Awaited before the first cancel (parents-first.ts: the targets above this one go first). */
  beforeFirstCancel?: (signal: AbortSignal) => Promise<void>;
}

/** The two ways phase 1 of a target is ended from outside. */
export interface CancelPhaseSignals {
  /** Abandon everything, in flight or not (a restart, gone, dispose). */
  abandon: AbortSignal;
  /**
   * Send nothing new (drained, kept). The client is expected to hold back
   * new requests itself (send-gate.ts); this phase starts no new cancel.
   */
  close: AbortSignal;
}

function idsToCancel(listing: ListOpenTasksResult, fleet: FleetView, workspaceId: string, maxTasks: number): { idSource: TaskIdSource; ids: string[] } {
  if (listing.kind === "listed" && listing.taskIds.length > 0) return { idSource: "list-tasks", ids: listing.taskIds.slice(0, maxTasks) };
  const known = [...new Set(fleet.knownTaskIds(workspaceId).filter(isUsableTaskId))];
  if (known.length === 0) return { idSource: "none", ids: [] };
  return { idSource: "known-ids", ids: known.slice(-maxTasks) };
}

/** What the listing says about the method names the agent answers to. */
function protocolAfterListing(protocol: A2AProtocol, listing: ListOpenTasksResult): A2AProtocol {
  if (listing.kind === "listed") return "1.0";
  if (protocol === "unknown" && listing.kind === "not-supported" && listing.code === -32601) return "0.3";
  return protocol;
}

/** True when phase 1 was closed, not abandoned: an `aborted` answer then means "held back, never sent". */
const isClosedOnly = (signals: CancelPhaseSignals) => signals.close.aborted && !signals.abandon.aborted;

/**
 * Phase 1 for one target: find its open task ids (ListTasks, else the ids
 * the canvas has seen) and cancel them. The first cancel goes alone so the
 * rest use the method name that worked; the rest go in parallel. Stops
 * sending as soon as an answer says the workspace is gone, restarting or
 * waking, or `signals.abandon` aborts. Once `signals.close` aborts it
 * starts no new cancel, but waits for the answers of those already sent.
 */
export async function runCancelPhase(deps: CancelPhaseDeps, workspace: A2ATarget, signals: CancelPhaseSignals): Promise<CancelFinding> {
  const { a2a, clock, deadlineAt } = deps;
  const listing = await a2a.listOpenTaskIds(workspace, { signal: signals.abandon, deadlineAt });
  if (stopsPhase1(listing)) {
    return listing.kind === "aborted" && isClosedOnly(signals) ? notSentFinding("none", listing) : buildFinding("none", listing, []);
  }

  const { idSource, ids } = idsToCancel(listing, deps.fleet, workspace.id, deps.maxTasks);
  const [firstId, ...restIds] = ids;
  if (firstId === undefined) return buildFinding(idSource, listing, []);
  if (signals.close.aborted) return notSentFinding(idSource, listing);
  if (deps.beforeFirstCancel) {
    // Closing (drained, kept) and abandoning (which closes too) both end the wait: then nothing was sent.
    await deps.beforeFirstCancel(signals.close);
    if (signals.close.aborted) return notSentFinding(idSource, listing);
  }

  const cancels: TaskCancel[] = [];
  // `stop`, for cancels in parallel: each ends on it, and an answer that ends phase 1 aborts it. Without it, only abandoning ends one.
  const cancel = async (target: A2ATarget, taskId: string, stop?: AbortController) => {
    const result = await a2a.cancelTask(target, taskId, { signal: stop?.signal ?? signals.abandon, deadlineAt });
    cancels.push({ taskId, result, answeredAt: clock.now() });
    if (stopsPhase1(result)) stop?.abort();
    return result;
  };

  deps.onCancelSent();
  // The first cancel goes alone, so abandoning is all that can end it early.
  const first = await cancel({ id: workspace.id, protocol: protocolAfterListing(workspace.protocol, listing) }, firstId);
  if (stopsPhase1(first) || first.kind === "not-understood" || signals.close.aborted || restIds.length === 0) return buildFinding(idSource, listing, cancels);
  const learned: A2AProtocol = first.kind === "delivered" || first.kind === "refused" ? first.version : protocolAfterListing(workspace.protocol, listing);
  // The rest go in parallel: an answer that ends phase 1 (gone, restarting) stops the others too.
  const stop = new AbortController();
  const stopListening = whenAborted(signals.abandon, () => stop.abort());
  try {
    await Promise.all(restIds.map((taskId) => cancel({ id: workspace.id, protocol: learned }, taskId, stop)));
    return buildFinding(idSource, listing, cancels);
  } finally {
    stopListening();
  }
}
