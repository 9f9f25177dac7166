import type { JournalChange, OperationJournal } from "./journal";
import type { StatementName } from "./journal-sql";

/** Runs the journal's statements on one store; what SQLite and Postgres differ in, and nothing else. */
export interface SqlQueries {
  query<T>(name: StatementName, params: Record<string, unknown>): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

export interface SqlRunner extends SqlQueries {
  readonly kind: OperationJournal["kind"];
  /** Runs `work` in one transaction (serialised with other writers). */
  transaction<T>(work: (tx: SqlQueries) => Promise<T>): Promise<T>;
  isUniqueViolation(error: unknown): boolean;
  /** Taken first in the migration's transaction (Postgres: an advisory lock, so replicas starting together migrate in turn). */
  lockForMigration?(tx: SqlQueries): Promise<void>;
  /**
   * The store's own one-round-trip form of appendEvents (Postgres: one
   * statement, where the shared form is a transaction of four and a NOTIFY):
   * true when the lease held and the events are written.
   */
  appendUnderLease?(operationId: string, lease: { owner: string; generation: number }, batch: string, renewUntil: number | undefined, lastSeq: number): Promise<boolean>;
  /** Tells other processes (Postgres NOTIFY); the embedded store has none. */
  notify(change: JournalChange): Promise<void>;
  onChange(listener: (change: JournalChange) => void): () => void;
  close(): Promise<void>;
}
