import type { A2AProtocol } from "../platform/workspace";
import type { RestartAnswer } from "./restart-request";
import type { PauseAnswer, ResumeAnswer } from "./hold-requests";
import { countPhases, movePhaseCount, targetIndex, type PhaseCounts } from "./targets";
import type {
  CancelFinding,
  HoldSeen,
  OperationPhase,
  PauseResult,
  PauseTrigger,
  ResumeProgress,
  ResumeResult,
  RestartTrigger,
  StopAllEvent,
  StopMode,
  StopAllState,
  TargetOutcome,
  TargetPhase,
  TargetState,
} from "./types";

/** A target as the operation is given it. */
export interface TargetSeed {
  workspaceId: string;
  name: string;
  protocol: A2AProtocol;
}

/** Before the deadline and not yet restarting or settled: the drain still counts. */
export function isOpen(phase: TargetPhase): phase is { kind: "cancelling" } | { kind: "watching" } {
  return phase.kind === "cancelling" || phase.kind === "watching";
}

/**
 * Whether a restart with this trigger may be queued now. Deadline and operator
 * restarts only for open targets (never drained, gone, platform-restarting,
 * kept or already restarted ones); a retry only after a failed or lost restart.
 */
export function mayRestart(target: TargetState, trigger: RestartTrigger): boolean {
  if (trigger !== "retry") return isOpen(target.phase);
  const { phase } = target;
  return phase.kind === "settled" && (phase.outcome.kind === "restart-failed" || phase.outcome.kind === "unknown");
}

/**
 * Whether a pause with this trigger may be queued now (hold). Deadline and
 * operator pauses only for open targets; a retry only after a failed or
 * lost pause. A drained target is queued by its drain, never here.
 */
export function mayPause(target: TargetState, trigger: RestartTrigger): boolean {
  if (trigger !== "retry") return isOpen(target.phase);
  const { phase } = target;
  return phase.kind === "settled" && (phase.outcome.kind === "pause-failed" || phase.outcome.kind === "unknown");
}

/** The outcome a failed force has, which "Retry failed" retries: a stop's restart, or a hold's pause. */
export const failedForceKind = (mode: StopMode | undefined): "restart-failed" | "pause-failed" => (mode === "hold" ? "pause-failed" : "restart-failed");

/** A target to pause that has not sent its pause: the store (or a pause above it) may still settle it without one. */
export function awaitsPause(target: TargetState): boolean {
  return target.phase.kind === "holding" && target.times.pauseSentAt === undefined;
}

/** `held` when it drained first, else `held-forced` (by the deadline, the operator, a retry). */
function heldOutcome(target: TargetState, trigger: PauseTrigger, pause: PauseResult): TargetOutcome {
  if (trigger === "drained" || target.times.drainedAt !== undefined) return { kind: "held", pause };
  return { kind: "held-forced", trigger, pause };
}

function outcomeOfPause(target: TargetState, answer: PauseAnswer, trigger: PauseTrigger): TargetOutcome {
  switch (answer.kind) {
    case "paused":
      return heldOutcome(target, trigger, { kind: "paused", count: answer.count });
    case "already-paused":
      return heldOutcome(target, trigger, { kind: "already-paused" });
    case "gone":
      return { kind: "gone", seenIn: "pause-answer" };
    case "failed":
      return { kind: "pause-failed", status: answer.status, message: answer.message };
    case "lost":
      return { kind: "unknown", reason: answer.reason, message: answer.message, of: "pause" };
    case "not-sent":
      return { kind: "pause-failed", message: answer.message ? `the pause was not sent: ${answer.message}` : "the pause was not sent" };
  }
}

function outcomeOfSeen(target: TargetState, seen: HoldSeen, trigger: PauseTrigger): TargetOutcome {
  switch (seen.kind) {
    case "with-parent":
      return heldOutcome(target, trigger, { kind: "with-parent", parentId: seen.parentId, parentName: seen.parentName });
    case "already-paused":
      return heldOutcome(target, trigger, { kind: "already-paused" });
    case "hibernated":
      return { kind: "pause-skipped", status: "hibernated" };
    case "kept-below":
      return { kind: "pause-skipped", keptId: seen.keptId, keptName: seen.keptName };
    case "gone":
      return { kind: "gone", seenIn: "store" };
  }
}

