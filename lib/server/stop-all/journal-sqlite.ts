import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { JournaledEvent, OperationInfo } from "../../stop-all-host/wire";
import type { StopAllState } from "../../stop-all/types";
import type { BeginResult, OperationJournal, StoredOperation } from "./journal";
import { CREATE_JOURNAL, JOURNAL_SCHEMA_VERSION, SQL } from "./journal-sql";

/** Finished operations kept per fleet (the history shows the last 50). */
export const KEPT_OPERATIONS = 100;

const isUniqueViolation = (error: unknown) => error instanceof Error && "code" in error && String(error.code).startsWith("SQLITE_CONSTRAINT");

/**
 * The embedded journal: one SQLite file in `dataDir` (better-sqlite3).
 * Synchronous, so a write is on disk (WAL, `synchronous = NORMAL`: it
 * survives the process being killed, not the machine losing power) before
 * the call returns, which is what lets a restart be marked before its
 * request leaves. One process at a time: replicas share Postgres instead.
 */
export function openSqliteJournal(dataDir: string): OperationJournal {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, "stop-all.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  const statement = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as Record<keyof typeof SQL, Database.Statement>;

  const appendAll = db.transaction((operationId: string, events: readonly JournaledEvent[]) => {
    for (const { seq, event } of events) statement.insertEvent.run({ id: operationId, seq, event: JSON.stringify(event) });
  });
  const rebaseTx = db.transaction((operationId: string, seq: number, state: StopAllState, finished: boolean) => {
    const json = JSON.stringify(state);
    if (finished) statement.finish.run({ id: operationId, seq, state: json });
    else statement.rebase.run({ id: operationId, seq, state: json });
    statement.dropEventsUpTo.run({ id: operationId, seq });
  });
  const beginTx = db.transaction((info: OperationInfo, initial: StopAllState): BeginResult => {
    const running = statement.runningOf.all({ fleet: info.fleet }) as { id: string }[];
    if (running[0]) return { ok: false, runningId: running[0].id };
    statement.insertOperation.run({ id: info.id, fleet: info.fleet, startedAt: info.startedAt, info: JSON.stringify(info), state: JSON.stringify(initial) });
    statement.pruneOperations.run({ fleet: info.fleet, keep: KEPT_OPERATIONS });
    statement.pruneEvents.run();
    return { ok: true };
  });

  return {
    begin(info, initial) {
      try {
        return beginTx(info, initial);
      } catch (error) {
        // Another process won the race between the read and the insert: the index said no.
        if (!isUniqueViolation(error)) throw error;
        const running = statement.runningOf.all({ fleet: info.fleet }) as { id: string }[];
        return { ok: false, runningId: running[0]?.id ?? "unknown" };
      }
    },
    append: (operationId, events) => void appendAll(operationId, events),
    recordAction(operationId, action) {
      const stored = loadInfo(statement, operationId);
      if (stored) statement.updateInfo.run({ id: operationId, info: JSON.stringify({ ...stored, actions: [...stored.actions, action] }) });
    },
    reopen(operationId) {
      const stored = loadInfo(statement, operationId);
      if (!stored) return { ok: false, runningId: "unknown" };
      const running = (statement.runningOf.all({ fleet: stored.fleet }) as { id: string }[]).find((row) => row.id !== operationId);
      if (running) return { ok: false, runningId: running.id };
      statement.reopen.run({ id: operationId });
      return { ok: true };
    },
    rebase: (operationId, seq, state) => void rebaseTx(operationId, seq, state, false),
    finish: (operationId, seq, state) => void rebaseTx(operationId, seq, state, true),
    load: (operationId) => loadOperation(statement, operationId),
    running: (fleet) => (statement.runningOf.all({ fleet }) as { id: string }[]).map((row) => row.id),
    recent: (fleet, limit) =>
      (statement.recent.all({ fleet, limit }) as { info: string; state: string }[]).map((row) => ({ info: JSON.parse(row.info) as OperationInfo, state: JSON.parse(row.state) as StopAllState })),
    close: () => db.close(),
  };
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
    for (const sql of CREATE_JOURNAL) db.exec(sql);
    const row = db.prepare(SQL.readMeta).get({ key: "schema_version" }) as { value: string } | undefined;
    const version = row ? Number(row.value) : JOURNAL_SCHEMA_VERSION;
    if (version > JOURNAL_SCHEMA_VERSION) throw new Error(`the Stop All journal was written by a newer canvas (schema ${version}; this build reads ${JOURNAL_SCHEMA_VERSION})`);
    db.prepare(SQL.writeMeta).run({ key: "schema_version", value: String(JOURNAL_SCHEMA_VERSION) });
  })();
}

function loadInfo(statement: Record<keyof typeof SQL, Database.Statement>, operationId: string): OperationInfo | undefined {
  const row = statement.selectOperation.get({ id: operationId }) as { info: string } | undefined;
  return row ? (JSON.parse(row.info) as OperationInfo) : undefined;
}

function loadOperation(statement: Record<keyof typeof SQL, Database.Statement>, operationId: string): StoredOperation | undefined {
  const row = statement.selectOperation.get({ id: operationId }) as { status: "running" | "finished"; info: string; base_seq: number; base_state: string } | undefined;
  if (!row) return undefined;
  const events = (statement.selectEvents.all({ id: operationId, after: row.base_seq }) as { seq: number; event: string }[]).map((e) => ({ seq: e.seq, event: JSON.parse(e.event) as JournaledEvent["event"] }));
  return { info: JSON.parse(row.info) as OperationInfo, status: row.status, base: { seq: row.base_seq, state: JSON.parse(row.base_state) as StopAllState }, events };
}
