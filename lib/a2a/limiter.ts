/** Bounds how many platform requests Stop All has in flight at once. */
export interface RequestLimiter {
  /**
   * Waits for a free slot. Resolves with the function that frees it, or with
   * undefined when `signal` aborts first (the slot is then not taken).
   */
  acquire(signal?: AbortSignal): Promise<(() => void) | undefined>;
  /** Requests holding a slot now. */
  inFlight(): number;
}

/** A first-come, first-served limiter with `maxInFlight` slots (at least 1). */
export function createRequestLimiter(maxInFlight: number): RequestLimiter {
  const slots = Math.max(1, Math.floor(maxInFlight));
  let taken = 0;
  const waiting: Array<() => void> = [];

  function take(): () => void {
    taken++;
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      taken--;
      waiting.shift()?.();
    };
  }

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.resolve(undefined);
      if (taken < slots) return Promise.resolve(take());
      return new Promise((resolve) => {
        const grant = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(take());
        };
        const onAbort = () => {
          const index = waiting.indexOf(grant);
          if (index >= 0) waiting.splice(index, 1);
          resolve(undefined);
        };
        waiting.push(grant);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
    inFlight: () => taken,
  };
}
