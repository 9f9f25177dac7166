import type { FleetView } from "../fleet/view";
import type { PlatformClient } from "../platform/client";
import type { Workspace } from "../platform/workspace";
import type { Clock } from "../time/clock";
import type { StopAllStartResult } from "./coordinator";
import type { OperationStore } from "./operation-store";
import type { StopAllOptions } from "./options";
import { resumeStopAll, startStopAll, type StopAllOperation } from "./orchestrator";
import { persistOperation } from "./persist-operation";
import { selectStopTargets } from "./select-targets";
import type { StopAllState } from "./types";

/** The part of the Web Locks API (`navigator.locks`) the session uses. */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => Promise<unknown> | unknown): Promise<unknown>;
}

/** `owner`: this page runs (or ran) the operation. `observer`: another tab's, shown read-only. */
export type SessionRole = "none" | "owner" | "observer";

export type SessionStartResult = StopAllStartResult | { kind: "running-elsewhere" };

export interface StopAllSessionDeps {
  client: PlatformClient;
  fleet: FleetView;
  clock: Clock;
  options?: StopAllOptions;
  store: OperationStore;
  /** `navigator.locks`; without it the session only guards this page. */
  locks?: LockManagerLike;
  /** Called when another tab changed the stored operation (`storage` events). */
  subscribeToStorage(listener: () => void): () => void;
}

/** Held by the tab that runs Stop All while it runs: one operation per browser. */
export const STOP_ALL_LOCK = "fleet-canvas:stop-all";

/** Held by a tab's session for as long as the tab lives: while it is held, an operation that tab saved has an owner. */
export const tabLockName = (tab: string) => `${STOP_ALL_LOCK}:tab:${tab}`;

const isRunning = (state: StopAllState | undefined) => state !== undefined && state.phase !== "finished";

/** A finished operation older than this is not shown again when a page opens. */
export const SHOW_FINISHED_FOR_MS = 15 * 60_000;

type Release = () => void;
const noRelease: Release = () => {};

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

/** An operation of another tab: its stored snapshot, with every action a no-op. */
function readOnlyOperation(state: StopAllState): StopAllOperation {
  const nothing = () => {};
  return {
    getState: () => state,
    subscribe: () => nothing,
    onEvent: () => nothing,
    restartNow: nothing,
    keep: nothing,
    retryRestart: nothing,
    checkDeadline: nothing,
    dispose: nothing,
    isDisposed: () => false,
  };
}

/**
 * One Stop All per browser. The tab that holds STOP_ALL_LOCK runs the
 * operation and keeps it in storage, with its own name as the owner; other
 * tabs show it read-only. A tab takes an operation over only when its owner
 * is gone (the owner's tab lock is free): so when the owner reloads or
 * closes, the operation resumes, with its original deadline, in the reloaded
 * page or another tab.
 *
 * Whether the owner lives is asked of the locks, never read from storage: a
 * browser gives no order between another tab's last write reaching this
 * tab's storage and a lock granted to this tab, so a snapshot read the
 * moment the owner lets go can be stale, and resuming a stale snapshot of a
 * finished operation could restart a workspace twice. What no lock can
 * cover: an owner that dies within the moment its last write is in transit.
 */
