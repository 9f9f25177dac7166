import type { A2AProtocol } from "../platform/workspace";
import type { CancelResult } from "../a2a/cancel-task";
import type { ListOpenTasksResult } from "../a2a/list-open-tasks";
import type { LostReason, RestartAnswer } from "./restart-request";
import type { PauseAnswer, ResumeAnswer } from "./hold-requests";

/**
 * What the operation does to a target that drained or did not: `stop`
 * restarts at the deadline what did not drain; `hold` pauses each target
 * once it drained, and at the deadline those that did not (a pause keeps a
 * workspace from taking new work, and cascades to its descendants).
 */
export type StopMode = "stop" | "hold";

/** Where a Stop All operation is, as a whole. Moves forward only (a manual retry after the end goes back to `restarting`). */
export type OperationPhase =
  /** Before the deadline; some targets still have cancels in flight. */
  | "cancelling"
  /** Before the deadline; every cancel has answered, waiting for drains. */
  | "watching"
  /** The deadline passed (or nothing is left to watch): restarts (or pauses) in flight. */
  | "restarting"
  /** Finished, then "Resume held": resumes of what it paused are in flight. */
  | "resuming"
  /** Every target has its outcome. */
  | "finished";

/** Who asked for a restart. */
export type RestartTrigger = "deadline" | "operator" | "retry";

/** Why a target of a hold is paused: it drained (`held`), or the deadline, the operator or a retry forced it (`held-forced`). */
export type PauseTrigger = "drained" | RestartTrigger;

/** How a held target came to be paused. */
export type PauseResult =
  /** This operation's pause of it was accepted; `count` is the platform's `paused_count` (its descendants too). */
  | { kind: "paused"; count: number }
  /** This operation's accepted pause of a target above it cascaded onto it: no pause of its own was sent. */
  | { kind: "with-parent"; parentId: string; parentName: string }
  /** It was already paused, not by this operation (seen so, or the platform's 404 "already paused"). */
  | { kind: "already-paused" };

/** What told the operation about a workspace's fate. */
export type Evidence = "store" | "a2a-answer" | "restart-answer" | "pause-answer";

/** How one target ended. */
export type TargetOutcome =
  /** Stopped politely: its active tasks were seen at 0. No restart. */
  | { kind: "drained" }
  /** Did not drain; the restart was accepted. */
  | { kind: "restarted"; trigger: RestartTrigger }
  /** The platform was already restarting it; no restart sent. */
  | { kind: "platform-restarting"; seenIn: Evidence }
  /** Removed during the operation. */
  | { kind: "gone"; seenIn: Evidence }
  /** The platform refused the restart; safe to retry. */
  | { kind: "restart-failed"; status?: number; message: string }
  /** The operator chose not to restart it. */
  | { kind: "kept" }
  /** The restart's (or pause's) answer was lost: it may or may not have happened. Only the operator may retry. */
  | { kind: "unknown"; reason: LostReason; message: string; of?: "pause" }
  /** Hold: drained, then paused. */
  | { kind: "held"; pause: PauseResult }
  /** Hold: did not drain (or the operator did not wait), and was paused. */
  | { kind: "held-forced"; trigger: RestartTrigger; pause: PauseResult }
  /** Hold: the platform refused the pause (or it could not be sent); safe to retry. */
  | { kind: "pause-failed"; status?: number; message: string }
  /**
   * Hold: not paused: the platform shows it hibernated (a request would wake
   * it), or the operator kept a target below it (`keptId`), which its pause
   * would have paused too.
   */
  | { kind: "pause-skipped"; status: "hibernated" }
  | { kind: "pause-skipped"; keptId: string; keptName: string };

export type TargetOutcomeKind = TargetOutcome["kind"];

