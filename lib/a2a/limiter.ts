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

/** Frees a slot (once; later calls do nothing). */
export type ReleaseSlot = () => void;

/** Bounds how many platform requests Stop All has in flight at once. */
export interface RequestLimiter {
  /**
   * Waits for a free slot. Resolves with the function that frees it, or with
   * undefined when `signal` aborts first (the slot is then not taken).
   */
  acquire(signal?: AbortSignal, priority?: RequestPriority): Promise<ReleaseSlot | undefined>;
  /** Slots taken now (by requests in flight, and by turns between two of their requests). */
  inFlight(): number;
}

/**
 * One target's requests in sequence (its listing, then its cancels), as a
 * limiter of their own: the slot a request frees stays with the turn, and
 * the turn's next request takes it at once. So a target's cancel never
 * waits for a slot its own listing just freed. The turn holds at most one
 * slot between requests (a parallel request takes another); `giveBack`
 * frees it while the target waits for something else, `end` when the
 * target has nothing more to send.
 */
export interface RequestTurn extends RequestLimiter {
  /** Frees the slot kept between requests, if any; a later request acquires again (and may keep one again). */
  giveBack(): void;
  /** Frees the kept slot for good: from now on each request frees its own. */
  end(): void;
}

/**
 * A limiter with `maxInFlight` slots (at least 1). Follow-ups go first;
 * within a priority, first come, first served. No share of the slots is
 * set aside: a target's cancel gets its listing's slot through its turn,
 * so every slot may carry a listing (2,000 listings in 2,048 slots all
 * leave at once; with a quarter kept back for cancels, the last 464 waited
 * for cancels to end, 300 ms and more, and so did their own cancels).
 */
export function createRequestLimiter(maxInFlight: number): RequestLimiter {
  const slots = Math.max(1, Math.floor(maxInFlight));
  let taken = 0;
  const waiting: Record<RequestPriority, Array<() => void>> = { "follow-up": [], new: [] };

  function grantWaiting(): void {
    (waiting["follow-up"].length > 0 ? waiting["follow-up"] : waiting.new).shift()?.();
  }

  function take(): ReleaseSlot {
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
      if (taken < slots && (priority === "follow-up" || waiting["follow-up"].length === 0)) return Promise.resolve(take());
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

/** A turn on `limiter` (see RequestTurn). */
export function openTurn(limiter: RequestLimiter): RequestTurn {
  let kept: ReleaseSlot | undefined;
  let ended = false;

  // The request's slot: on release it is kept for the turn's next request, unless one is kept already or the turn ended.
  const keepOnRelease = (slot: ReleaseSlot): ReleaseSlot => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (ended || kept) slot();
      else kept = slot;
    };
  };
  const giveBack = () => {
    const slot = kept;
    kept = undefined;
    slot?.();
  };

  return {
    acquire(signal, priority) {
      if (signal?.aborted) return Promise.resolve(undefined);
      if (kept) {
        const slot = kept;
        kept = undefined;
        return Promise.resolve(keepOnRelease(slot));
      }
      return limiter.acquire(signal, priority).then((slot) => slot && keepOnRelease(slot));
    },
    inFlight: limiter.inFlight,
    giveBack,
    end() {
      ended = true;
      giveBack();
    },
  };
}
