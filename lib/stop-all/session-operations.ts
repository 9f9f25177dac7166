import type { Clock } from "../time/clock";
import type { OperationStore } from "./operation-store";
import type { StopAllOperation } from "./orchestrator";
import { persistOperation } from "./persist-operation";
import type { Release } from "./session-locks";
import type { Owning } from "./session-state";
import type { StopAllState } from "./types";

/** An operation of another page: its stored snapshot, with every action a no-op. */
export function readOnlyOperation(state: StopAllState): StopAllOperation {
  const nothing = () => {};
  return {
    getState: () => state,
    subscribe: () => nothing,
    onEvent: () => nothing,
    restartNow: nothing,
    keep: nothing,
    retryRestart: nothing,
    resumeHeld: nothing,
    checkDeadline: nothing,
    dispose: nothing,
    isDisposed: () => false,
  };
}

/**
 * Ties `operation` to the page that owns it: keeps storage up to date (also
 * after it finishes: a retry re-opens it), calls `onChange` on every change,
 * and holds the run lock (`releaseRun`) until it finishes or the page stops
 * owning it. Releasing twice is harmless: the lock's callback promise is
 * already settled.
 */
export function beginOwning(deps: { operation: StopAllOperation; store: OperationStore; clock: Clock; releaseRun: Release; onChange: () => void }): Owning {
  const { operation, store, clock, releaseRun, onChange } = deps;
  let saving = true;
  const writes: OperationStore = {
    ...store,
    save: (state) => (saving ? store.save(state) : undefined),
    markRestartSent: (startedAt, workspaceId, at) => (saving ? store.markRestartSent(startedAt, workspaceId, at) : undefined),
  };
  const persisted = persistOperation(operation, writes, clock);
  const unsubscribe = operation.subscribe((state) => {
    onChange();
    if (state.phase === "finished") releaseRun();
  });
  if (operation.getState().phase === "finished") releaseRun();
  return {
    stop({ save }) {
      saving = save;
      unsubscribe();
      persisted.stop();
      releaseRun();
    },
  };
}
