import type { A2AProtocol } from "../platform/workspace";
import type { RestartAnswer } from "./restart-request";
import { countPhases, movePhaseCount, targetIndex, type PhaseCounts } from "./targets";
import type {
  CancelFinding,
  OperationPhase,
  RestartTrigger,
  StopAllEvent,
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

/** The next state of one target, or the same object when the event does not apply to it. */
function nextTarget(target: TargetState, event: Exclude<StopAllEvent, { type: "deadline-passed" }>): TargetState {
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
      return settle({ ...target, times: { ...times, drainedAt: event.at } }, { kind: "drained" }, event.at);
    case "gone":
      return isOpen(phase) ? settle(target, { kind: "gone", seenIn: event.seenIn }, event.at) : target;
    case "platform-restarting":
      return isOpen(phase) ? settle(target, { kind: "platform-restarting", seenIn: event.seenIn }, event.at) : target;
    case "kept":
      return isOpen(phase) ? settle(target, { kind: "kept" }, event.at) : target;
    case "restart-queued":
      if (!mayRestart(target, event.trigger)) return target;
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
export function derivePhase(previous: OperationPhase, counts: PhaseCounts, total: number, deadlinePassed: boolean): OperationPhase {
  if (counts.settled === total) return "finished";
  const open = counts.cancelling + counts.watching;
  if (deadlinePassed || open === 0 || previous === "restarting" || previous === "finished") return "restarting";
  return counts.cancelling > 0 ? "cancelling" : "watching";
}

function withPhase(state: StopAllState, targets: readonly TargetState[], counts: PhaseCounts, deadlinePassed: boolean, at: number): StopAllState {
  const phase = derivePhase(state.phase, counts, targets.length, deadlinePassed);
  const finishedAt = phase === "finished" ? (state.phase === "finished" ? state.finishedAt : at) : undefined;
  return Object.freeze({ ...state, phase, deadlinePassed, finishedAt, targets, counts });
}

/** The state at the click: every target cancelling (or a finished operation when there is none). */
export function initialState(seeds: readonly TargetSeed[], startedAt: number, deadlineAt: number, quietMs = 0): StopAllState {
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
  // Work that comes back counts only after the end, within the quiet watch.
  if (event.type === "busy-again" && !(event.at <= (quietUntil(state) ?? -Infinity))) return state;
  const position = targetIndex(state.order).get(event.workspaceId);
  const target = position === undefined ? undefined : state.targets[position];
  if (position === undefined || !target) return state;
  const next = nextTarget(target, event);
  if (next === target) return state;
  // A copy of the pointer array, not of the targets: cheap even for thousands.
  const targets = state.targets.slice();
  targets[position] = Object.freeze(next);
  return withPhase(state, targets, movePhaseCount(state.counts, target.phase.kind, next.phase.kind), state.deadlinePassed, event.at);
}
