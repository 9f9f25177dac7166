import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { OperationJournal } from "./journal";
import { statementsFor, type StatementName } from "./journal-sql";
import { createSqlJournal, migrate, type SqlQueries, type SqlRunner } from "./sql-journal";

export { KEPT_OPERATIONS } from "./sql-journal";

const SQLITE_SQL = statementsFor("embedded");

const isUniqueViolation = (error: unknown) => error instanceof Error && "code" in error && String(error.code).startsWith("SQLITE_CONSTRAINT");

/**
 * The embedded journal: one SQLite file in `dataDir` (better-sqlite3).
 * Its writes are synchronous, so an append or a restart's claim is on disk
 * (WAL, `synchronous = NORMAL`: it survives the process being killed, not
 * the machine losing power) before the promise resolves. One process at a
 * time: replicas share Postgres instead.
 */
export async function openSqliteJournal(dataDir: string): Promise<OperationJournal> {
  // One connection per file in a process: better-sqlite3 is synchronous, so a second connection
  // waiting for the first one's lock would block the very thread that holds it.
  const file = path.resolve(dataDir, "stop-all.sqlite");
  const open = (OPEN[file] ??= { journal: openFile(dataDir, file), users: 0 });
  open.users += 1;
  const journal = await open.journal;
  return {
    ...journal,
    async close() {
      open.users -= 1;
      if (open.users > 0) return;
      delete OPEN[file];
      await journal.close();
    },
  };
}

const OPEN: Record<string, { journal: Promise<OperationJournal>; users: number }> = {};

async function openFile(dataDir: string, file: string): Promise<OperationJournal> {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  const statements = new Map<StatementName, Database.Statement>();
  const prepared = (name: StatementName) => {
    let statement = statements.get(name);
    if (!statement) statements.set(name, (statement = db.prepare(SQLITE_SQL[name])));
    return statement;
  };
  const queries: SqlQueries = {
    async query<T>(name: StatementName, params: Record<string, unknown>) {
      const statement = prepared(name);
      return (statement.reader ? statement.all(params) : (statement.run(params), [])) as T[];
    },
    async exec(sql) {
      db.exec(sql);
    },
  };
  // One connection: transactions take turns (their statements run synchronously, their awaits only between them).
  let turn: Promise<unknown> = Promise.resolve();
  const runner: SqlRunner = {
    kind: "embedded",
    ...queries,
    transaction<T>(work: (tx: SqlQueries) => Promise<T>): Promise<T> {
      const run = turn.then(async () => {
        db.exec("BEGIN IMMEDIATE");
        try {
          const result = await work(queries);
          db.exec("COMMIT");
          return result;
        } catch (error) {
          db.exec("ROLLBACK");
          throw error;
        }
      });
      turn = run.catch(() => {});
      return run;
    },
    isUniqueViolation,
    notify: async () => {},
    onChange: () => () => {},
    async close() {
      db.close();
    },
  };
  await migrate(runner);
  return createSqlJournal(runner);
}
