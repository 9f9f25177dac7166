import type { ActionRequest, JournaledEvent, OperationAction, OperationInfo } from "../../stop-all-host/wire";
import type { StopAllState } from "../../stop-all/types";

/** An operation as the journal holds it: who and why, a base state, and every event after it. */
export interface StoredOperation {
  info: OperationInfo;
  status: "running" | "finished";
  /** The state after event `base.seq`: the start, or what a resume carried on from. */
  base: { seq: number; state: StopAllState };
  /** Events after the base, in order. */
  events: readonly JournaledEvent[];
  lease: LeaseRecord;
}

/** Who drives a running operation: a replica, under a lease it renews. `generation` grows with every takeover. */
export interface Lease {
  owner: string;
  generation: number;
}

export interface LeaseRecord extends Lease {
  /** Clock ms until which the lease holds unless renewed. */
  until: number;
}

export type BeginResult = { ok: true; lease: Lease } | { ok: false; runningId: string };

/** What the journal answers a restart's claim (see RestartClaim in lib/stop-all/restart-request.ts). */
export type ClaimResult = "claimed" | "claimed-elsewhere" | "not-owner";

/** An action a replica that does not drive the operation asked for; the driver applies it. */
export interface QueuedAction {
  id: string;
  operationId: string;
  request: ActionRequest;
  actor: string;
  at: number;
}

/** Something another process wrote (Postgres LISTEN/NOTIFY; the embedded journal has only this process). */
export type JournalChange = { kind: "events"; operationId: string; seq: number } | { kind: "action"; operationId: string } | { kind: "operation"; operationId: string };

/** The journal could not be reached (Postgres down): the caller says so and loses nothing. */
export class JournalUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the Stop All journal cannot be reached (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = "JournalUnavailableError";
  }
}

/**
 * Where the canvas server writes each Stop All as it goes: its start,
 * every event, each operator action, each restart's claim, and its end; and
 * who drives it (a lease). A restarted or another replica reads it back to
 * carry on what was running. At most one operation per fleet is `running`:
 * the store enforces it (a partial unique index), so two starts on two
 * replicas cannot both win. Times (`now`, lease ends) are the callers'
 * clocks; replicas keep theirs in step (NTP), and a claim is tied to the
 * lease generation, not to a time, so a skew can only delay a takeover.
 */
export interface OperationJournal {
  readonly kind: "embedded" | "postgres";
  /** Records a new running operation, driven by `owner` until `leaseUntil`, unless one already runs for `info.fleet`. */
  begin(info: OperationInfo, initial: StopAllState, owner: string, leaseUntil: number): Promise<BeginResult>;
  /**
   * Appends events; durable when it resolves. Every write of a running
   * operation's driver is tied to its lease: false when `lease` is no
   * longer the operation's (taken over), and nothing was written. With
   * `renewUntil` the same write extends the lease to then (never shortens
   * it): a driver whose events land is alive, even when its renewals queue.
   */
  append(operationId: string, lease: Lease, events: readonly JournaledEvent[], renewUntil?: number): Promise<boolean>;
  /**
   * The conditional write before restart `attempt` of `workspaceId` leaves:
   * `claimed` only while `lease` is the operation's current one and nobody
   * claimed that attempt before; `claimed-elsewhere` when it was claimed
   * already; `not-owner` when the lease moved on.
   */
  claimRestart(operationId: string, lease: Lease, workspaceId: string, attempt: number, at: number): Promise<ClaimResult>;
  recordAction(operationId: string, lease: Lease, action: OperationAction): Promise<boolean>;
  /**
   * Marks a finished operation running again (a retry after the end), driven
   * by `owner` under a new lease generation, unless another operation runs
   * for the fleet.
   */
  reopen(operationId: string, owner: string, leaseUntil: number): Promise<BeginResult>;
  /** A new base (a resume): later readers fold events from here. */
  rebase(operationId: string, lease: Lease, seq: number, state: StopAllState): Promise<boolean>;
  finish(operationId: string, lease: Lease, seq: number, state: StopAllState): Promise<boolean>;
  load(operationId: string): Promise<StoredOperation | undefined>;
  /** Events after `seq` (for streams on replicas that do not drive the operation). */
  eventsAfter(operationId: string, seq: number): Promise<JournaledEvent[]>;
  /** The operations still running for a fleet, with their leases. */
  running(fleet: string): Promise<{ id: string; lease: LeaseRecord }[]>;
  /** The newest operations of a fleet, newest first, with their last known state. */
  recent(fleet: string, limit: number): Promise<{ info: OperationInfo; state: StopAllState }[]>;
  /** Extends the lease; false when it is no longer `lease` (taken over): stop driving at once. */
  renewLease(operationId: string, lease: Lease, until: number): Promise<boolean>;
  /** Takes a running operation over when its lease ended before `now`: the new lease (generation + 1), or undefined. */
  takeOver(operationId: string, owner: string, now: number, until: number): Promise<Lease | undefined>;
  /** Queues an action for the replica that drives the operation. */
  queueAction(action: QueuedAction): Promise<void>;
  /** The driver takes the queued actions (each once) while `lease` is current. */
  takeActions(operationId: string, lease: Lease): Promise<QueuedAction[]>;
  /** Whether a queued action was taken by the driver. */
  actionTaken(actionId: string): Promise<boolean>;
  /** Tells `listener` what other processes wrote. Returns the unsubscribe function. */
  onChange(listener: (change: JournalChange) => void): () => void;
  close(): Promise<void>;
}
