import type { Workspace } from "../platform/workspace";
import { whenAborted } from "../a2a/when-aborted";
import type { Clock } from "../time/clock";
import type { TargetTree } from "./target-tree";

/**
 * The longest a target's first cancel waits for the targets above it in
 * its team tree. A lead whose listing hangs (until its own request timeout)
 * must not hold its team's cancels back towards the deadline.
 */
export const PARENTS_FIRST_MAX_WAIT_MS = 1000;

/**
 * Parents first: within one operation's targets, a team lead's first
 * cancel goes out before those of the targets below it (its members, theirs,
 * through members that are not targets), so a lead that is being stopped
 * does not re-delegate the work its members drop. Listings still go out in
 * parallel, and the deadline stays as it is: a target waits for those above
 * it only until each has sent its first cancel or ended its phase 1, at most
 * PARENTS_FIRST_MAX_WAIT_MS.
 */
export interface ParentsFirst {
  /** The targets in start order: each after every target above it (otherwise as given). */
  readonly order: readonly Workspace[];
  /**
   * Resolves once every target above `workspaceId` is reached (or `signal`
   * aborts, or the wait runs out); undefined when there is nothing to wait
   * for, so the caller knows without a turn of the event loop.
   */
  waitForParents(workspaceId: string, signal: AbortSignal): Promise<void> | undefined;
  /** `workspaceId`'s first cancel is leaving, or its phase 1 is over: the targets below it may send. */
  reached(workspaceId: string): void;
}

interface Gate {
  promise: Promise<void>;
  isOpen(): boolean;
  open(): void;
}

function gate(): Gate {
  let opened = false;
  let resolve = () => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return {
    promise,
    isOpen: () => opened,
    open() {
      opened = true;
      resolve();
    },
  };
}

/** Resolves once every one of `waits` resolved, or `signal` aborts, or `maxWaitMs` ran out. */
async function waitAtMost(waits: Promise<void>[], signal: AbortSignal, clock: Clock, maxWaitMs: number): Promise<void> {
  let timer: ReturnType<Clock["setTimeout"]> | undefined;
  let stopListening = () => {};
  const givenUp = new Promise<void>((resolve) => {
    timer = clock.setTimeout(resolve, maxWaitMs);
    stopListening = whenAborted(signal, resolve);
  });
  try {
    await Promise.race([Promise.all(waits), givenUp]);
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer);
    stopListening();
  }
}

/** Parents first for the targets that start phase 1 (`targets`), by the operation's team tree. */
export function createParentsFirst(targets: readonly Workspace[], tree: TargetTree, clock: Clock, maxWaitMs = PARENTS_FIRST_MAX_WAIT_MS): ParentsFirst {
  const gates = new Map(targets.map((target) => [target.id, gate()]));
  // Fewer targets above first; a stable sort keeps the given order within a depth.
  const order = [...targets].sort((a, b) => tree.above(a.id).length - tree.above(b.id).length);

  return {
    order,
    waitForParents(workspaceId, signal) {
      // Only the targets that start phase 1 have gates (a resumed operation starts none); an open gate is no wait.
      const waits = tree.above(workspaceId).flatMap((id) => {
        const above = gates.get(id);
        return above && !above.isOpen() ? [above.promise] : [];
      });
      return waits.length === 0 || signal.aborted ? undefined : waitAtMost(waits, signal, clock, maxWaitMs);
    },
    reached: (workspaceId) => gates.get(workspaceId)?.open(),
  };
}
