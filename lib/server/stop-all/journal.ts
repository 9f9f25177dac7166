import type { JournaledEvent, OperationAction, OperationInfo } from "../../stop-all-host/wire";
import type { StopAllState } from "../../stop-all/types";

/** An operation as the journal holds it: who and why, a base state, and every event after it. */
export interface StoredOperation {
  info: OperationInfo;
  status: "running" | "finished";
  /** The state after event `base.seq`: the start, or what a resume carried on from. */
  base: { seq: number; state: StopAllState };
  /** Events after the base, in order. */
  events: readonly JournaledEvent[];
}

export type BeginResult = { ok: true } | { ok: false; runningId: string };

/**
 * Where the canvas server writes each Stop All as it goes: its start,
 * every event (a restart's `restart-sent` before its request leaves), each
 * operator action, and its end. A restarted server reads it back to carry
 * on what was running. At most one operation per fleet is `running`; the
 * store itself enforces it, so two starts cannot both win.
 */
export interface OperationJournal {
  /** Records a new running operation unless one already runs for `info.fleet`. */
  begin(info: OperationInfo, initial: StopAllState): BeginResult;
  /** Appends events; durable when it returns. */
  append(operationId: string, events: readonly JournaledEvent[]): void;
  recordAction(operationId: string, action: OperationAction): void;
  /** Marks it running again (a retry after the end), unless another operation runs for the fleet. */
  reopen(operationId: string): BeginResult;
  /** A new base (a resume): later readers fold events from here. */
  rebase(operationId: string, seq: number, state: StopAllState): void;
  finish(operationId: string, seq: number, state: StopAllState): void;
  load(operationId: string): StoredOperation | undefined;
  /** Ids of the operations still running for a fleet (after a crash: to resume). */
  running(fleet: string): string[];
  /** The newest operations of a fleet, newest first, with their last known state. */
  recent(fleet: string, limit: number): { info: OperationInfo; state: StopAllState }[];
  close(): void;
}