/** Paused by this operation (its own pause, or the cascade of one above it): what "Resume held" resumes. */
export function pausedByOperation(target: TargetState): boolean {
  const { phase } = target;
  if (phase.kind !== "settled") return false;
  const { outcome } = phase;
  return (outcome.kind === "held" || outcome.kind === "held-forced") && outcome.pause.kind !== "already-paused";
}

/** A resume that is asked for and not done. */
export function resumeOpen(progress: ResumeProgress | undefined): progress is Extract<ResumeProgress, { kind: "pending" | "sending" }> {
  return progress !== undefined && progress.kind !== "done";
}

/** Whether "Resume held" would (re)try this target: paused by the operation, never resumed, or its resume failed. */
export function mayResume(target: TargetState): boolean {
  if (!pausedByOperation(target)) return false;
  const { resume } = target;
  return resume === undefined || (resume.kind === "done" && (resume.result.kind === "failed" || resume.result.kind === "parent-paused"));
}

function resultOfResume(answer: ResumeAnswer): ResumeResult {
  switch (answer.kind) {
    case "resumed":
      return { kind: "resumed", count: answer.count };
    case "not-paused":
      return { kind: "not-paused" };
    case "parent-paused":
      return { kind: "parent-paused", message: answer.message };
    case "failed":
      return { kind: "failed", status: answer.status, message: answer.message };
    case "lost":
      return { kind: "failed", message: `the resume's answer was lost (${answer.message}); press Resume held again` };
    case "not-sent":
      return { kind: "failed", message: answer.message ? `the resume was not sent: ${answer.message}` : "the resume was not sent" };
  }
}

function outcomeOfRestart(answer: RestartAnswer, trigger: RestartTrigger): TargetOutcome {
  switch (answer.kind) {
    case "accepted":
      return { kind: "restarted", trigger };
    case "gone":
      return { kind: "gone", seenIn: "restart-answer" };
    case "platform-restarting":
      return { kind: "platform-restarting", seenIn: "restart-answer" };
    case "failed":
      return { kind: "restart-failed", status: answer.status, message: answer.message };
    case "lost":
      return { kind: "unknown", reason: answer.reason, message: answer.message };
    case "not-sent":
      return { kind: "restart-failed", message: answer.message ? `the restart was not sent: ${answer.message}` : "the restart was not sent" };
  }
}

/** When the agent's last real answer to a cancel came; aborted and timed-out cancels were never answered. */
function lastAnswerAt(finding: CancelFinding): number | undefined {
  const answered = finding.cancels.filter((cancel) => cancel.result.kind !== "aborted" && cancel.result.kind !== "timeout");
  return answered.length > 0 ? Math.max(...answered.map((cancel) => cancel.answeredAt)) : undefined;
}

function settle(target: TargetState, outcome: TargetOutcome, at: number): TargetState {
  return { ...target, phase: { kind: "settled", outcome }, times: { ...target.times, settledAt: at } };
}

type TargetEvent = Exclude<StopAllEvent, { type: "deadline-passed" | "resume-requested" }>;