/** Where one target is. `settled` carries the outcome, so an outcome cannot exist before it. */
export type TargetPhase =
  /** Phase 1: listing task ids and sending cancels (the drain is watched meanwhile). */
  | { kind: "cancelling" }
  /** Phase 1 is over; waiting for the drain or the deadline. */
  | { kind: "watching" }
  /** A restart is queued or in flight. */
  | { kind: "restarting"; trigger: RestartTrigger }
  /** Hold: to be paused, waiting for its turn (the targets below a drained one, the one above it) or in flight. */
  | { kind: "holding"; trigger: PauseTrigger }
  | { kind: "settled"; outcome: TargetOutcome };

/** Where the task ids to cancel came from. */
export type TaskIdSource = "list-tasks" | "known-ids" | "none";

/** One cancel and its answer. */
export interface TaskCancel {
  taskId: string;
  result: CancelResult;
  answeredAt: number;
}

/** The one-line meaning of phase 1 for a target. */
export type FindingHeadline =
  | { kind: "no-task-id" }
  /** The page went away (reload, closed tab) during phase 1: whatever was sent is not known; nothing is re-sent. */
  | { kind: "interrupted" }
  /** The target drained or was kept before any cancel went out: none was sent (what the listing found stays in the finding). */
  | { kind: "not-sent" }
  | { kind: "delivered"; tasks: number; of: number }
  | Exclude<CancelResult, { kind: "delivered" }>;

/** What phase 1 found for a target. */
export interface CancelFinding {
  idSource: TaskIdSource;
  listing: ListOpenTasksResult;
  cancels: readonly TaskCancel[];
  headline: FindingHeadline;
}

/** Clock times (ms since the epoch) of what happened to a target. */
export interface TargetTimes {
  cancelSentAt?: number;
  cancelAnsweredAt?: number;
  drainedAt?: number;
  restartSentAt?: number;
  restartAnsweredAt?: number;
  pauseSentAt?: number;
  pauseAnsweredAt?: number;
  settledAt?: number;
}

/** Where "Resume held" is for one workspace this operation paused. */
export type ResumeProgress =
  /** Asked for; waits for the resume of a held target above it, or for a slot. */
  | { kind: "pending"; requestedAt: number; waitFor?: string }
  /** Its resume is in flight (sent at `sentAt`). `waitFor`: the parent a first 409 named, resumed before this second send. */
  | { kind: "sending"; requestedAt: number; sentAt: number; waitFor?: string }
  | { kind: "done"; at: number; result: ResumeResult };

/** How one held workspace's resume ended. */
export type ResumeResult =
  /** Accepted: it and `count` workspaces in all (its paused descendants) are provisioning. */
  | { kind: "resumed"; count: number }
  /** Resumed by the cascade of a resumed workspace above it: nothing sent for it. */
  | { kind: "with-parent"; parentId: string; parentName: string }
  /** Not paused any more (resumed by someone else, or the platform's 404): nothing to do. */
  | { kind: "not-paused" }
  /** A paused workspace above it that this operation did not pause must be resumed first (the platform's 409). */
  | { kind: "parent-paused"; message: string }
  /** Refused or lost; pressing "Resume held" again retries it. */
  | { kind: "failed"; status?: number; message: string };

/** A target seen busy again during the quiet watch after the end: when, how long after its drain (or restart), with what task. */
export interface BusyAgain {
  at: number;
  /** Since it drained, or since its restart was answered. */
  afterMs: number;
  /** The workspace's `current_task` then ("" when the platform said none). */
  task: string;
}

export interface TargetState {
  readonly workspaceId: string;
  readonly name: string;
  readonly protocol: A2AProtocol;
  readonly phase: TargetPhase;
  /** Undefined until phase 1 is over for this target. */
  readonly finding: CancelFinding | undefined;
  /** Restarts queued so far (more than one only through an operator's retry). */
  readonly restartAttempts: number;
  readonly times: Readonly<TargetTimes>;
  /** Each time the quiet watch saw it busy again after the end, oldest first (absent: never). */
  readonly busyAgain?: readonly BusyAgain[];
  /** Hold: pauses queued so far (absent: none). */
  readonly pauseAttempts?: number;
  /** "Resume held", once asked for a workspace this operation paused. */
  readonly resume?: ResumeProgress;
  /** Resumes asked for so far (each press of "Resume held" that included it): the attempt its claim is for. */
  readonly resumeAttempts?: number;
}

