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
  lost(): boolean;
}

export function createFence(clock: Pick<Clock, "now">, grantedAt: number, leaseMs = LEASE_MS, marginMs = FENCE_MARGIN_MS): Fence {
  let validUntil = grantedAt + leaseMs - marginMs;
  let lost = false;
  return {
    renewed(startedAt) {
      if (!lost) validUntil = Math.max(validUntil, startedAt + leaseMs - marginMs);
    },
    lose() {
      lost = true;
    },
    mayAct: () => !lost && clock.now() < validUntil,
    lost: () => lost,
  };
}

/** Whether a lease whose end is `until` has lapsed at `now`: another replica may take the operation over. */
export const hasLapsed = (until: number, now: number) => until < now;
