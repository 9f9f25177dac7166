import "server-only";
import type { JournaledEvent, OperationInfo } from "../../stop-all-host/wire";
import type { StopAllState } from "../../stop-all/types";
import type { BeginResult, Lease, OperationJournal, QueuedAction, StoredOperation } from "./journal";
import { JOURNAL_SCHEMA_VERSION, META_TABLE, migrationsFrom, type OperationRow } from "./journal-sql";
import { appendEvents, createRestartClaims, recordActionRow, writeBase } from "./sql-leased-writes";
import type { SqlQueries, SqlRunner } from "./sql-runner";

/** Finished operations kept per fleet (the history shows the last 50). */
export const KEPT_OPERATIONS = 100;

export type { SqlQueries, SqlRunner } from "./sql-runner";

const parse = <T,>(text: string) => JSON.parse(text) as T;

/** Brings the store's schema to JOURNAL_SCHEMA_VERSION ("created or migrated on start"); refuses a newer one. */
export async function migrate(runner: SqlRunner): Promise<void> {
  await runner.transaction(async (tx) => {
    await runner.lockForMigration?.(tx);
    await tx.exec(META_TABLE);
    const [row] = await tx.query<{ value: string }>("readMeta", { key: "schema_version" });
    const hasOperations = row === undefined ? await tableExists(tx) : true;
    const version = row ? Number(row.value) : hasOperations ? 1 : 0;
    if (version > JOURNAL_SCHEMA_VERSION) throw new Error(`the Stop All journal was written by a newer canvas (schema ${version}; this build reads ${JOURNAL_SCHEMA_VERSION})`);
    for (const sql of migrationsFrom(version)) await tx.exec(sql);
    await tx.query("writeMeta", { key: "schema_version", value: String(JOURNAL_SCHEMA_VERSION) });
  });
}

/**
 * A version-1 journal (before the meta row held the version) has the operations table already.
 * Probed inside a savepoint: on Postgres a failed statement aborts the whole transaction otherwise.
 */
async function tableExists(tx: SqlQueries): Promise<boolean> {
  await tx.exec("SAVEPOINT stop_all_probe");
  try {
    await tx.exec("SELECT 1 FROM stop_all_operations WHERE 1 = 0");
    await tx.exec("RELEASE SAVEPOINT stop_all_probe");
    return true;
  } catch {
    await tx.exec("ROLLBACK TO SAVEPOINT stop_all_probe");
    await tx.exec("RELEASE SAVEPOINT stop_all_probe");
    return false;
  }
}

function stored(row: OperationRow, events: JournaledEvent[]): StoredOperation {
  return {
    info: parse<OperationInfo>(row.info),
    status: row.status,
    base: { seq: Number(row.base_seq), state: parse<StopAllState>(row.base_state) },
    events,
    lease: { owner: row.lease_owner, generation: Number(row.lease_generation), until: Number(row.lease_until) },
  };
}

async function runningId(runner: SqlRunner, fleet: string, except?: string): Promise<string | undefined> {
  return (await runner.query<{ id: string }>("runningOf", { fleet })).find((row) => row.id !== except)?.id;
}

async function eventsAfter(q: SqlQueries, operationId: string, after: number): Promise<JournaledEvent[]> {
  return (await q.query<{ seq: number; event: string }>("selectEvents", { id: operationId, after })).map((e) => ({ seq: Number(e.seq), event: parse<JournaledEvent["event"]>(e.event) }));
}

/** A new running operation, unless the store's partial unique index says one runs for the fleet already (OperationJournal.begin). */
async function begin(runner: SqlRunner, info: OperationInfo, initial: StopAllState, owner: string, until: number): Promise<BeginResult> {
  try {
    await runner.transaction(async (tx) => {
      await tx.query("insertOperation", { id: info.id, fleet: info.fleet, startedAt: info.startedAt, info: JSON.stringify(info), state: JSON.stringify(initial), owner, until });
      for (const name of ["pruneOperations", "pruneEvents", "pruneClaims", "pruneActions"] as const) await tx.query(name, { fleet: info.fleet, keep: KEPT_OPERATIONS });
    });
  } catch (error) {
    // Another start won: the partial unique index said no.
    if (!runner.isUniqueViolation(error)) throw error;
    return { ok: false, runningId: (await runningId(runner, info.fleet)) ?? "unknown" };
  }
  await runner.notify({ kind: "operation", operationId: info.id });
  return { ok: true, lease: { owner, generation: 1 } };
}