/** An immutable snapshot of one Stop All operation; each change makes a new object. */
export interface StopAllState {
  readonly phase: OperationPhase;
  readonly startedAt: number;
  readonly deadlineAt: number;
  readonly deadlinePassed: boolean;
  /** Set while `phase` is `finished`. */
  readonly finishedAt: number | undefined;
  /** After the end, how long its targets are watched for work that comes back (absent or 0: not watched). */
  readonly quietMs?: number;
  /** `hold`: pause instead of restart (absent: `stop`). */
  readonly mode?: StopMode;
  /** How many targets' resumes are pending or in flight (absent: none). */
  readonly resumesOpen?: number;
  /** Target ids in the order they were given; every snapshot of an operation shares this array. */
  readonly order: readonly string[];
  /**
   * The targets, in `order`'s order (look one up with `targetOf`). An array,
   * so a change copies pointers, not a keyed record: O(1)-ish per event even
   * for thousands of targets.
   */
  readonly targets: readonly TargetState[];
  /** How many targets are in each phase. */
  readonly counts: Readonly<Record<TargetPhase["kind"], number>>;
}

/** Everything that can happen to an operation; `applyEvent` is the one place that acts on these. */
export type StopAllEvent =
  | { type: "cancel-sent"; workspaceId: string; at: number }
  | { type: "cancel-finished"; workspaceId: string; at: number; finding: CancelFinding }
  | { type: "drained"; workspaceId: string; at: number }
  | { type: "gone"; workspaceId: string; at: number; seenIn: Evidence }
  | { type: "platform-restarting"; workspaceId: string; at: number; seenIn: Evidence }
  | { type: "kept"; workspaceId: string; at: number }
  | { type: "restart-queued"; workspaceId: string; at: number; trigger: RestartTrigger }
  | { type: "restart-sent"; workspaceId: string; at: number }
  | { type: "restart-answered"; workspaceId: string; at: number; answer: RestartAnswer }
  | { type: "deadline-passed"; at: number }
  /** The quiet watch saw a drained or restarted target busy again after the end. */
  | { type: "busy-again"; workspaceId: string; at: number; task: string }
  /** Hold: an open target is to be paused now (the deadline, the operator), or a failed or lost pause again (retry). */
  | { type: "pause-queued"; workspaceId: string; at: number; trigger: RestartTrigger }
  | { type: "pause-sent"; workspaceId: string; at: number }
  | { type: "pause-answered"; workspaceId: string; at: number; answer: PauseAnswer }
  /** Hold: a target to pause that needs no pause of its own (see HoldSeen). */
  | { type: "hold-seen"; workspaceId: string; at: number; seen: HoldSeen }
  /** "Resume held": every workspace this operation paused whose resume is not done yet is to be resumed. */
  | { type: "resume-requested"; at: number }
  | { type: "resume-sent"; workspaceId: string; at: number }
  | { type: "resume-answered"; workspaceId: string; at: number; answer: ResumeAnswer }
  /** A pending resume that needs no call (a resumed parent's cascade, no longer paused, a parent that was not resumed). */
  | { type: "resume-settled"; workspaceId: string; at: number; result: ResumeResult };

/** What the store (or this operation's own pauses) showed of a target about to be paused, so that no pause is sent. */
export type HoldSeen =
  | { kind: "with-parent"; parentId: string; parentName: string }
  | { kind: "already-paused" }
  | { kind: "hibernated" }
  | { kind: "kept-below"; keptId: string; keptName: string }
  | { kind: "gone" };
