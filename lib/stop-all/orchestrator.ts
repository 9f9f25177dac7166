import type { FleetView } from "../fleet/view";
import type { PlatformClient } from "../platform/client";
import type { Workspace } from "../platform/workspace";
import type { Clock } from "../time/clock";
import { createRequestLimiter, type RequestLimiter } from "../a2a/limiter";
import { startDeadlineTimer } from "./deadline-timer";
import { observe, watchDrain, type DrainObservation } from "./drain-watch";
import { createOperationState, type OperationState } from "./operation-state";
import { resolveOptions, type StopAllOptions } from "./options";
import { startInBatches } from "./phase1-batches";
import { createHoldSender } from "./hold-sender";
import { createParentsFirst, type ParentsFirst } from "./parents-first";
import { createResumeSender } from "./resume-sender";
import { targetTreeOf, type TargetTree } from "./target-tree";
import { quietWatchSwitch } from "./quiet-watch";
import { createPhase1Runs, phase1EndFor, type Phase1Runs } from "./phase1-runs";
import { requestRestart, type ClaimRestart, type RestartAnswer, type RestartDeps } from "./restart-request";
import { planResume, type ResumePlan } from "./resume";
import { selectStopTargets } from "./select-targets";
import { targetOf } from "./targets";
import { failedForceKind, initialState, isOpen } from "./transitions";
import type { RestartTrigger, StopAllEvent, StopAllState, StopMode } from "./types";

export { PHASE1_START_BATCH } from "./phase1-batches";

export interface StartStopAllInput {
  /** The busy workspaces at the click. Anything that is not a stop target is left out. */
  targets: readonly Workspace[];
  client: PlatformClient;
  fleet: FleetView;
  clock: Clock;
  options?: StopAllOptions;
  /** `hold`: pause (each drained target, then at the deadline the others) instead of restarting. Default `stop`. */
  mode?: StopMode;
  /**
   * Asked just before each restart (pause, resume) leaves (the canvas server's journal):
   * only a `claimed` restart is sent. See restart-request.ts.
   */
  claimRestart?: ClaimRestart;
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
  /**
   * "Resume held": resumes, top-down, what this operation paused whose
   * resume is not done yet (or failed); safe to call twice.
   */
  resumeHeld(): void;
  /** Restarts at once if the deadline has passed but its timer has not fired yet (throttled timers). */
  checkDeadline(): void;
  /** Stops all work, timers and listeners; the last snapshot stays readable. */
  dispose(): void;
  isDisposed(): boolean;
}

/** What one operation runs on, its options resolved once (by startStopAll or resumeStopAll). */
interface OperationDeps {
  client: PlatformClient;
  fleet: FleetView;
  clock: Clock;
  options: ReturnType<typeof resolveOptions>;
  claimRestart?: ClaimRestart;
}

const depsOf = (input: Omit<StartStopAllInput, "targets">): OperationDeps => ({
  client: input.client,
  fleet: input.fleet,
  clock: input.clock,
  options: resolveOptions(input.options),
  claimRestart: input.claimRestart,
});

/**
 * Starts a Stop All: cancel politely (phase 1), watch the store for drains
 * (phase 2), restart at the deadline whatever did not drain (phase 3). The
 * targets are fixed here; requests go only to them.
 */
export function startStopAll(input: StartStopAllInput): StopAllOperation {
  const deps = depsOf(input);
  const targets = selectStopTargets(input.targets);
  const startedAt = input.clock.now();
  const seeds = targets.map((workspace) => ({ workspaceId: workspace.id, name: workspace.name, protocol: workspace.protocol }));
  const initial = initialState(seeds, startedAt, startedAt + deps.options.deadlineMs, deps.options.quietMs, input.mode);
  return runOperation(deps, initial, targets, []);
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
  return runOperation(depsOf(input), plan.state, [], plan.unsentRestarts);
}

type Dispatch = OperationState["dispatch"];

/** Phase 1 of the operation's targets, reporting to `dispatch`; a target's first cancel after those above it (`parents`). */
function phase1Of(deps: OperationDeps, limiter: RequestLimiter, deadlineAt: number, dispatch: Dispatch, parents: ParentsFirst): Phase1Runs {
  const { clock, options } = deps;
  return createPhase1Runs({
    platform: deps.client,
    fleet: deps.fleet,
    clock,
    limiter,
    deadlineAt,
    requestTimeoutMs: options.requestTimeoutMs,
    maxTasks: options.maxTasksPerTarget,
    beforeFirstCancel: (workspaceId, signal) => parents.waitForParents(workspaceId, signal),
    onCancelSent: (workspaceId) => {
      parents.reached(workspaceId);
      dispatch({ type: "cancel-sent", workspaceId, at: clock.now() });
    },
    onFinished: (workspaceId, finding) => {
      parents.reached(workspaceId);
      dispatch({ type: "cancel-finished", workspaceId, at: clock.now(), finding });
    },
  });
}

