import { whenAborted } from "./when-aborted";

/**
 * Which waiter goes first when a slot frees: `follow-up` (a cancel that
 * follows its target's listing, a restart at the deadline) before `new`
 * (a target's first request). So each target's cancel leaves as soon as its
 * own listing answered, instead of queueing behind every other target's
 * listing: with 2,000 targets and 256 slots, first-come first-served sent
 * every listing before the first cancel.
 */
export type RequestPriority = "follow-up" | "new";

/** Bounds how many platform requests Stop All has in flight at once. */
export interface RequestLimiter {
  /**
   * Waits for a free slot. Resolves with the function that frees it, or with
   * undefined when `signal` aborts first (the slot is then not taken).
   */
  acquire(signal?: AbortSignal, priority?: RequestPriority): Promise<(() => void) | undefined>;
  /** Requests holding a slot now. */
  inFlight(): number;
}

/** The share of slots only follow-ups may take. */
export const FOLLOW_UP_RESERVE = 1 / 4;

/**
 * A limiter with `maxInFlight` slots (at least 1). Follow-ups go first, and
 * a quarter of the slots is kept for them: a listing frees its slot before
 * its own cancel asks for one (the answer is read after the request ends),
 * so without a reserve that slot went to the next target's listing and each
 * cancel waited for another listing to end. Within a priority, first come,
 * first served.
 */
export function createRequestLimiter(maxInFlight: number): RequestLimiter {
  const slots = Math.max(1, Math.floor(maxInFlight));
  const newSlots = Math.max(1, slots - Math.floor(slots * FOLLOW_UP_RESERVE));
  let taken = 0;
  const waiting: Record<RequestPriority, Array<() => void>> = { "follow-up": [], new: [] };
  const fits = (priority: RequestPriority) => taken < (priority === "new" ? newSlots : slots);

  function grantWaiting(): void {
    const next = waiting["follow-up"].length > 0 ? waiting["follow-up"] : fits("new") ? waiting.new : undefined;
    next?.shift()?.();
  }

  function take(): () => void {
    taken++;
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      taken--;
      grantWaiting();
    };
  }

  return {
    acquire(signal, priority = "new") {
      if (signal?.aborted) return Promise.resolve(undefined);
      if (fits(priority) && (priority === "follow-up" || waiting["follow-up"].length === 0)) return Promise.resolve(take());
      const queue = waiting[priority];
      return new Promise((resolve) => {
        const grant = () => {
          stopListening?.();
          resolve(take());
        };
        const onAbort = () => {
          const index = queue.indexOf(grant);
          if (index >= 0) queue.splice(index, 1);
          resolve(undefined);
        };
        queue.push(grant);
        const stopListening = signal ? whenAborted(signal, onAbort) : undefined;
      });
    },
    inFlight: () => taken,
  };
}
