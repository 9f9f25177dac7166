import type { Clock, TimerHandle } from "../time/clock";
import type { OperationStore } from "./operation-store";
import type { StopAllOperation } from "./orchestrator";

/** How often the full snapshot is written at most while an operation changes. */
export const SAVE_INTERVAL_MS = 200;

/**
 * Keeps the stored copy of `operation` up to date: restart marks at once
 * (before the request leaves: the orchestrator emits `restart-sent` just
 * before sending), the full snapshot at most every SAVE_INTERVAL_MS, and at
 * once when it finishes. After the end (the quiet watch, a retry) changes
 * are saved at most every SAVE_INTERVAL_MS again: written on each change, a
 * 5,000-workspace operation's snapshot (about 1 MB of JSON) held the page
 * in one task for ~3 s when its restarted workspaces came back busy.
 * Returns `flush` (write now, e.g. on pagehide) and `stop`.
 */
export function persistOperation(operation: StopAllOperation, store: OperationStore, clock: Clock) {
  let timer: TimerHandle | undefined;

  const flush = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    store.save(operation.getState());
  };

  store.save(operation.getState());
  // Every event, none skipped: a restart is marked before its request leaves.
  const stopMarking = operation.onEvent((event, state) => {
    // A pause, like a restart, must never go twice (an operation sends one or the other).
    if (event.type === "restart-sent" || event.type === "pause-sent") store.markRestartSent(state.startedAt, event.workspaceId, event.at);
  });
  let finished = operation.getState().phase === "finished";
  const unsubscribe = operation.subscribe((state) => {
    const justFinished = state.phase === "finished" && !finished;
    finished = state.phase === "finished";
    if (justFinished) return flush();
    timer ??= clock.setTimeout(flush, SAVE_INTERVAL_MS);
  });

  return {
    flush,
    stop() {
      stopMarking();
      unsubscribe();
      flush();
    },
  };
}