/**
 * Queues a restart through `dispatch`, whose reducer refuses one the rules
 * forbid; only an accepted one is sent, and its answer (or its loss) dispatched.
 */
function restartQueue(restartDeps: RestartDeps, dispatch: Dispatch, signal: AbortSignal, attemptOf: (workspaceId: string) => number): (workspaceId: string, trigger: RestartTrigger) => void {
  const { clock } = restartDeps;
  return (workspaceId, trigger) => {
    if (!dispatch({ type: "restart-queued", workspaceId, at: clock.now(), trigger })) return;
    const onSent = () => void dispatch({ type: "restart-sent", workspaceId, at: clock.now() });
    void requestRestart(restartDeps, workspaceId, signal, onSent, attemptOf(workspaceId))
      .catch((error: unknown): RestartAnswer => ({ kind: "lost", reason: "network", message: String(error) }))
      .then((answer) => dispatch({ type: "restart-answered", workspaceId, at: clock.now(), answer }));
  };
}

/** The event a final store observation stands for. */
function observationEvent(workspaceId: string, observation: DrainObservation, at: number): StopAllEvent {
  if (observation === "drained") return { type: "drained", workspaceId, at };
  if (observation === "removed") return { type: "gone", workspaceId, at, seenIn: "store" };
  return { type: "platform-restarting", workspaceId, at, seenIn: "store" };
}

/** Phase 1 ends for a target the moment it leaves `cancelling`: closed (drained, kept) or abandoned; those below it may send. */
function endPhase1IfLeft(state: StopAllState, workspaceId: string, phase1: Phase1Runs, parents: ParentsFirst): void {
  const phase = targetOf(state, workspaceId)?.phase;
  if (!phase || phase.kind === "cancelling") return;
  phase1.end(workspaceId, phase1EndFor(phase));
  parents.reached(workspaceId);
}

/** Starts a target's phase 1 if it is still cancelling (else those below it need not wait for it). */
function startPhase1If(state: StopAllState, workspace: Workspace, phase1: Phase1Runs, parents: ParentsFirst): void {
  if (targetOf(state, workspace.id)?.phase.kind === "cancelling") phase1.start(workspace);
  else parents.reached(workspace.id);
}

/** The team tree among the targets (the rows at the click, else the store's): for parents first, and a hold's pauses and resumes, which cascade. */
function operationTree(initial: StopAllState, phase1Targets: readonly Workspace[], fleet: FleetView): TargetTree {
  const rowsById = new Map(phase1Targets.map((workspace) => [workspace.id, workspace]));
  return targetTreeOf(initial.order, (id) => (rowsById.has(id) ? rowsById.get(id)!.parentId : fleet.get(id)?.parentId));
}

/**
 * What follows a target's drain or the deadline: restarts (a stop), or
 * pauses (a hold), and "Resume held" after a hold. Pauses and resumes
 * cascade, so they go by the team tree among the targets.
 */
function followUps(deps: OperationDeps, core: OperationState, limiter: RequestLimiter, signal: AbortSignal, tree: TargetTree) {
  const { fleet, clock } = deps;
  const { dispatch } = core;
  const state = core.get;
  const send = { platform: deps.client, clock, limiter, timeoutMs: deps.options.restartTimeoutMs, claim: deps.claimRestart };
  const queueRestart = restartQueue(send, dispatch, signal, (id) => targetOf(state(), id)?.restartAttempts ?? 0);
  const holds = createHoldSender({ state, dispatch, fleet, send, signal, tree });
  const resumes = createResumeSender({ state, dispatch, send, signal, tree });
  const hold = state().mode === "hold";
  return {
    queueRestart,
    /** At the deadline (or on the operator's word), what did not drain is restarted, or paused in a hold. */
    force: (workspaceId: string, trigger: RestartTrigger) =>
      hold ? void dispatch({ type: "pause-queued", workspaceId, at: clock.now(), trigger }) : queueRestart(workspaceId, trigger),
    /** After each change (and once at the start: a resumed operation may have some to send). */
    update() {
      holds.update();
      resumes.update();
    },
    dispose() {
      holds.dispose();
      resumes.dispose();
    },
  };
}