/** The next state of one target, or the same object when the event does not apply to it. */
function nextTarget(target: TargetState, event: TargetEvent, hold: boolean): TargetState {
  const { phase, times } = target;
  switch (event.type) {
    case "cancel-sent":
      return times.cancelSentAt === undefined ? { ...target, times: { ...times, cancelSentAt: event.at } } : target;
    case "cancel-finished": {
      const answeredAt = lastAnswerAt(event.finding) ?? times.cancelAnsweredAt;
      const recorded: TargetState = { ...target, finding: event.finding, times: { ...times, cancelAnsweredAt: answeredAt } };
      if (phase.kind !== "cancelling") return recorded;
      const { headline } = event.finding;
      if (headline.kind === "gone") return settle(recorded, { kind: "gone", seenIn: "a2a-answer" }, event.at);
      if (headline.kind === "platform-restarting") return settle(recorded, { kind: "platform-restarting", seenIn: "a2a-answer" }, event.at);
      return { ...recorded, phase: { kind: "watching" } };
    }
    case "drained":
      if (!isOpen(phase)) return target;
      // Hold: a drained target is paused next, so that it takes no new work.
      if (hold) return { ...target, phase: { kind: "holding", trigger: "drained" }, pauseAttempts: (target.pauseAttempts ?? 0) + 1, times: { ...times, drainedAt: event.at } };
      return settle({ ...target, times: { ...times, drainedAt: event.at } }, { kind: "drained" }, event.at);
    case "gone":
      return isOpen(phase) || awaitsPause(target) ? settle(target, { kind: "gone", seenIn: event.seenIn }, event.at) : target;
    case "platform-restarting":
      return isOpen(phase) ? settle(target, { kind: "platform-restarting", seenIn: event.seenIn }, event.at) : target;
    case "kept":
      return isOpen(phase) ? settle(target, { kind: "kept" }, event.at) : target;
    case "restart-queued":
      if (hold || !mayRestart(target, event.trigger)) return target;
      return {
        ...target,
        phase: { kind: "restarting", trigger: event.trigger },
        restartAttempts: target.restartAttempts + 1,
        times: { ...times, restartSentAt: undefined, restartAnsweredAt: undefined, settledAt: undefined },
      };
    case "restart-sent":
      return phase.kind === "restarting" ? { ...target, times: { ...times, restartSentAt: event.at } } : target;
    case "restart-answered":
      if (phase.kind !== "restarting") return target;
      return settle({ ...target, times: { ...times, restartAnsweredAt: event.at } }, outcomeOfRestart(event.answer, phase.trigger), event.at);
    case "pause-queued":
      if (!hold || !mayPause(target, event.trigger)) return target;
      return {
        ...target,
        phase: { kind: "holding", trigger: event.trigger },
        pauseAttempts: (target.pauseAttempts ?? 0) + 1,
        times: { ...times, pauseSentAt: undefined, pauseAnsweredAt: undefined, settledAt: undefined },
      };
    case "pause-sent":
      return awaitsPause(target) ? { ...target, times: { ...times, pauseSentAt: event.at } } : target;
    case "pause-answered":
      // Also before `pause-sent`: a pause that could not be claimed or sent answers too.
      if (phase.kind !== "holding") return target;
      return settle({ ...target, times: { ...times, pauseAnsweredAt: event.at } }, outcomeOfPause(target, event.answer, phase.trigger), event.at);
    case "hold-seen":
      if (phase.kind !== "holding" || !awaitsPause(target)) return target;
      return settle(target, outcomeOfSeen(target, event.seen, phase.trigger), event.at);
    case "resume-sent": {
      const { resume } = target;
      return resume?.kind === "pending" ? { ...target, resume: { ...resume, kind: "sending", sentAt: event.at } } : target;
    }
    case "resume-answered":
      // Also while pending: a resume that could not be claimed or sent answers too.
      return resumeOpen(target.resume) ? { ...target, resume: { kind: "done", at: event.at, result: resultOfResume(event.answer) } } : target;
    case "resume-settled":
      return target.resume?.kind === "pending" ? { ...target, resume: { kind: "done", at: event.at, result: event.result } } : target;
    case "busy-again": {
      const since = quietSince(target);
      if (since === undefined) return target;
      return { ...target, busyAgain: [...(target.busyAgain ?? []), { at: event.at, afterMs: Math.max(0, event.at - since), task: event.task }] };
    }
  }
}

/** When a target stopped, for the quiet watch: its drain, or its accepted restart's answer; undefined for any other end. */
export function quietSince(target: TargetState): number | undefined {
  const { phase, times } = target;
  if (phase.kind !== "settled") return undefined;
  if (phase.outcome.kind === "drained") return times.drainedAt ?? times.settledAt;
  if (phase.outcome.kind === "restarted") return times.restartAnsweredAt ?? times.settledAt;
  return undefined;
}

/** Until when a finished operation's quiet watch runs; undefined while it runs or when it has none. */
export function quietUntil(state: StopAllState): number | undefined {
  return state.phase === "finished" && state.finishedAt !== undefined && (state.quietMs ?? 0) > 0 ? state.finishedAt + state.quietMs! : undefined;
}

/**
 * The operation's phase from its targets' phase counts. `previous` keeps it
 * from going back: once restarting, it stays restarting until finished.
 */
export function derivePhase(previous: OperationPhase, counts: PhaseCounts, total: number, deadlinePassed: boolean, resumesOpen = 0): OperationPhase {
  if (counts.settled === total) return resumesOpen > 0 ? "resuming" : "finished";
  const open = counts.cancelling + counts.watching;
  if (deadlinePassed || open === 0 || previous === "restarting" || previous === "finished" || previous === "resuming") return "restarting";
  return counts.cancelling > 0 ? "cancelling" : "watching";
}

