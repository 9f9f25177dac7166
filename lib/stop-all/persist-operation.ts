import type { Clock, TimerHandle } from "../time/clock";
import type { OperationStore } from "./operation-store";
import type { StopAllOperation } from "./orchestrator";
import type { StopAllState } from "./types";

/** How often the full snapshot is written at most while an operation changes. */
export const SAVE_INTERVAL_MS = 200;

/**
 * Keeps the stored copy of `operation` up to date: restart marks at once
 * (before the request leaves: the orchestrator emits `restart-sent` just
 * before sending), the full snapshot at most every SAVE_INTERVAL_MS and at
 * the end. Returns `flush` (write now, e.g. on pagehide) and `stop`.
 */
export function persistOperation(operation: StopAllOperation, store: OperationStore, clock: Clock) {
  let previous: StopAllState = operation.getState();
  let timer: TimerHandle | undefined;

  const flush = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    store.save(operation.getState());
  };

  const markNewRestarts = (state: StopAllState) => {
    for (const id of state.order) {
      const target = state.targets[id];
      const before = previous.targets[id];
      if (!target || target === before) continue;
      const sentAt = target.times.restartSentAt;
      if (sentAt !== undefined && sentAt !== before?.times.restartSentAt) store.markRestartSent(state.startedAt, id, sentAt);
    }
  };

  store.save(previous);
  const unsubscribe = operation.subscribe((state) => {
    markNewRestarts(state);
    previous = state;
    if (state.phase === "finished") return flush();
    timer ??= clock.setTimeout(flush, SAVE_INTERVAL_MS);
  });

  return {
    flush,
    stop() {
      unsubscribe();
      flush();
    },
  };
}
