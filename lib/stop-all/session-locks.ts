import { fleetSegment } from "./operation-store";

/** The part of the Web Locks API (`navigator.locks`) the session uses. */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => Promise<unknown> | unknown): Promise<unknown>;
}

export type Release = () => void;
export const noRelease: Release = () => {};

const LOCK_PREFIX = "fleet-canvas:stop-all";

/** Held by the tab that runs a fleet's Stop All while it runs: one operation per fleet per browser. */
export const runLockName = (fleet: string) => `${LOCK_PREFIX}:${fleetSegment(fleet)}`;

/** The run lock of builds before operations were kept per fleet: one for the whole browser. */
export const LEGACY_RUN_LOCK = LOCK_PREFIX;

/**
 * Held by a tab's session for as long as the tab lives: while it is held, an
 * operation that tab saved has an owner. Not per fleet: a tab name is new for
 * every page, and the name is the same as in older builds, so a page still
 * sees an older build's owner as alive.
 */
export const tabLockName = (tab: string) => `${LOCK_PREFIX}:tab:${tab}`;

/**
 * The run locks of one fleet's Stop All, in the order every page takes them.
 * `legacy`: the fleet older builds' one-per-browser operation belonged to; its
 * pages also hold that build's run lock, so the two builds never run one each.
 */
export const runLockNames = (fleet: string, legacy: boolean): readonly string[] => (legacy ? [LEGACY_RUN_LOCK, runLockName(fleet)] : [runLockName(fleet)]);

/** Requests a lock; resolves with its release once held, or undefined when `ifAvailable` found it taken. Rejects when aborted first. */
function acquire(locks: LockManagerLike, name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }): Promise<Release | undefined> {
  return new Promise((resolve, reject) => {
    locks
      .request(name, options, (lock) => {
        if (!lock) return resolve(undefined);
        return new Promise<void>((release) => resolve(() => release()));
      })
      .catch(reject);
  });
}

/** Every lock of `names`, taken in order, or none: undefined when `ifAvailable` found one taken. Releasing twice is harmless. */
async function acquireAll(locks: LockManagerLike, names: readonly string[], options: { ifAvailable?: boolean; signal?: AbortSignal }): Promise<Release | undefined> {
  const held: Release[] = [];
  const releaseAll: Release = () => {
    for (const release of [...held].reverse()) release();
  };
  try {
    for (const name of names) {
      const release = await acquire(locks, name, options);
      if (!release) {
        releaseAll();
        return undefined;
      }
      held.push(release);
    }
  } catch (error) {
    releaseAll();
    throw error;
  }
  return releaseAll;
}

/** The locks one session works with; without Web Locks, the page is the only guard and nothing can be waited for. */
export interface SessionLocks {
  readonly available: boolean;
  /** Holds `tab`'s lock until `lifetime` aborts; resolves once it is held (at once without Web Locks or a tab name). */
  holdTabLock(tab: string | undefined, lifetime: AbortSignal): Promise<void>;
  /** True while the tab that saved an operation still lives. Unknown owners (older records) and pages without Web Locks count as gone. */
  ownerIsAlive(owner: string | undefined): Promise<boolean>;
  /** The run locks if free now (a no-op release without Web Locks), else undefined. */
  takeRunLock(): Promise<Release | undefined>;
  /** Waits for `owner`'s tab lock to be free, then for the run locks. Rejects when `signal` aborts first. */
  waitForOwnerToGo(owner: string | undefined, signal: AbortSignal): Promise<Release>;
}

/** The session's locks for one fleet's run locks (`runLockNames`). */
export function sessionLocks(locks: LockManagerLike | undefined, runLocks: readonly string[]): SessionLocks {
  return {
    available: locks !== undefined,
    async holdTabLock(tab, lifetime) {
      if (!locks || tab === undefined) return;
      const release = await acquire(locks, tabLockName(tab), { signal: lifetime }).catch(() => undefined);
      if (release && lifetime.aborted) release();
      else if (release) lifetime.addEventListener("abort", release);
    },
    async ownerIsAlive(owner) {
      if (!locks || owner === undefined) return false;
      const release = await acquire(locks, tabLockName(owner), { ifAvailable: true });
      release?.();
      return release === undefined;
    },
    takeRunLock: () => (locks ? acquireAll(locks, runLocks, { ifAvailable: true }) : Promise.resolve(noRelease)),
    async waitForOwnerToGo(owner, signal) {
      if (!locks) throw new Error("nothing to wait with: no Web Locks");
      if (owner !== undefined) (await acquire(locks, tabLockName(owner), { signal }))?.();
      return (await acquireAll(locks, runLocks, { signal })) ?? noRelease;
    },
  };
}