function runOperation(
  deps: OperationDeps,
  initial: StopAllState,
  phase1Targets: readonly Workspace[],
  unsentRestarts: ResumePlan["unsentRestarts"],
): StopAllOperation {
  const { fleet, clock } = deps;
  const core = createOperationState(initial, afterChange);
  const { dispatch } = core;
  const state = core.get;
  const limiter = createRequestLimiter(deps.options.maxInFlight);
  const lifetime = new AbortController();
  const tree = operationTree(initial, phase1Targets, fleet);
  const parents = createParentsFirst(phase1Targets, tree, clock);
  const phase1 = phase1Of(deps, limiter, initial.deadlineAt, dispatch, parents);
  const after = followUps(deps, core, limiter, lifetime.signal, tree);
  const { force } = after;
  const isPending = () => !state().deadlinePassed && state().phase !== "finished";
  const deadline = startDeadlineTimer(clock, initial.deadlineAt, isPending, onDeadline);
  let stopWatching: (() => void) | undefined;
  const quiet = quietWatchSwitch(fleet, clock, state, (event) => void dispatch(event));

  function stopTimersAndWatch(): void {
    deadline.stop();
    stopWatching?.();
    stopWatching = undefined;
  }

  function afterChange(event: StopAllEvent): void {
    if ("workspaceId" in event) endPhase1IfLeft(state(), event.workspaceId, phase1, parents);
    if (state().phase === "finished") stopTimersAndWatch();
    quiet.update();
    after.update();
  }

  const onObservation = (workspaceId: string, observation: DrainObservation) => void dispatch(observationEvent(workspaceId, observation, clock.now()));

  const isOpenTarget = (id: string) => {
    const target = targetOf(state(), id);
    return target !== undefined && isOpen(target.phase);
  };
  const openIds = () => state().order.filter(isOpenTarget);

  function onDeadline(): void {
    dispatch({ type: "deadline-passed", at: clock.now() });
    // One last look at the store, then restart once each target still open.
    for (const workspaceId of openIds()) {
      const observation = observe(fleet, workspaceId);
      if (observation) onObservation(workspaceId, observation);
    }
    for (const workspaceId of openIds()) force(workspaceId, "deadline");
  }

  if (state().phase !== "finished") {
    stopWatching = watchDrain(fleet, { ids: openIds, has: isOpenTarget }, onObservation, deadline.check);
    // The first look may already have settled every target.
    if (state().phase === "finished") stopTimersAndWatch();
    startInBatches(clock, parents.order, (workspace) => startPhase1If(state(), workspace, phase1, parents), core.isDisposed);
    for (const { workspaceId, trigger } of unsentRestarts) after.queueRestart(workspaceId, trigger);
    // Resumed after the deadline: whatever is still open is restarted now, once.
    if (state().deadlinePassed) for (const workspaceId of openIds()) force(workspaceId, "deadline");
    deadline.check();
  }
  // Resumed finished (a reload, a restarted server) within its quiet watch: watch on.
  quiet.update();
  // Resumed with pauses or resumes still to send (a restarted server): they go now, by the same rules.
  after.update();

  const dispose = () => {
    if (core.isDisposed()) return;
    core.dispose();
    stopTimersAndWatch();
    quiet.dispose();
    after.dispose();
    phase1.abandonAll();
    lifetime.abort();
  };
  return operationControls({ core, clock, force, hold: initial.mode === "hold", checkDeadline: deadline.check, dispose });
}

interface Controls {
  core: OperationState;
  clock: Clock;
  /** Restarts (a hold: pauses) one target. */
  force(workspaceId: string, trigger: RestartTrigger): void;
  hold: boolean;
  checkDeadline(): void;
  dispose(): void;
}

/** The operator's side of a running operation: overrides, retry, listeners. */
function operationControls({ core, clock, force, hold, checkDeadline, dispose }: Controls): StopAllOperation {
  const retried = failedForceKind(hold ? "hold" : "stop");
  const idsFor = (workspaceId?: string) => (workspaceId === undefined ? core.get().order : [workspaceId]);
  return {
    getState: core.get,
    subscribe: core.subscribe,
    onEvent: core.onEvent,
    restartNow(workspaceId) {
      for (const id of idsFor(workspaceId)) force(id, "operator");
    },
    keep(workspaceId) {
      for (const id of idsFor(workspaceId)) core.dispatch({ type: "kept", workspaceId: id, at: clock.now() });
    },
    retryRestart(workspaceId) {
      if (workspaceId !== undefined) return force(workspaceId, "retry");
      for (const id of core.get().order) {
        const phase = targetOf(core.get(), id)?.phase;
        if (phase?.kind === "settled" && phase.outcome.kind === retried) force(id, "retry");
      }
    },
    resumeHeld() {
      core.dispatch({ type: "resume-requested", at: clock.now() });
    },
    checkDeadline,
    dispose,
    isDisposed: core.isDisposed,
  };
}