export function createStopAllSession(deps: StopAllSessionDeps) {
  const listeners = new Set<() => void>();
  const lifetime = new AbortController();
  const tab = deps.store.owner;
  let role: SessionRole = "none";
  let operation: StopAllOperation | undefined;
  let notice: string | undefined;
  let starting = false;
  let stopOwning: (() => void) | undefined;
  let waiting: { owner: string | undefined; abort: AbortController } | undefined;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };

  // This tab's own lock, held from now until the session is disposed (or the tab goes).
  const tabLockHeld: Promise<void> =
    deps.locks && tab !== undefined
      ? acquire(deps.locks, tabLockName(tab), { signal: lifetime.signal }).then(
          (release) => lifetime.signal.addEventListener("abort", () => release?.()),
          () => {},
        )
      : Promise.resolve();

  /** True while the tab that saved an operation still lives. Unknown owners (older records) count as gone. */
  async function ownerIsAlive(owner: string | undefined): Promise<boolean> {
    if (!deps.locks || owner === undefined) return false;
    const release = await acquire(deps.locks, tabLockName(owner), { ifAvailable: true });
    release?.();
    return release === undefined;
  }

  /**
   * Makes this page the owner of `next`: shows it, keeps storage up to date
   * (also after it finishes: a retry re-opens it), and holds the run lock
   * (`releaseRun`) until it finishes or is replaced.
   */
  function own(next: StopAllOperation, releaseRun: Release = noRelease): void {
    stopOwning?.();
    stopWaiting();
    operation = next;
    role = "owner";
    const persisted = persistOperation(next, deps.store, deps.clock);
    // Releasing twice is harmless: the lock's callback promise is already settled.
    const unsubscribe = next.subscribe((state) => {
      notify();
      if (state.phase === "finished") releaseRun();
    });
    stopOwning = () => {
      unsubscribe();
      persisted.stop();
      releaseRun();
    };
    notify();
    if (next.getState().phase === "finished") releaseRun();
  }

  function resume(saved: StopAllState): StopAllOperation {
    return resumeStopAll({ saved, client: deps.client, fleet: deps.fleet, clock: deps.clock, options: deps.options });
  }

  function observeStored(): void {
    if (role === "owner" && isRunning(operation?.getState())) return;
    const loaded = deps.store.load();
    if (loaded.kind === "found") {
      operation = readOnlyOperation(loaded.state);
      role = "observer";
      if (isRunning(loaded.state)) waitToTakeOver(loaded.owner);
      else stopWaiting();
    } else if (loaded.kind === "unreadable") {
      notice = `A saved Stop All could not be read (${loaded.message}); it was discarded.`;
    }
    notify();
  }

  /**
   * Holding the run lock: resumes the stored operation if it still runs and
   * its owner is gone, keeping the lock; otherwise lets the lock go and shows
   * what is stored. True when it resumed.
   */
  async function resumeIfOwnerGone(releaseRun: Release): Promise<boolean> {
    await tabLockHeld;
    const stored = deps.store.load();
    const owner = stored.kind === "found" ? stored.owner : undefined;
    const ownerGone = stored.kind === "found" && isRunning(stored.state) && !(await ownerIsAlive(owner));
    // Read again: a write in transit may have landed while the locks answered.
    const latest = deps.store.load();
    if (ownerGone && latest.kind === "found" && isRunning(latest.state) && latest.owner === owner && !lifetime.signal.aborted) {
      own(resume(latest.state), releaseRun);
      return true;
    }
    releaseRun();
    observeStored();
    return false;
  }

  /** Waits for the owner of the stored (running) operation to go, then takes the operation over. */
  function waitToTakeOver(owner: string | undefined): void {
    if (!deps.locks || lifetime.signal.aborted || (waiting && waiting.owner === owner)) return;
    stopWaiting();
    const locks = deps.locks;
    const abort = new AbortController();
    const wait = { owner, abort };
    waiting = wait;
    void (async () => {
      try {
        if (owner !== undefined) (await acquire(locks, tabLockName(owner), { signal: abort.signal }))?.();
        const releaseRun = (await acquire(locks, STOP_ALL_LOCK, { signal: abort.signal })) ?? noRelease;
        if (waiting !== wait) return releaseRun();
        waiting = undefined;
        await resumeIfOwnerGone(releaseRun);
      } catch {
        if (waiting === wait) waiting = undefined;
      }
    })();
  }

  /** The run lock if free now (without Web Locks, this page is the only guard). */
  function takeRunLock(): Promise<Release | undefined> {
    return deps.locks ? acquire(deps.locks, STOP_ALL_LOCK, { ifAvailable: true }) : Promise.resolve(noRelease);
  }

  function stopWaiting(): void {
    waiting?.abort.abort();
    waiting = undefined;
  }

  const unsubscribeStorage = deps.subscribeToStorage(observeStored);

  return {
    /** Loads what storage holds: resumes a running operation whose owner is gone, or shows another tab's. */
    async init(): Promise<void> {
      await tabLockHeld;
      const loaded = deps.store.load();
      if (loaded.kind === "unreadable") {
        deps.store.clear();
        notice = `A saved Stop All could not be read (${loaded.message}); it was discarded.`;
        notify();
        return;
      }
      if (loaded.kind === "none") return;
      if (!isRunning(loaded.state)) {
        const endedAt = loaded.state.finishedAt ?? loaded.state.startedAt;
        if (deps.clock.now() - endedAt <= SHOW_FINISHED_FOR_MS) observeStored();
        return;
      }
      const releaseRun = await takeRunLock();
      if (releaseRun) await resumeIfOwnerGone(releaseRun);
      else observeStored();
    },

    /** Starts a Stop All unless one runs here or in another tab of this browser. */
    async start(workspaces: readonly Workspace[]): Promise<SessionStartResult> {
      if (starting || (role === "owner" && isRunning(operation?.getState()))) {
        return operation ? { kind: "already-running", operation } : { kind: "running-elsewhere" };
      }
      if (role === "observer" && isRunning(operation?.getState())) return { kind: "running-elsewhere" };
      if (selectStopTargets(workspaces).length === 0) return { kind: "no-targets" };
      starting = true;
      try {
        await tabLockHeld;
        const releaseRun = await takeRunLock();
        if (!releaseRun) {
          observeStored();
          return { kind: "running-elsewhere" };
        }
        const loaded = deps.store.load();
        if (loaded.kind === "found" && isRunning(loaded.state)) {
          // A running operation in storage: its live owner's, or one that lost its owner, carried on here.
          const resumed = await resumeIfOwnerGone(releaseRun);
          return resumed && operation ? { kind: "already-running", operation } : { kind: "running-elsewhere" };
        }
        deps.store.clear();
        const started = startStopAll({ targets: workspaces, client: deps.client, fleet: deps.fleet, clock: deps.clock, options: deps.options });
        own(started, releaseRun);
        return { kind: "started", operation: started };
      } finally {
        starting = false;
      }
    },

    current: () => operation,
    role: () => role,
    isRunning: () => isRunning(operation?.getState()),
    /** A message for the operator about storage (e.g. a saved operation that could not be read). */
    notice: () => notice,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    /** Writes the stored copy now (call on pagehide). */
    flush() {
      if (role === "owner" && operation) deps.store.save(operation.getState());
    },
    checkDeadline() {
      if (role === "owner") operation?.checkDeadline();
    },
    dispose() {
      lifetime.abort();
      stopWaiting();
      unsubscribeStorage();
      stopOwning?.();
      if (role === "owner") operation?.dispose();
      listeners.clear();
    },
  };
}

export type StopAllSession = ReturnType<typeof createStopAllSession>;
