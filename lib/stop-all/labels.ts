import type { FindingHeadline, TargetOutcome, TargetOutcomeKind, TargetState } from "./types";

/** Short words for each outcome, as the summary and the panel say them. */
export const OUTCOME_LABELS: Readonly<Record<TargetOutcomeKind, string>> = Object.freeze({
  drained: "drained",
  restarted: "restarted",
  "platform-restarting": "already restarting",
  gone: "gone",
  "restart-failed": "restart failed",
  kept: "kept",
  unknown: "restart answer lost",
});

/** One line about an outcome, with its detail (error, trigger). */
export function describeOutcome(outcome: TargetOutcome): string {
  switch (outcome.kind) {
    case "restarted":
      return outcome.trigger === "deadline" ? "restarted at the deadline" : "restarted on request";
    case "restart-failed":
      return `restart failed${outcome.status ? ` (HTTP ${outcome.status})` : ""}: ${outcome.message}`;
    case "unknown":
      return outcome.reason === "interrupted"
        ? "restart sent, then the page reloaded before its answer: it may or may not have restarted"
        : `restart answer lost (${outcome.reason}): it may or may not have restarted`;
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
