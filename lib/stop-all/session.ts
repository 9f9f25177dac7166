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

export const STOP_ALL_LOCK = "fleet-canvas:stop-all";

const isRunning = (state: StopAllState | undefined) => state !== undefined && state.phase !== "finished";

/** A finished operation older than this is not shown again when a page opens. */
export const SHOW_FINISHED_FOR_MS = 15 * 60_000;

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
 * One Stop All per browser. The tab that holds the Web Lock runs the
 * operation and keeps it in storage; other tabs show it read-only and wait
 * for the lock, so if the running tab reloads or closes, the operation
 * resumes (in the reloaded page or another tab) with its original deadline.
 */
export function createStopAllSession(deps: StopAllSessionDeps) {
  const listeners = new Set<() => void>();
  const lifetime = new AbortController();
  let role: SessionRole = "none";
  let operation: StopAllOperation | undefined;
  let notice: string | undefined;
  let starting = false;
  let waitingForLock = false;
  let stopOwning: (() => void) | undefined;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };

  /**
   * Makes this page the owner of `next`: shows it, keeps storage up to date
   * (also after it finishes: a retry re-opens it). The returned promise is
   * how long the lock is held: until the operation finishes or is replaced.
   */
  function own(next: StopAllOperation): Promise<void> {
    stopOwning?.();
    operation = next;
    role = "owner";
    const persisted = persistOperation(next, deps.store, deps.clock);
    let releaseLock: () => void = () => {};
    const held = new Promise<void>((release) => {
      releaseLock = release;
    });
    const unsubscribe = next.subscribe((state) => {
      notify();
      if (state.phase === "finished") releaseLock();
    });
    stopOwning = () => {
      unsubscribe();
      persisted.stop();
      releaseLock();
    };
    notify();
    if (next.getState().phase === "finished") releaseLock();
    return held;
  }

  function observeStored(): void {
    if (role === "owner" && isRunning(operation?.getState())) return;
    const loaded = deps.store.load();
    if (loaded.kind === "found") {
      operation = readOnlyOperation(loaded.state);
      role = "observer";
      if (isRunning(loaded.state)) waitToTakeOver();
    } else if (loaded.kind === "unreadable") {
      notice = `A saved Stop All could not be read (${loaded.message}); it was discarded.`;
    }
    notify();
  }

  /** The running tab went away: whoever gets the lock next resumes the stored operation. */
  function resumeIfStoredIsRunning(): Promise<void> | undefined {
    const loaded = deps.store.load();
    if (loaded.kind !== "found" || !isRunning(loaded.state)) return undefined;
    return own(resumeStopAll({ saved: loaded.state, client: deps.client, fleet: deps.fleet, clock: deps.clock, options: deps.options }));
  }

  function waitToTakeOver(): void {
    if (!deps.locks || waitingForLock || lifetime.signal.aborted) return;
    waitingForLock = true;
    deps.locks
      .request(STOP_ALL_LOCK, { signal: lifetime.signal }, () => {
        waitingForLock = false;
        return resumeIfStoredIsRunning() ?? observeStored();
      })
      .catch(() => {
        waitingForLock = false;
      });
  }

  const unsubscribeStorage = deps.subscribeToStorage(observeStored);

  return {
    /** Loads what storage holds: resumes a running operation nobody owns, or shows another tab's. */
    init(): Promise<void> {
      const loaded = deps.store.load();
      if (loaded.kind === "unreadable") {
        deps.store.clear();
        notice = `A saved Stop All could not be read (${loaded.message}); it was discarded.`;
        notify();
        return Promise.resolve();
      }
      if (loaded.kind === "none") return Promise.resolve();
      if (!isRunning(loaded.state)) {
        const endedAt = loaded.state.finishedAt ?? loaded.state.startedAt;
        if (deps.clock.now() - endedAt <= SHOW_FINISHED_FOR_MS) observeStored();
        return Promise.resolve();
      }
      if (!deps.locks) {
        void resumeIfStoredIsRunning();
        return Promise.resolve();
      }
      return new Promise<void>((ready) => {
        void deps.locks!.request(STOP_ALL_LOCK, { ifAvailable: true }, (lock) => {
          if (!lock) {
            observeStored();
            ready();
            return undefined;
          }
          const held = resumeIfStoredIsRunning();
          ready();
          return held;
        });
      });
    },

    /** Starts a Stop All unless one runs here or in another tab of this browser. */
    async start(workspaces: readonly Workspace[]): Promise<SessionStartResult> {
      if (starting || (role === "owner" && isRunning(operation?.getState()))) {
        return operation ? { kind: "already-running", operation } : { kind: "running-elsewhere" };
      }
      if (role === "observer" && isRunning(operation?.getState())) return { kind: "running-elsewhere" };
      if (selectStopTargets(workspaces).length === 0) return { kind: "no-targets" };
      starting = true;
      /** Runs inside the lock; `held` is how long the lock is kept. */
      const begin = (): { result: SessionStartResult; held?: Promise<void> } => {
        starting = false;
        const loaded = deps.store.load();
        if (loaded.kind === "found" && isRunning(loaded.state)) {
          // Another tab's operation lost its owner in the meantime: carry it on instead.
          const held = resumeIfStoredIsRunning();
          return { result: operation ? { kind: "already-running", operation } : { kind: "running-elsewhere" }, held };
        }
        deps.store.clear();
        const started = startStopAll({ targets: workspaces, client: deps.client, fleet: deps.fleet, clock: deps.clock, options: deps.options });
        return { result: { kind: "started", operation: started }, held: own(started) };
      };
      if (!deps.locks) return begin().result;
      let result: SessionStartResult = { kind: "running-elsewhere" };
      await new Promise<void>((decided) => {
        void deps.locks!.request(STOP_ALL_LOCK, { ifAvailable: true }, (lock) => {
          if (!lock) {
            starting = false;
            decided();
            return undefined;
          }
          const begun = begin();
          result = begun.result;
          decided();
          return begun.held;
        });
      });
      if (result.kind === "running-elsewhere") observeStored();
      return result;
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
      unsubscribeStorage();
      stopOwning?.();
      if (role === "owner") operation?.dispose();
      listeners.clear();
    },
  };
}

export type StopAllSession = ReturnType<typeof createStopAllSession>;
