import type { FleetView } from "../fleet/view";
import type { PlatformClient } from "../platform/client";
import type { Workspace } from "../platform/workspace";
import type { Clock, TimerHandle } from "../time/clock";
import { createA2AClient } from "../a2a/a2a-client";
import { runCancelPhase } from "./cancel-phase";
import { observe, watchDrain, type DrainObservation } from "./drain-watch";
import { createEventEmitter, createSnapshotEmitter } from "./emitter";
import { createRequestLimiter } from "../a2a/limiter";
import { resolveOptions, type StopAllOptions } from "./options";
import { requestRestart, type RestartAnswer } from "./restart-request";
import { selectStopTargets } from "./select-targets";
import { planResume, type ResumePlan } from "./resume";
import { applyEvent, initialState, isOpen } from "./transitions";
import type { CancelFinding, RestartTrigger, StopAllEvent, StopAllState } from "./types";
import { targetOf } from "./targets";

export interface StartStopAllInput {
  /** The busy workspaces at the click. Anything that is not a stop target is left out. */
  targets: readonly Workspace[];
  client: PlatformClient;
  fleet: FleetView;
  clock: Clock;
  options?: StopAllOptions;
}

/** A running (or finished) Stop All. Every method is safe to call at any time. */
export interface StopAllOperation {
  /** The current immutable snapshot. */
  getState(): StopAllState;
  /** Calls `listener` with each new snapshot. Returns the unsubscribe function. */
  subscribe(listener: (state: StopAllState) => void): () => void;
  /**
   * Calls `listener` synchronously with every event that changed the state,
   * and the state after it: none is skipped or merged (`subscribe` may skip
   * snapshots a listener superseded). `restart-sent` comes just before the
   * restart request leaves. Returns the unsubscribe function.
   */
  onEvent(listener: (event: StopAllEvent, state: StopAllState) => void): () => void;
  /** Restart now the undrained targets (one, or all): those still cancelling or watching. */
  restartNow(workspaceId?: string): void;
  /** Don't restart (one, or all open targets): outcome `kept`. */
  keep(workspaceId?: string): void;
  /**
   * Retry a restart. Without an id: every `restart-failed` target. With an id:
   * that target when it is `restart-failed` or `unknown` (a lost answer is only
   * ever retried this way, on the operator's word for that workspace).
   */
  retryRestart(workspaceId?: string): void;
  /** Restarts at once if the deadline has passed but its timer has not fired yet (throttled timers). */
  checkDeadline(): void;
  /** Stops all work, timers and listeners; the last snapshot stays readable. */
  dispose(): void;
  isDisposed(): boolean;
}

function failedFinding(error: unknown): CancelFinding {
  const failure = { kind: "network-error" as const, message: error instanceof Error ? error.message : String(error) };
  return { idSource: "none", listing: failure, cancels: [], headline: failure };
}

/**
 * Starts a Stop All: cancel politely (phase 1), watch the store for drains
 * (phase 2), restart at the deadline whatever did not drain (phase 3). The
 * targets are fixed here; requests go only to them.
 */
export function startStopAll(input: StartStopAllInput): StopAllOperation {
  const options = resolveOptions(input.options);
  const targets = selectStopTargets(input.targets);
  const startedAt = input.clock.now();
  const seeds = targets.map((workspace) => ({ workspaceId: workspace.id, name: workspace.name, protocol: workspace.protocol }));
  return runOperation(input, initialState(seeds, startedAt, startedAt + options.deadlineMs), targets, []);
}

export interface ResumeStopAllInput extends Omit<StartStopAllInput, "targets"> {
  /** The last snapshot saved before the page went away. */
  saved: StopAllState;
}

/**
 * Carries on an operation whose page went away (reload, closed tab) from
 * its saved snapshot: same targets, same deadline. Nothing already sent is
 * sent again (see resume.ts); restarts still go out at the deadline, once.
 */
export function resumeStopAll(input: ResumeStopAllInput): StopAllOperation {
  const plan = planResume(input.saved, input.clock.now());
  return runOperation(input, plan.state, [], plan.unsentRestarts);
}

