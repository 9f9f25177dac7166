import type { Clock } from "../../time/clock";

/** How long a replica's hold on a running operation lasts unless renewed. */
export const LEASE_MS = 3000;
/** How often the holder renews it, and how often the others look for a lapsed one. */
export const RENEW_MS = 1000;
/** The holder stops sending this long before its lease could lapse in the journal, so two never send at once. */
export const FENCE_MARGIN_MS = 500;

/**
 * This replica's own view of whether it may still send for an operation:
 * until `LEASE_MS - FENCE_MARGIN_MS` after the start of its last renewal
 * that the journal accepted (timed from before the write, so a slow write
 * only shortens it), and never again once it is lost. A replica frozen
 * past that (a long GC pause, SIGSTOP) finds it expired when it wakes,
 * before it sends anything. What the fence cannot stop, a request already
 * handed to the network, is covered for restarts by the journal's claim.
 */
export interface Fence {
  /** A renewal that began at `startedAt` succeeded. */
  renewed(startedAt: number): void;
  /** The journal said the lease is another replica's now. */
  lose(): void;
  mayAct(): boolean;
  /**
   * Resolves true as soon as this replica may act (now, or once a renewal
   * lands), false once the lease is lost or `signal` aborts first. A fence
   * that ran out while the lease was still this replica's (renewals came
   * late: a busy event loop, a busy pool) holds a send instead of failing it.
   */
  waitToAct(signal?: AbortSignal): Promise<boolean>;
  lost(): boolean;
}

export function createFence(clock: Pick<Clock, "now">, grantedAt: number, leaseMs = LEASE_MS, marginMs = FENCE_MARGIN_MS): Fence {
  let validUntil = grantedAt + leaseMs - marginMs;
  let lost = false;
  const waiters = new Set<(mayAct: boolean) => void>();
  const mayAct = () => !lost && clock.now() < validUntil;
  const tellWaiters = (answer: boolean) => [...waiters].forEach((waiter) => waiter(answer));
  return {
    renewed(startedAt) {
      if (lost) return;
      validUntil = Math.max(validUntil, startedAt + leaseMs - marginMs);
      if (mayAct()) tellWaiters(true);
    },
    lose() {
      lost = true;
      tellWaiters(false);
    },
    mayAct,
    waitToAct(signal) {
      if (mayAct()) return Promise.resolve(true);
      if (lost || signal?.aborted) return Promise.resolve(false);
      return new Promise((resolve) => {
        const done = (answer: boolean) => {
          waiters.delete(done);
          signal?.removeEventListener("abort", onAbort);
          resolve(answer);
        };
        const onAbort = () => done(false);
        waiters.add(done);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
    lost: () => lost,
  };
}

/** Whether a lease whose end is `until` has lapsed at `now`: another replica may take the operation over. */
export const hasLapsed = (until: number, now: number) => until < now;
