import type { CancelResult } from "../a2a/cancel-task";
import type { ListOpenTasksResult } from "../a2a/list-open-tasks";
import type { ProxyFailure } from "../a2a/proxy-answer";
import type { CancelFinding, FindingHeadline, TaskCancel, TaskIdSource } from "./types";

/** Answers after which nothing more is sent to a workspace in phase 1. */
const STOPPING_KINDS: ReadonlySet<string> = new Set(["gone", "platform-restarting", "waking", "aborted", "timeout"]);

/** True when this answer means: send this workspace nothing more in phase 1. */
export function stopsPhase1(result: { kind: string }): boolean {
  return STOPPING_KINDS.has(result.kind);
}

type Failure = Exclude<CancelResult, { kind: "delivered" }>;

function isProxyFailure(listing: ListOpenTasksResult): listing is Extract<ListOpenTasksResult, ProxyFailure> {
  return listing.kind !== "listed" && listing.kind !== "not-supported" && listing.kind !== "refused";
}

function headlineOf(cancels: readonly TaskCancel[]): FindingHeadline {
  const results = cancels.map((cancel) => cancel.result);
  // Gone and platform-restarting decide the outcome, so they win over everything.
  const decisive = results.find((result) => result.kind === "gone") ?? results.find((result) => result.kind === "platform-restarting");
  if (decisive) return decisive as Failure;
  const delivered = results.filter((result) => result.kind === "delivered").length;
  if (delivered > 0) return { kind: "delivered", tasks: delivered, of: results.length };
  const failures = results as Failure[];
  return failures.find((result) => result.kind !== "aborted" && result.kind !== "timeout") ?? failures[0] ?? { kind: "no-task-id" };
}

/** What phase 1 came to for one target, from its listing and its cancels. */
export function buildFinding(idSource: TaskIdSource, listing: ListOpenTasksResult, cancels: readonly TaskCancel[]): CancelFinding {
  if (cancels.length === 0) {
    // Nothing was cancelled: either no id was found, or the listing said to stop.
    // A listing that did not get through says more than "no task id".
    const headline: FindingHeadline = isProxyFailure(listing) ? listing : { kind: "no-task-id" };
    return { idSource, listing, cancels, headline };
  }
  return { idSource, listing, cancels, headline: headlineOf(cancels) };
}

/**
 * Phase 1 was closed (the target drained or was kept) before any cancel
 * went out: what the listing found is kept, and the headline says that no
 * cancel was sent rather than "no task id" or "request abandoned".
 */
export function notSentFinding(idSource: TaskIdSource, listing: ListOpenTasksResult): CancelFinding {
  return { idSource, listing, cancels: [], headline: { kind: "not-sent" } };
}
