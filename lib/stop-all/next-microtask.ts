/**
 * Runs `run` once in a microtask however often `schedule` is called before
 * it: a sender decides after a change, never inside the dispatch that made
 * it (a dispatch from within one would reach listeners out of order).
 */
export function nextMicrotask(run: () => void): { schedule(): void; stop(): void } {
  let scheduled = false;
  let stopped = false;
  return {
    schedule() {
      if (scheduled || stopped) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        if (!stopped) run();
      });
    },
    stop() {
      stopped = true;
    },
  };
}
