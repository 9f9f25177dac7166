import type { FleetView } from "../fleet/view";
import type { PlatformClient } from "../platform/client";
import type { Workspace } from "../platform/workspace";
import type { Clock } from "../time/clock";
import type { StopAllStartResult } from "./coordinator";
import type { OperationStore } from "./operation-store";
import type { StopAllOptions } from "./options";
import { resumeStopAll, startStopAll, type StopAllOperation } from "./orchestrator";
import { selectStopTargets } from "./select-targets";
import { beginOwning, readOnlyOperation } from "./session-operations";
import { runLockNames, sessionLocks, type LockManagerLike, type Release, type SessionLocks } from "./session-locks";
import { move, operationOf, shownOf, type Effects, type Next, type SessionState, type TakeOver } from "./session-state";
import type { StopAllState, StopMode } from "./types";

export { runLockName, tabLockName, type LockManagerLike } from "./session-locks";

/** `owner`: this page runs (or ran) the operation. `observer`: another page's, shown read-only. */
export type SessionRole = "none" | "owner" | "observer";

export type SessionStartResult = StopAllStartResult | { kind: "running-elsewhere" };

export interface StopAllSessionDeps {
  client: PlatformClient;
  fleet: FleetView;
  clock: Clock;
  options?: StopAllOptions;
  /** The fleet's stored operation; its `fleet` also names the locks, so fleets never block each other. */
  store: OperationStore;
  /** `navigator.locks`; without it the session only guards this page. */
  locks?: LockManagerLike;
  /** Called when another tab changed the stored operation (`storage` events). */
  subscribeToStorage(listener: () => void): () => void;
}

/** A finished operation older than this is not shown again when a page opens. */
export const SHOW_FINISHED_FOR_MS = 15 * 60_000;

const isRunning = (state: StopAllState | undefined) => state !== undefined && state.phase !== "finished";

const unreadableNotice = (message: string) => `A saved Stop All could not be read (${message}); it was discarded.`;

/** One page's session: what it shows (`state`, changed only through `move`) and what it works with. */
interface Session {
  readonly deps: StopAllSessionDeps;
  readonly locks: SessionLocks;
  readonly lifetime: AbortSignal;
  /** This tab's own lock, held from the start until the session is disposed (or the tab goes). */
  readonly tabLockHeld: Promise<void>;
  readonly notify: () => void;
  readonly effects: Effects;
  state: SessionState;
  notice: string | undefined;
}

/** Every change of the session's state goes through `move`. */
function goTo(s: Session, next: Next | { kind: "starting"; on: boolean }): void {
  s.state = move(s.state, next, s.effects);
}

function own(s: Session, operation: StopAllOperation, releaseRun: Release): void {
  goTo(s, { kind: "owner", operation, releaseRun });
  s.notify();
}

function resume(s: Session, saved: StopAllState): StopAllOperation {
  const { client, fleet, clock, options } = s.deps;
  return resumeStopAll({ saved, client, fleet, clock, options });
}

/** Shows what storage holds (unless this page runs an operation): another page's operation, read-only; waits to take it over while it runs. */
function observeStored(s: Session): void {
  const shown = shownOf(s.state);
  if (shown.kind === "owner" && isRunning(shown.operation.getState())) return;
  const loaded = s.deps.store.load();
  if (loaded.kind === "found") {
    const waitFor = isRunning(loaded.state) ? { owner: loaded.owner } : undefined;
    goTo(s, { kind: "observer", operation: readOnlyOperation(loaded.state), waitFor });
  } else if (loaded.kind === "unreadable") {
    s.notice = unreadableNotice(loaded.message);
  }
  s.notify();
}

/**
 * Holding the run lock: resumes the stored operation if it still runs and
 * its owner is gone, keeping the lock; otherwise lets the lock go and shows
 * what is stored. True when it resumed.
 */
async function resumeIfOwnerGone(s: Session, releaseRun: Release): Promise<boolean> {
  await s.tabLockHeld;
  const stored = s.deps.store.load();
  const owner = stored.kind === "found" ? stored.owner : undefined;
  const ownerGone = stored.kind === "found" && isRunning(stored.state) && !(await s.locks.ownerIsAlive(owner));
  // Read again: a write in transit may have landed while the locks answered.
  const latest = s.deps.store.load();
  if (ownerGone && latest.kind === "found" && isRunning(latest.state) && latest.owner === owner && !s.lifetime.aborted) {
    own(s, resume(s, latest.state), releaseRun);
    return true;
  }
  releaseRun();
  observeStored(s);
  return false;
}

/** Entering `observer` of a running operation: waits for its owner to go, then takes the operation over. */
function waitToTakeOver(s: Session, owner: string | undefined): TakeOver | undefined {
  if (!s.locks.available || s.lifetime.aborted) return undefined;
  const takeOver: TakeOver = { owner, abort: new AbortController() };
  const stillWaiting = () => {
    const shown = shownOf(s.state);
    return shown.kind === "observer" && shown.takeOver === takeOver ? shown : undefined;
  };
  void (async () => {
    try {
      const releaseRun = await s.locks.waitForOwnerToGo(owner, takeOver.abort.signal);
      const waiting = stillWaiting();
      if (!waiting) return releaseRun();
      goTo(s, { kind: "observer", operation: waiting.operation }); // the wait is over: this page holds the run lock
      await resumeIfOwnerGone(s, releaseRun);
    } catch {
      // Abandoned (a newer wait replaced it, or the session ended); or the locks failed: a later change may wait again.
      const waiting = stillWaiting();
      if (waiting) goTo(s, { kind: "observer", operation: waiting.operation });
    }
  })();
  return takeOver;
}

