import type { FindingHeadline, PauseResult, ResumeProgress, TargetOutcome, TargetOutcomeKind, TargetState } from "./types";

/** An outcome kind's short words; `ofPause`: a lost answer is a pause's (a hold), not a restart's. */
export function kindLabel(kind: TargetOutcomeKind, ofPause: boolean): string {
  return ofPause && kind === "unknown" ? "pause answer lost" : OUTCOME_LABELS[kind];
}

/** An outcome's short words. */
export const outcomeLabel = (outcome: TargetOutcome): string => kindLabel(outcome.kind, outcome.kind === "unknown" && outcome.of === "pause");

/** Short words for each outcome, as the summary and the panel say them. */
export const OUTCOME_LABELS: Readonly<Record<TargetOutcomeKind, string>> = Object.freeze({
  drained: "drained",
  restarted: "restarted",
  "platform-restarting": "already restarting",
  gone: "gone",
  "restart-failed": "restart failed",
  kept: "kept",
  unknown: "restart answer lost",
  held: "held",
  "held-forced": "held at the deadline",
  "pause-failed": "pause failed",
  "pause-skipped": "not paused",
});

/** How a held target came to be paused, as a clause: "paused (3 with its team)", "paused with Lead". */
function describePause(pause: PauseResult): string {
  if (pause.kind === "with-parent") return `paused with ${pause.parentName}`;
  if (pause.kind === "already-paused") return "already paused (not by this Stop All)";
  return pause.count > 1 ? `paused, with ${pause.count - 1} below it` : "paused";
}

/** One line about an outcome, with its detail (error, trigger). */
export function describeOutcome(outcome: TargetOutcome): string {
  switch (outcome.kind) {
    case "held":
      return `drained, then ${describePause(outcome.pause)}`;
    case "held-forced":
      return `${outcome.trigger === "deadline" ? "did not drain by the deadline" : "not waited for"}: ${describePause(outcome.pause)}`;
    case "pause-failed":
      return `pause failed${outcome.status ? ` (HTTP ${outcome.status})` : ""}: ${outcome.message}`;
    case "pause-skipped":
      return "keptId" in outcome
        ? `not paused: its pause would also pause ${outcome.keptName}, which you chose to keep`
        : "hibernated: not paused (a request would wake it)";
    case "restarted":
      return outcome.trigger === "deadline" ? "restarted at the deadline" : "restarted on request";
    case "restart-failed":
      return `restart failed${outcome.status ? ` (HTTP ${outcome.status})` : ""}: ${outcome.message}`;
    case "unknown": {
      const [what, done] = outcome.of === "pause" ? ["pause", "paused"] : ["restart", "restarted"];
      return outcome.reason === "interrupted"
        ? `${what} sent, then the page reloaded before its answer: it may or may not have ${done}`
        : `${what} answer lost (${outcome.reason}): it may or may not have ${done}`;
    }
    default:
      return OUTCOME_LABELS[outcome.kind];
  }
}

/** One line about what phase 1 found for a target. */
export function describeFinding(headline: FindingHeadline): string {
  switch (headline.kind) {
    case "no-task-id":
      return "no task id found: no cancel sent";
    case "interrupted":
      return "cancel interrupted by a page reload: not re-sent";
    case "not-sent":
      return "no cancel sent: drained or kept before one went out";
    case "delivered":
      return headline.tasks === headline.of
        ? `cancel delivered for ${headline.tasks} task${headline.tasks === 1 ? "" : "s"}`
        : `cancel delivered for ${headline.tasks} of ${headline.of} tasks`;
    case "refused":
      return `cancel refused (${headline.code}, ${headline.refusal.replaceAll("-", " ")})`;
    case "not-understood":
      return `cancel not understood (${headline.methods.join(", ")})`;
    case "queued-poll":
      return "queued for a polling agent: not delivered yet";
    case "queued-busy":
      return "queued behind the agent's work: not delivered";
    case "busy":
      return "agent busy: not delivered";
    case "waking":
      return "workspace waking from hibernation: nothing more sent";
    case "platform-restarting":
      return "the platform is already restarting it";
    case "platform-unavailable":
      return "the platform is unavailable";
    case "unreachable":
      return `agent unreachable (${headline.status})`;
    case "gone":
      return "workspace not found";
    case "http-error":
      return `HTTP ${headline.status}: not delivered`;
    case "network-error":
      return "network error: not delivered";
    case "timeout":
      return "no answer in time";
    case "aborted":
      return "request abandoned";
    case "bad-body":
      return `unreadable answer (${headline.problem})`;
    case "id-mismatch":
      return "answer for another request: not proof of delivery";
  }
}

/** "busy again 2.1 s after it drained: <task>" (or "after its restart"), for the latest time a target came back to work after the end. */
export function describeBusyAgain(target: TargetState): string | undefined {
  const latest = target.busyAgain?.at(-1);
  if (!latest) return undefined;
  const when = target.phase.kind === "settled" && target.phase.outcome.kind === "restarted" ? "after its restart" : "after it drained";
  const seconds = (latest.afterMs / 1000).toFixed(1);
  const times = target.busyAgain!.length > 1 ? ` (${target.busyAgain!.length} times)` : "";
  return `busy again ${seconds} s ${when}${times}: ${latest.task || "no task named"}`;
}

/** One line about a held workspace's "Resume held": "resuming…", "resumed (2 with it)", "resume failed (HTTP 503): …". */
export function describeResume(progress: ResumeProgress | undefined): string | undefined {
  if (!progress) return undefined;
  if (progress.kind !== "done") return progress.waitFor ? `resuming after ${progress.waitFor}…` : "resuming…";
  const { result } = progress;
  switch (result.kind) {
    case "resumed":
      return result.count > 1 ? `resumed, with ${result.count - 1} below it` : "resumed";
    case "with-parent":
      return `resumed with ${result.parentName}`;
    case "not-paused":
      return "not paused any more: nothing to resume";
    case "parent-paused":
      return `not resumed: ${result.message}`;
    case "failed":
      return `resume failed${result.status ? ` (HTTP ${result.status})` : ""}: ${result.message}`;
  }
}
