import { describeFinding, describeOutcome, describeResume, kindLabel } from "./labels";
import { outcomeOf } from "./targets";
import type { CancelFinding, OperationPhase, ResumeProgress, StopAllState, StopMode, TargetOutcome, TargetOutcomeKind, TargetState, TargetTimes } from "./types";
import type { A2AProtocol } from "../platform/workspace";

/** Times of one target in ms after the click; null when it did not happen. */
export type ReportTimes = { [K in keyof Required<TargetTimes>]: number | null };

export interface ReportTarget {
  workspaceId: string;
  name: string;
  protocol: A2AProtocol;
  phase: TargetState["phase"]["kind"];
  outcome: TargetOutcome | null;
  outcomeText: string | null;
  finding: (Omit<CancelFinding, "cancels"> & { text: string; cancels: { taskId: string; result: CancelFinding["cancels"][number]["result"]; answeredMs: number }[] }) | null;
  restartAttempts: number;
  times: ReportTimes;
  /** The quiet watch after the end: each time it was seen busy again (ms after the click), with its task. */
  busyAgain: { at: number; afterMs: number; task: string }[];
  /** Hold: pauses queued for it. */
  pauseAttempts: number;
  /** "Resume held" for it, when asked: where it is, in words, and when it ended (ms after the click). */
  resume: { progress: ResumeProgress; text: string; doneMs: number | null } | null;
}

/** The Stop All report as plain JSON-serialisable data (to copy or download). */
export interface StopAllReport {
  startedAt: string;
  deadlineMs: number;
  /** `stop` restarts what did not drain; `hold` pauses every target. */
  mode: StopMode;
  phase: OperationPhase;
  /** From the click to the end; null while running. */
  durationMs: number | null;
  counts: Record<TargetOutcomeKind, number> & { pending: number };
  summary: string;
  /** How long the targets were (or are) watched after the end, and how many were seen busy again in that time. */
  quietWatch: { ms: number; busyAgain: number };
  /** Live mode: who started it, why, what was left out, and every override with its actor (times as ISO strings). */
  operation?: Omit<ReportOperation, "actions"> & { actions: { at: string; actor: string; action: string; workspaceId?: string }[] };
  targets: ReportTarget[];
}

/** Who and why, for an operation the canvas server ran (structurally the host's OperationInfo). */
export interface ReportOperation {
  id: string;
  actor: string;
  reason: string;
  leftOut: readonly { workspaceId: string; why: string }[];
  actions: readonly { at: number; actor: string; action: string; workspaceId?: string }[];
}

function relative(at: number | undefined, startedAt: number): number | null {
  return at === undefined ? null : at - startedAt;
}

function countOutcomes(targets: readonly TargetState[]): StopAllReport["counts"] {
  const counts = {
    drained: 0,
    restarted: 0,
    "platform-restarting": 0,
    gone: 0,
    "restart-failed": 0,
    kept: 0,
    unknown: 0,
    held: 0,
    "held-forced": 0,
    "pause-failed": 0,
    "pause-skipped": 0,
    pending: 0,
  };
  for (const target of targets) counts[outcomeOf(target)?.kind ?? "pending"]++;
  return counts;
}