function withPhase(state: StopAllState, targets: readonly TargetState[], counts: PhaseCounts, deadlinePassed: boolean, at: number, resumesOpen = state.resumesOpen ?? 0): StopAllState {
  const phase = derivePhase(state.phase, counts, targets.length, deadlinePassed, resumesOpen);
  const finishedAt = phase === "finished" ? (state.phase === "finished" ? state.finishedAt : at) : undefined;
  const resumes = resumesOpen > 0 || state.resumesOpen !== undefined ? { resumesOpen } : {};
  return Object.freeze({ ...state, phase, deadlinePassed, finishedAt, targets, counts, ...resumes });
}

/** "Resume held": every target this operation paused whose resume is not done (or failed) is pending, with a new attempt. */
function requestResumes(state: StopAllState, at: number): StopAllState {
  let targets: TargetState[] | undefined;
  let opened = 0;
  state.targets.forEach((target, position) => {
    if (!mayResume(target)) return;
    targets ??= state.targets.slice();
    const attempt = (target.resumeAttempts ?? 0) + 1;
    const next: TargetState = { ...target, resume: { kind: "pending", requestedAt: at }, resumeAttempts: attempt };
    targets[position] = Object.freeze(next);
    opened++;
  });
  if (!targets) return state;
  return withPhase(state, targets, state.counts, state.deadlinePassed, at, (state.resumesOpen ?? 0) + opened);
}

function backToPending(target: TargetState, parentName: string): TargetState {
  const { requestedAt } = target.resume as Extract<ResumeProgress, { kind: "sending" }>;
  return { ...target, resume: { kind: "pending", requestedAt, waitFor: parentName } };
}

/** A 409 "resume the parent first" naming a held workspace whose own resume is still to come: wait for it (once), not fail. */
function namedParentToWaitFor(state: StopAllState, target: TargetState, event: TargetEvent): string | undefined {
  if (event.type !== "resume-answered" || event.answer.kind !== "parent-paused" || target.resume?.kind !== "sending" || target.resume.waitFor !== undefined) return undefined;
  const name = event.answer.parentName;
  return name !== undefined && state.targets.some((other) => other !== target && other.name === name && resumeOpen(other.resume)) ? name : undefined;
}

/** The state at the click: every target cancelling (or a finished operation when there is none). */
export function initialState(seeds: readonly TargetSeed[], startedAt: number, deadlineAt: number, quietMs = 0, mode: StopMode = "stop"): StopAllState {
  const targets = seeds.map((seed) => {
    const target: TargetState = { ...seed, phase: { kind: "cancelling" }, finding: undefined, restartAttempts: 0, times: {} };
    return Object.freeze(target);
  });
  const empty: StopAllState = {
    phase: "cancelling",
    startedAt,
    deadlineAt,
    deadlinePassed: false,
    finishedAt: undefined,
    quietMs,
    ...(mode === "hold" ? { mode } : {}),
    order: Object.freeze(seeds.map((seed) => seed.workspaceId)),
    targets,
    counts: countPhases(targets),
  };
  return withPhase(empty, targets, empty.counts, false, startedAt);
}

/**
 * The one place where an operation and its targets move between phases.
 * Pure: returns the same object when the event changes nothing, a new
 * frozen snapshot otherwise (unchanged targets keep their identity).
 */
export function applyEvent(state: StopAllState, event: StopAllEvent): StopAllState {
  if (event.type === "deadline-passed") {
    return state.deadlinePassed ? state : withPhase(state, state.targets, state.counts, true, event.at);
  }
  if (event.type === "resume-requested") return state.phase === "finished" || state.phase === "resuming" ? requestResumes(state, event.at) : state;
  // Work that comes back counts only after the end, within the quiet watch.
  if (event.type === "busy-again" && !(event.at <= (quietUntil(state) ?? -Infinity))) return state;
  const position = targetIndex(state.order).get(event.workspaceId);
  const target = position === undefined ? undefined : state.targets[position];
  if (position === undefined || !target) return state;
  const waitFor = namedParentToWaitFor(state, target, event);
  const next = waitFor !== undefined ? backToPending(target, waitFor) : nextTarget(target, event, state.mode === "hold");
  if (next === target) return state;
  // A copy of the pointer array, not of the targets: cheap even for thousands.
  const targets = state.targets.slice();
  targets[position] = Object.freeze(next);
  const resumesOpen = (state.resumesOpen ?? 0) + Number(resumeOpen(next.resume)) - Number(resumeOpen(target.resume));
  return withPhase(state, targets, movePhaseCount(state.counts, target.phase.kind, next.phase.kind), state.deadlinePassed, event.at, resumesOpen);
}
