import "server-only";
import type { JournaledEvent, OperationAction, OperationInfo } from "../../stop-all-host/wire";
import type { StopAllState } from "../../stop-all/types";
import type { ClaimResult, Lease } from "./journal";
import type { OperationRow } from "./journal-sql";
import type { SqlQueries, SqlRunner } from "./sql-runner";

/**
 * Runs `work` only while `lease` is the operation's: the row is locked
 * first (a no-op update, which both stores order against a takeover's).
 */
async function underLease(runner: SqlRunner, operationId: string, lease: Lease, work: (tx: SqlQueries) => Promise<void>): Promise<boolean> {
  return runner.transaction(async (tx) => {
    const held = await tx.query("holdLease", { id: operationId, owner: lease.owner, generation: lease.generation });
    if (held.length === 0) return false;
    await work(tx);
    return true;
  });
}

/** Appends events under the driver's lease (OperationJournal.append). */
export async function appendEvents(runner: SqlRunner, operationId: string, lease: Lease, events: readonly JournaledEvent[]): Promise<boolean> {
  if (events.length === 0) return true;
  const written = await underLease(runner, operationId, lease, async (tx) => {
    for (const { seq, event } of events) await tx.query("insertEvent", { id: operationId, seq, event: JSON.stringify(event) });
  });
  if (written) await runner.notify({ kind: "events", operationId, seq: events.at(-1)!.seq });
  return written;
}

/** A new base (a resume), or the end, under the driver's lease: the events up to it are dropped (OperationJournal.rebase, .finish). */
export async function writeBase(runner: SqlRunner, operationId: string, lease: Lease, seq: number, state: StopAllState, finished: boolean): Promise<boolean> {
  const written = await underLease(runner, operationId, lease, async (tx) => {
    await tx.query(finished ? "finish" : "rebase", { id: operationId, seq, state: JSON.stringify(state) });
    await tx.query("dropEventsUpTo", { id: operationId, seq });
  });
  if (written) await runner.notify({ kind: "operation", operationId });
  return written;
}

/** Adds an operator's action to the operation's info, under the driver's lease (OperationJournal.recordAction). */
export async function recordActionRow(runner: SqlRunner, operationId: string, lease: Lease, action: OperationAction): Promise<boolean> {
  const written = await underLease(runner, operationId, lease, async (tx) => {
    const [row] = await tx.query<OperationRow>("selectOperation", { id: operationId });
    if (!row) return;
    const info = JSON.parse(row.info) as OperationInfo;
    await tx.query("updateInfo", { id: operationId, info: JSON.stringify({ ...info, actions: [...info.actions, action] }) });
  });
  if (written) await runner.notify({ kind: "operation", operationId });
  return written;
}

/** The conditional insert before a restart leaves, tied to the lease generation (OperationJournal.claimRestart). */
export async function claimRestartRow(runner: SqlRunner, operationId: string, lease: Lease, workspaceId: string, attempt: number, at: number): Promise<ClaimResult> {
  const claimed = await runner.query("claimRestart", { id: operationId, workspaceId, attempt, generation: lease.generation, owner: lease.owner, at });
  if (claimed.length > 0) return "claimed";
  const [current] = await runner.query<{ lease_owner: string; lease_generation: number }>("leaseOf", { id: operationId });
  return current && current.lease_owner === lease.owner && Number(current.lease_generation) === lease.generation ? "claimed-elsewhere" : "not-owner";
}