/**
 * Targets whose phase 1 starts in one task. Starting one costs ~0.05 ms in
 * a production build (bench-1000), so 128 keep a task near 7 ms; 24 (sized
 * when each request cost ~0.6 ms through a service worker) spread 400 cancels
 * over 17 tasks, each also waiting behind answers and renders.
 */
export const PHASE1_START_BATCH = 128;

function runOperation(
  input: Omit<StartStopAllInput, "targets">,
  initial: StopAllState,
  phase1Targets: readonly Workspace[],
  unsentRestarts: ResumePlan["unsentRestarts"],
): StopAllOperation {
  const { client, fleet, clock } = input;
  const options = resolveOptions(input.options);
  let state = initial;

  const limiter = createRequestLimiter(options.maxInFlight);
  const a2a = createA2AClient({ platform: client, clock, limiter, requestTimeoutMs: options.requestTimeoutMs });
  const restartDeps = { platform: client, clock, limiter, timeoutMs: options.restartTimeoutMs };
  const listeners = createSnapshotEmitter<StopAllState>();
  const eventListeners = createEventEmitter<[StopAllEvent, StopAllState]>();
  const phase1 = new Map<string, AbortController>();
  const lifetime = new AbortController();
  let disposed = false;
  let deadlineTimer: TimerHandle | undefined;
  let stopWatching: (() => void) | undefined;

  function stopTimersAndWatch(): void {
    if (deadlineTimer !== undefined) clock.clearTimeout(deadlineTimer);
    deadlineTimer = undefined;
    stopWatching?.();
    stopWatching = undefined;
  }

  function afterChange(event: StopAllEvent): void {
    // Phase 1 ends for a target the moment it leaves `cancelling` (drained, gone, kept, restarting…).
    if (event.type !== "deadline-passed") {
      const controller = phase1.get(event.workspaceId);
      if (controller && targetOf(state, event.workspaceId)?.phase.kind !== "cancelling") {
        controller.abort();
        phase1.delete(event.workspaceId);
      }
    }
    if (state.phase === "finished") stopTimersAndWatch();
  }

  /** Applies one event; true when it changed the state. */
  function dispatch(event: StopAllEvent): boolean {
    if (disposed) return false;
    const next = applyEvent(state, event);
    if (next === state) return false;
    state = next;
    afterChange(event);
    eventListeners.emit(event, state);
    listeners.emit(() => state);
    return true;
  }

  function onObservation(workspaceId: string, observation: DrainObservation): void {
    const at = clock.now();
    if (observation === "drained") dispatch({ type: "drained", workspaceId, at });
    else if (observation === "removed") dispatch({ type: "gone", workspaceId, at, seenIn: "store" });
    else dispatch({ type: "platform-restarting", workspaceId, at, seenIn: "store" });
  }

  const isOpenTarget = (id: string) => {
    const target = targetOf(state, id);
    return target !== undefined && isOpen(target.phase);
  };
  const openIds = () => state.order.filter(isOpenTarget);

  function queueRestart(workspaceId: string, trigger: RestartTrigger): void {
    // The reducer refuses a restart the rules forbid; only an accepted one is sent.
    if (!dispatch({ type: "restart-queued", workspaceId, at: clock.now(), trigger })) return;
    const onSent = () => void dispatch({ type: "restart-sent", workspaceId, at: clock.now() });
    void requestRestart(restartDeps, workspaceId, lifetime.signal, onSent)
      .catch((error: unknown): RestartAnswer => ({ kind: "lost", reason: "network", message: String(error) }))
      .then((answer) => dispatch({ type: "restart-answered", workspaceId, at: clock.now(), answer }));
  }

  function onDeadline(): void {
    deadlineTimer = undefined;
    dispatch({ type: "deadline-passed", at: clock.now() });
    // One last look at the store, then restart once each target still open.
    for (const workspaceId of openIds()) {
      const observation = observe(fleet, workspaceId);
      if (observation) onObservation(workspaceId, observation);
    }
    for (const workspaceId of openIds()) queueRestart(workspaceId, "deadline");
  }

  async function runPhase1(workspace: Workspace): Promise<void> {
    const controller = new AbortController();
    phase1.set(workspace.id, controller);
    let finding: CancelFinding;
    try {
      finding = await runCancelPhase(
        {
          a2a,
          fleet,
          clock,
          deadlineAt: state.deadlineAt,
          maxTasks: options.maxTasksPerTarget,
          onCancelSent: () => void dispatch({ type: "cancel-sent", workspaceId: workspace.id, at: clock.now() }),
        },
        { id: workspace.id, protocol: workspace.protocol },
        controller.signal,
      );
    } catch (error) {
      finding = failedFinding(error);
    }
    if (phase1.get(workspace.id) === controller) phase1.delete(workspace.id);
    dispatch({ type: "cancel-finished", workspaceId: workspace.id, at: clock.now(), finding });
  }

  /**
   * The deadline timer can fire late (a hidden tab's timers are throttled);
   * every store change (polled about once a second) checks it too.
   */
  function checkDeadline(): void {
    if (!state.deadlinePassed && state.phase !== "finished" && clock.now() >= state.deadlineAt) {
      if (deadlineTimer !== undefined) clock.clearTimeout(deadlineTimer);
      onDeadline();
    }
  }

  /**
   * Starts phase 1 in batches, one macrotask each: a thousand requests
   * issued in one task would block the page for longer than a frame.
   */
  function startPhase1From(index: number): void {
    const end = Math.min(index + PHASE1_START_BATCH, phase1Targets.length);
    for (let i = index; i < end; i++) {
      const workspace = phase1Targets[i]!;
      if (targetOf(state, workspace.id)?.phase.kind === "cancelling") void runPhase1(workspace);
    }
    if (end < phase1Targets.length) clock.setTimeout(() => !disposed && startPhase1From(end), 0);
  }

  const isFinished = () => state.phase === "finished";
  if (!isFinished()) {
    if (!state.deadlinePassed) deadlineTimer = clock.setTimeout(onDeadline, Math.max(0, state.deadlineAt - clock.now()));
    stopWatching = watchDrain(fleet, { ids: openIds, has: isOpenTarget }, onObservation, checkDeadline);
    // The first look may already have settled every target.
    if (isFinished()) stopTimersAndWatch();
    startPhase1From(0);
    for (const { workspaceId, trigger } of unsentRestarts) queueRestart(workspaceId, trigger);
    // Resumed after the deadline: whatever is still open is restarted now, once.
    if (state.deadlinePassed) for (const workspaceId of openIds()) queueRestart(workspaceId, "deadline");
    checkDeadline();
  }

  const idsFor = (workspaceId?: string) => (workspaceId === undefined ? state.order : [workspaceId]);

  return {
    getState: () => state,
    subscribe(listener) {
      return disposed ? () => {} : listeners.add(listener);
    },
    onEvent(listener) {
      return disposed ? () => {} : eventListeners.add(listener);
    },
    restartNow(workspaceId) {
      for (const id of idsFor(workspaceId)) queueRestart(id, "operator");
    },
    keep(workspaceId) {
      for (const id of idsFor(workspaceId)) dispatch({ type: "kept", workspaceId: id, at: clock.now() });
    },
    retryRestart(workspaceId) {
      if (workspaceId !== undefined) return queueRestart(workspaceId, "retry");
      for (const id of state.order) {
        const phase = targetOf(state, id)?.phase;
        if (phase?.kind === "settled" && phase.outcome.kind === "restart-failed") queueRestart(id, "retry");
      }
    },
    checkDeadline,
    dispose() {
      if (disposed) return;
      disposed = true;
      stopTimersAndWatch();
      for (const controller of phase1.values()) controller.abort();
      phase1.clear();
      lifetime.abort();
      listeners.clear();
      eventListeners.clear();
    },
    isDisposed: () => disposed,
  };
}
