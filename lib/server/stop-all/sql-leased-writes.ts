import "server-only";
import type { JournaledEvent, OperationAction, OperationInfo } from "../../stop-all-host/wire";
import type { StopAllState } from "../../stop-all/types";
import type { ClaimResult, Lease } from "./journal";
import { eventBatch, type OperationRow } from "./journal-sql";
import type { SqlQueries, SqlRunner } from "./sql-runner";

/**
 * Runs `work` only while `lease` is the operation's: the row is locked
 * first (an update, which both stores order against a takeover's), and
 * with `renewUntil` the lease is extended to then (never shortened).
 */
async function underLease(runner: SqlRunner, operationId: string, lease: Lease, work: (tx: SqlQueries) => Promise<void>, renewUntil?: number): Promise<boolean> {
  return runner.transaction(async (tx) => {
    const key = { id: operationId, owner: lease.owner, generation: lease.generation };
    const held = renewUntil === undefined ? await tx.query("holdLease", key) : await tx.query("holdAndExtendLease", { ...key, until: renewUntil });
    if (held.length === 0) return false;
    await work(tx);
    return true;
  });
}

/** Appends events under the driver's lease, extending it to `renewUntil` when given (OperationJournal.append). */
export async function appendEvents(runner: SqlRunner, operationId: string, lease: Lease, events: readonly JournaledEvent[], renewUntil?: number): Promise<boolean> {
  if (events.length === 0) return true;
  if (runner.appendUnderLease) return runner.appendUnderLease(operationId, lease, eventBatch(events), renewUntil, events.at(-1)!.seq);
  const written = await underLease(
    runner,
    operationId,
    lease,
    async (tx) => {
      await tx.query("insertEvents", { id: operationId, batch: eventBatch(events) });
    },
    renewUntil,
  );
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

type ClaimRequest = { workspaceId: string; attempt: number; at: number; resolve(result: ClaimResult): void; reject(error: unknown): void };

const claimKey = (workspaceId: string, attempt: number) => `${workspaceId}\u0000${attempt}`;

/** One batch's claims, in one conditional insert: those it returns are this replica's; the others were claimed already, or the lease moved on. */
async function claimBatch(runner: SqlRunner, operationId: string, lease: Lease, claims: ClaimRequest[]): Promise<void> {
  try {
    const batch = JSON.stringify(claims.map(({ workspaceId, attempt, at }) => ({ workspaceId, attempt, at })));
    const rows = await runner.query<{ workspace_id: string; attempt: number }>("claimRestarts", { id: operationId, owner: lease.owner, generation: lease.generation, batch });
    const won = new Set(rows.map((row) => claimKey(row.workspace_id, Number(row.attempt))));
    let notWon: ClaimResult = "claimed-elsewhere";
    if (won.size < claims.length) {
      const [current] = await runner.query<{ lease_owner: string; lease_generation: number }>("leaseOf", { id: operationId });
      notWon = current && current.lease_owner === lease.owner && Number(current.lease_generation) === lease.generation ? "claimed-elsewhere" : "not-owner";
    }
    for (const claim of claims) claim.resolve(won.has(claimKey(claim.workspaceId, claim.attempt)) ? "claimed" : notWon);
  } catch (error) {
    for (const claim of claims) claim.reject(error);
  }
}

/**
 * Restart claims (OperationJournal.claimRestart), each the conditional insert
 * before a restart leaves, tied to the lease generation. The claims asked
 * for together (a deadline's restarts, within a few microtasks) go as one
 * statement: one each, at 5,000 workspaces, queued ~1,000 claims on a
 * 10-connection pool until they timed out, and those restarts were never sent.
 */
export function createRestartClaims(runner: SqlRunner): (operationId: string, lease: Lease, workspaceId: string, attempt: number, at: number) => Promise<ClaimResult> {
  let waiting = new Map<string, { operationId: string; lease: Lease; claims: Map<string, ClaimRequest> }>();
  const flush = () => {
    const batches = waiting;
    waiting = new Map();
    for (const { operationId, lease, claims } of batches.values()) void claimBatch(runner, operationId, lease, [...claims.values()]);
  };
  return (operationId, lease, workspaceId, attempt, at) =>
    new Promise<ClaimResult>((resolve, reject) => {
      // Sent once the microtasks queued with this claim ran: a deadline starts its restarts in one loop, and
      // each reaches its claim a hop or two later (its limiter slot, the driver's fence check).
      if (waiting.size === 0) queueMicrotask(() => queueMicrotask(() => queueMicrotask(flush)));
      const key = `${operationId}\u0000${lease.owner}\u0000${lease.generation}`;
      let batch = waiting.get(key);
      if (!batch) waiting.set(key, (batch = { operationId, lease, claims: new Map() }));
      // The same claim twice in one batch: the first is the one that may win.
      if (batch.claims.has(claimKey(workspaceId, attempt))) return resolve("claimed-elsewhere");
      batch.claims.set(claimKey(workspaceId, attempt), { workspaceId, attempt, at, resolve, reject });
    });
}