function reportTarget(target: TargetState, startedAt: number): ReportTarget {
  const outcome = outcomeOf(target);
  const { times, finding } = target;
  return {
    workspaceId: target.workspaceId,
    name: target.name,
    protocol: target.protocol,
    phase: target.phase.kind,
    outcome: outcome ?? null,
    outcomeText: outcome ? describeOutcome(outcome) : null,
    finding: finding
      ? {
          idSource: finding.idSource,
          listing: finding.listing,
          headline: finding.headline,
          text: describeFinding(finding.headline),
          cancels: finding.cancels.map((cancel) => ({ taskId: cancel.taskId, result: cancel.result, answeredMs: cancel.answeredAt - startedAt })),
        }
      : null,
    restartAttempts: target.restartAttempts,
    times: {
      cancelSentAt: relative(times.cancelSentAt, startedAt),
      cancelAnsweredAt: relative(times.cancelAnsweredAt, startedAt),
      drainedAt: relative(times.drainedAt, startedAt),
      restartSentAt: relative(times.restartSentAt, startedAt),
      restartAnsweredAt: relative(times.restartAnsweredAt, startedAt),
      pauseSentAt: relative(times.pauseSentAt, startedAt),
      pauseAnsweredAt: relative(times.pauseAnsweredAt, startedAt),
      settledAt: relative(times.settledAt, startedAt),
    },
    busyAgain: (target.busyAgain ?? []).map((again) => ({ at: again.at - startedAt, afterMs: again.afterMs, task: again.task })),
    pauseAttempts: target.pauseAttempts ?? 0,
    resume: target.resume ? { progress: target.resume, text: describeResume(target.resume) ?? "", doneMs: target.resume.kind === "done" ? target.resume.at - startedAt : null } : null,
  };
}

/** Builds the report: targets, outcomes, phase-1 findings, times relative to the click, deadline. */
export function buildReport(state: StopAllState, operation?: ReportOperation): StopAllReport {
  const { targets } = state;
  const who = operation && {
    operation: {
      id: operation.id,
      actor: operation.actor,
      reason: operation.reason,
      leftOut: operation.leftOut.map((entry) => ({ ...entry })),
      actions: operation.actions.map((action) => ({ ...action, at: new Date(action.at).toISOString() })),
    },
  };
  return {
    startedAt: new Date(state.startedAt).toISOString(),
    deadlineMs: state.deadlineAt - state.startedAt,
    mode: state.mode ?? "stop",
    phase: state.phase,
    durationMs: state.finishedAt === undefined ? null : state.finishedAt - state.startedAt,
    counts: countOutcomes(targets),
    summary: summarize(state),
    quietWatch: { ms: state.quietMs ?? 0, busyAgain: targets.filter((target) => (target.busyAgain?.length ?? 0) > 0).length },
    ...who,
    targets: targets.map((target) => reportTarget(target, state.startedAt)),
  };
}

const OUTCOME_ORDER: readonly TargetOutcomeKind[] = [
  "drained",
  "held",
  "restarted",
  "held-forced",
  "platform-restarting",
  "gone",
  "restart-failed",
  "pause-failed",
  "pause-skipped",
  "kept",
  "unknown",
];

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * One line for the operator (and screen readers), e.g. "Stopped 12
 * workspaces in 2.1 s: 9 drained, 2 restarted, 1 restart failed".
 */
export function summarize(state: StopAllState): string {
  const { targets } = state;
  if (targets.length === 0) return "Nothing to stop: no workspace was busy";
  const counts = countOutcomes(targets);
  const hold = state.mode === "hold";
  // In a hold, a lost answer is a pause's.
  const parts = OUTCOME_ORDER.filter((kind) => counts[kind] > 0).map((kind) => `${counts[kind]} ${kindLabel(kind, hold)}`);
  if (state.phase === "resuming") return `Resuming what this Stop All held: ${plural(state.resumesOpen ?? 0, "workspace")} to go`;
  if (state.phase === "finished" && state.finishedAt !== undefined) {
    const seconds = ((state.finishedAt - state.startedAt) / 1000).toFixed(1);
    return `${hold ? "Stopped and held" : "Stopped"} ${plural(targets.length, "workspace")} in ${seconds} s: ${parts.join(", ")}${resumedPart(targets)}`;
  }
  parts.push(`${counts.pending} in progress`);
  return `${hold ? "Stopping and holding" : "Stopping"} ${plural(targets.length, "workspace")}: ${parts.join(", ")}`;
}

/** ", 3 resumed" once "Resume held" ran (resumed by its own call or with a parent's). */
function resumedPart(targets: readonly TargetState[]): string {
  const resumed = targets.filter((target) => target.resume?.kind === "done" && (target.resume.result.kind === "resumed" || target.resume.result.kind === "with-parent")).length;
  return resumed > 0 ? `; ${resumed} resumed` : "";
}
