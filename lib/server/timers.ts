import type { Clock } from "../time/clock";

/**
 * The timers lib/server takes as a parameter: the project's Clock without
 * `now`, so `systemClock` runs for real and a `FakeClock` drives tests.
 */
export type ServerTimers = Pick<Clock, "setTimeout" | "clearTimeout">;

/**
 * Calls `tick` every `ms` until the returned function is called (also from
 * inside `tick`). Built on one-shot timeouts so a FakeClock can drive it.
 */
export function repeatEvery(timers: ServerTimers, ms: number, tick: () => void): () => void {
  let stopped = false;
  let handle = schedule();

  function schedule() {
    return timers.setTimeout(() => {
      if (stopped) return;
      tick();
      if (!stopped) handle = schedule();
    }, ms);
  }

  return () => {
    if (stopped) return;
    stopped = true;
    timers.clearTimeout(handle);
  };
}