/** Loads what storage holds: resumes a running operation whose owner is gone, or shows another tab's. */
async function init(s: Session): Promise<void> {
  await s.tabLockHeld;
  const loaded = s.deps.store.load();
  if (loaded.kind === "unreadable") {
    s.deps.store.clear();
    s.notice = unreadableNotice(loaded.message);
    s.notify();
    return;
  }
  if (loaded.kind === "none") return;
  if (!isRunning(loaded.state)) {
    const endedAt = loaded.state.finishedAt ?? loaded.state.startedAt;
    if (s.deps.clock.now() - endedAt <= SHOW_FINISHED_FOR_MS) observeStored(s);
    return;
  }
  const releaseRun = await s.locks.takeRunLock();
  if (releaseRun) await resumeIfOwnerGone(s, releaseRun);
  else observeStored(s);
}

/** Why a click starts nothing, before any lock is asked; undefined when it may try. */
function refusal(s: Session, workspaces: readonly Workspace[]): SessionStartResult | undefined {
  const { state } = s;
  if (state.kind === "starting") {
    const shown = operationOf(state.shown);
    return shown ? { kind: "already-running", operation: shown } : { kind: "running-elsewhere" };
  }
  if (state.kind === "owner" && isRunning(state.operation.getState())) return { kind: "already-running", operation: state.operation };
  if (state.kind === "observer" && isRunning(state.operation.getState())) return { kind: "running-elsewhere" };
  if (selectStopTargets(workspaces).length === 0) return { kind: "no-targets" };
  return undefined;
}

/** The click, once no other start is under way: takes the run lock, then starts (or carries on a running operation that lost its owner). */
async function startWithRunLock(s: Session, workspaces: readonly Workspace[], mode: StopMode): Promise<SessionStartResult> {
  await s.tabLockHeld;
  const releaseRun = await s.locks.takeRunLock();
  if (!releaseRun) {
    observeStored(s);
    return { kind: "running-elsewhere" };
  }
  const loaded = s.deps.store.load();
  if (loaded.kind === "found" && isRunning(loaded.state)) {
    // A running operation in storage: its live owner's, or one that lost its owner, carried on here.
    const resumed = await resumeIfOwnerGone(s, releaseRun);
    const operation = operationOf(shownOf(s.state));
    return resumed && operation ? { kind: "already-running", operation } : { kind: "running-elsewhere" };
  }
  s.deps.store.clear();
  const { client, fleet, clock, options } = s.deps;
  const started = startStopAll({ targets: workspaces, client, fleet, clock, options, mode });
  own(s, started, releaseRun);
  return { kind: "started", operation: started };
}

async function start(s: Session, workspaces: readonly Workspace[], mode: StopMode): Promise<SessionStartResult> {
  const refused = refusal(s, workspaces);
  if (refused) return refused;
  goTo(s, { kind: "starting", on: true });
  try {
    return await startWithRunLock(s, workspaces, mode);
  } finally {
    goTo(s, { kind: "starting", on: false });
  }
}

function dispose(s: Session): void {
  const shown = shownOf(s.state);
  goTo(s, { kind: "none" });
  if (shown.kind === "owner") shown.operation.dispose();
}

/**
 * One Stop All per fleet per browser. The tab that holds the fleet's run
 * lock runs the operation and keeps it in the fleet's storage, with its own
 * name as the owner; other tabs of that fleet show it read-only, other
 * fleets never see it. A tab takes an operation over only when its owner is
 * gone (the owner's tab lock is free): so when the owner reloads or closes,
 * the operation resumes, with its original deadline, in the reloaded page or
 * another tab.
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
  const locks = sessionLocks(deps.locks, runLockNames(deps.store.fleet, deps.store.legacy));
  const s: Session = {
    deps,
    locks,
    lifetime: lifetime.signal,
    tabLockHeld: locks.holdTabLock(deps.store.owner, lifetime.signal),
    notify: () => {
      for (const listener of [...listeners]) listener();
    },
    effects: {
      own: (operation, releaseRun) => beginOwning({ operation, store: deps.store, clock: deps.clock, releaseRun, onChange: () => s.notify() }),
      waitToTakeOver: (owner) => waitToTakeOver(s, owner),
    },
    state: { kind: "none" },
    notice: undefined,
  };
  const unsubscribeStorage = deps.subscribeToStorage(() => observeStored(s));
  const shown = () => shownOf(s.state);

  return {
    /** Loads what storage holds: resumes a running operation whose owner is gone, or shows another tab's. */
    init: () => init(s),
    /** Starts a Stop All unless one runs here or in another tab of this browser. */
    start: (workspaces: readonly Workspace[], options: { mode?: StopMode } = {}) => start(s, workspaces, options.mode ?? "stop"),
    current: () => operationOf(shown()),
    role: (): SessionRole => shown().kind,
    isRunning: () => isRunning(operationOf(shown())?.getState()),
    /** A message for the operator about storage (e.g. a saved operation that could not be read). */
    notice: () => s.notice,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    /** Writes the stored copy now (call on pagehide). */
    flush() {
      const now = shown();
      if (now.kind === "owner") deps.store.save(now.operation.getState());
    },
    checkDeadline() {
      const now = shown();
      if (now.kind === "owner") now.operation.checkDeadline();
    },
    dispose() {
      lifetime.abort();
      unsubscribeStorage();
      dispose(s);
      listeners.clear();
    },
  };
}

export type StopAllSession = ReturnType<typeof createStopAllSession>;