/** A finished operation running again under a new lease generation, unless another runs for the fleet (OperationJournal.reopen). */
async function reopen(runner: SqlRunner, operationId: string, owner: string, until: number): Promise<BeginResult> {
  const [row] = await runner.query<OperationRow>("selectOperation", { id: operationId });
  if (!row) return { ok: false, runningId: "unknown" };
  const fleet = parse<OperationInfo>(row.info).fleet;
  try {
    const [reopened] = await runner.query<{ lease_generation: number }>("reopen", { id: operationId, owner, until });
    if (!reopened) return { ok: false, runningId: (await runningId(runner, fleet)) ?? operationId };
    await runner.notify({ kind: "operation", operationId });
    return { ok: true, lease: { owner, generation: Number(reopened.lease_generation) } };
  } catch (error) {
    if (!runner.isUniqueViolation(error)) throw error;
    return { ok: false, runningId: (await runningId(runner, fleet, operationId)) ?? "unknown" };
  }
}

/** The actions queued for the driver, taken once each while `lease` is current, oldest first (OperationJournal.takeActions). */
async function takeActions(runner: SqlRunner, operationId: string, lease: Lease): Promise<QueuedAction[]> {
  const rows = await runner.query<{ id: string; request: string; actor: string; at: number }>("takeActions", { id: operationId, owner: lease.owner, generation: lease.generation, at: Date.now() });
  return rows
    .map((row): QueuedAction => ({ id: row.id, operationId, request: parse(row.request), actor: row.actor, at: Number(row.at) }))
    .sort((a, b) => a.at - b.at);
}

/**
 * The journal's rules over a store (sql-journal: the same code for SQLite
 * and Postgres, on the same SQL): who may begin, who may claim a restart,
 * who drives, and what a reader folds. The writes tied to the driver's
 * lease are in sql-leased-writes.ts.
 */
export function createSqlJournal(runner: SqlRunner): OperationJournal {
  return {
    kind: runner.kind,
    begin: (info, initial, owner, until) => begin(runner, info, initial, owner, until),
    append: (operationId, lease, events, renewUntil) => appendEvents(runner, operationId, lease, events, renewUntil),
    claimRestart: createRestartClaims(runner),
    recordAction: (operationId, lease, action) => recordActionRow(runner, operationId, lease, action),
    reopen: (operationId, owner, until) => reopen(runner, operationId, owner, until),
    rebase: (operationId, lease, seq, state) => writeBase(runner, operationId, lease, seq, state, false),
    finish: (operationId, lease, seq, state) => writeBase(runner, operationId, lease, seq, state, true),
    async load(operationId) {
      const [row] = await runner.query<OperationRow>("selectOperation", { id: operationId });
      return row ? stored(row, await eventsAfter(runner, operationId, Number(row.base_seq))) : undefined;
    },
    eventsAfter: (operationId, seq) => eventsAfter(runner, operationId, seq),
    async running(fleet) {
      const rows = await runner.query<{ id: string; lease_owner: string; lease_generation: number; lease_until: number }>("runningOf", { fleet });
      return rows.map((row) => ({ id: row.id, lease: { owner: row.lease_owner, generation: Number(row.lease_generation), until: Number(row.lease_until) } }));
    },
    async recent(fleet, limit) {
      return (await runner.query<{ info: string; state: string }>("recent", { fleet, limit })).map((row) => ({ info: parse<OperationInfo>(row.info), state: parse<StopAllState>(row.state) }));
    },
    async renewLease(operationId, lease, until) {
      return (await runner.query("renewLease", { id: operationId, owner: lease.owner, generation: lease.generation, until })).length > 0;
    },
    async takeOver(operationId, owner, now, until) {
      const [row] = await runner.query<{ lease_generation: number }>("takeOver", { id: operationId, owner, now, until });
      if (!row) return undefined;
      await runner.notify({ kind: "operation", operationId });
      return { owner, generation: Number(row.lease_generation) };
    },
    async queueAction(action) {
      await runner.query("queueAction", { id: action.id, operationId: action.operationId, request: JSON.stringify(action.request), actor: action.actor, at: action.at });
      await runner.notify({ kind: "action", operationId: action.operationId });
    },
    takeActions: (operationId, lease) => takeActions(runner, operationId, lease),
    async actionTaken(actionId) {
      const [row] = await runner.query<{ taken_at: number | null }>("actionTaken", { id: actionId });
      return row !== undefined && row.taken_at !== null;
    },
    onChange: (listener) => runner.onChange(listener),
    close: () => runner.close(),
  };
}
