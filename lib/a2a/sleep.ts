import type { Clock } from "../time/clock";
import { whenAborted } from "./when-aborted";

/** Waits `ms` on the injected clock. Resolves false at once when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = clock.setTimeout(() => {
      stopListening?.();
      resolve(true);
    }, ms);
    const stopListening = signal
      ? whenAborted(signal, () => {
          clock.clearTimeout(timer);
          resolve(false);
        })
      : undefined;
  });
}
