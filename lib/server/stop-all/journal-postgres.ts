import "server-only";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { JournalChange, OperationJournal } from "./journal";
import { namedToPositional, statementsFor, type StatementName } from "./journal-sql";
import { codeOf, isUnreachable, postgresErrorRethrow } from "./postgres-errors";
import { POSTGRES_LIMITS } from "./postgres-limits";
import { CHANGE_CHANNEL, parseChange, startListener } from "./postgres-listener";
import { createSqlJournal, migrate, type SqlQueries, type SqlRunner } from "./sql-journal";

export { isUnreachable, redactDatabaseUrl } from "./postgres-errors";
export { POSTGRES_LIMITS } from "./postgres-limits";
export { CHANGE_CHANNEL } from "./postgres-listener";

/** The transaction-level advisory lock key migrations take, so two replicas starting at once migrate one after the other. */
export const MIGRATION_LOCK_KEY = 7_203_441_190;

/** Waits for `work` at most `ms` (it carries on, unwatched, after that). */
function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([work.then(() => {}, () => {}), timeout]).finally(() => clearTimeout(timer));
}

// BIGINT (int8, oid 20) columns are times in ms and counters: well inside
// Number's exact range, so rows come back as numbers, like SQLite's.
const INT8_OID = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary" ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

/** Throws when `databaseUrl` is not a postgres:// (or postgresql://) URL. */
function checkDatabaseUrl(databaseUrl: string): void {
  let protocol: string;
  try {
    protocol = new URL(databaseUrl).protocol;
  } catch {
    throw new Error("DATABASE_URL is not a URL: expected postgres://user:password@host:port/database");
  }
  if (protocol !== "postgres:" && protocol !== "postgresql:") throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, got ${protocol}//…`);
}

/** Every connection's settings: each wait bounded by POSTGRES_LIMITS. */
function clientConfigFor(databaseUrl: string, applicationName: string): pg.ClientConfig {
  return {
    connectionString: databaseUrl,
    application_name: applicationName,
    connectionTimeoutMillis: POSTGRES_LIMITS.connectMs,
    statement_timeout: POSTGRES_LIMITS.statementMs,
    query_timeout: POSTGRES_LIMITS.queryMs,
    idle_in_transaction_session_timeout: POSTGRES_LIMITS.idleInTransactionMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    types,
  };
}

/**
 * Runs `work` on one pooled client; a client that lost its connection is
 * destroyed, not reused. While the client is checked out the pool does not
 * listen for its errors, and a connection lost then (Postgres killed
 * mid-query) is emitted as an `error` event too: unheard, Node would end the
 * process with it. Heard here, it marks the client broken; the query itself
 * rejects, and so does this call.
 */
async function withClient<T>(pool: pg.Pool, rethrown: (error: unknown) => unknown, work: (client: pg.PoolClient, broken: () => void) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw rethrown(error);
  }
  let isBroken = false;
  const broken = () => (isBroken = true);
  client.on("error", broken);
  const release = (destroy: boolean) => {
    client.off("error", broken);
    client.release(destroy);
  };
  try {
    const result = await work(client, broken);
    release(isBroken);
    return result;
  } catch (error) {
    release(isBroken || isUnreachable(error));
    throw rethrown(error);
  }
}

const POSTGRES_SQL = statementsFor("postgres");

const queriesOn = (client: pg.PoolClient): SqlQueries => ({
  async query<T>(name: StatementName, params: Record<string, unknown>) {
    const { text, values } = namedToPositional(POSTGRES_SQL[name], params);
    return (await client.query(text, values)).rows as T[];
  },
  async exec(sql) {
    await client.query(sql);
  },
});

/** Tells each listener a change another journal (replica) announced, never this one's own. */
function changeFanOut(source: string) {
  const listeners = new Set<(change: JournalChange) => void>();
  const onPayload = (payload: string | undefined) => {
    const message = parseChange(payload);
    if (!message || message.src === source) return;
    for (const listen of [...listeners]) {
      try {
        listen(message.change);
      } catch {
        // one listener's failure is not the others'
      }
    }
  };
  return { listeners, onPayload };
}

/**
 * Renewing and taking over leases run on connections of their own: queued
 * behind a 5,000-workspace operation's event and claim writes on the shared
 * pool, renewals came too late, the driver's lease lapsed mid-phase-1 and
 * another replica took the operation over (npm run bench, replica rows).
 */
const LEASE_STATEMENTS: ReadonlySet<StatementName> = new Set<StatementName>(["renewLease", "takeOver"]);

/**
 * appendEvents in one round trip: the lease row locked (and extended when
 * asked), the batch inserted only if it held, and the change announced,
 * as one statement. As a transaction (BEGIN, the lease, the insert,
 * COMMIT, NOTIFY) each batch took five round trips on the driver's busy
 * event loop, and at 5,000 workspaces the journal ran ~300 ms behind.
 */
const APPEND_UNDER_LEASE = `WITH held AS (
    UPDATE stop_all_operations SET lease_until = GREATEST(lease_until, $until)
    WHERE id = $id AND lease_owner = $owner AND lease_generation = $generation RETURNING id
  ), written AS (
    INSERT INTO stop_all_events (operation_id, seq, event)
    SELECT $id, (e ->> 'seq')::integer, e ->> 'event' FROM json_array_elements($batch::json) AS e WHERE EXISTS (SELECT 1 FROM held)
    ON CONFLICT (operation_id, seq) DO NOTHING
  )
  SELECT pg_notify($channel, $payload) FROM held`;

/** The SQL runner over a `pg` pool, with its LISTEN connection (`listening`: its first attempt is over). */
function createPostgresRunner(clientConfig: pg.ClientConfig, applicationName: string, rethrown: (error: unknown) => unknown): { runner: SqlRunner; listening: Promise<void> } {
  const source = randomBytes(6).toString("base64url");
  const pool = new pg.Pool({ ...clientConfig, max: POSTGRES_LIMITS.maxConnections, idleTimeoutMillis: 30_000 });
  const leasePool = new pg.Pool({ ...clientConfig, max: POSTGRES_LIMITS.leaseConnections, idleTimeoutMillis: 30_000 });
  // An idle client whose connection dies (Postgres restarted) is dropped by the pool; the next query opens a new one.
  pool.on("error", () => {});
  leasePool.on("error", () => {});
  const onClient = <T,>(work: (client: pg.PoolClient, broken: () => void) => Promise<T>, on = pool) => withClient(on, rethrown, work);
  const { listeners, onPayload } = changeFanOut(source);
  const listener = startListener(clientConfig, applicationName, onPayload);

  let closed: Promise<void> | undefined;
  const runner: SqlRunner = {
    kind: "postgres",
    query: (name, params) => onClient((client) => queriesOn(client).query(name, params), LEASE_STATEMENTS.has(name) ? leasePool : pool),
    exec: (sql) => onClient((client) => queriesOn(client).exec(sql)),
    transaction: (work) =>
      onClient(async (client, broken) => {
        await client.query("BEGIN");
        try {
          const result = await work(queriesOn(client));
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(broken);
          throw error;
        }
      }),
    lockForMigration: (tx) => tx.exec(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`),
    isUniqueViolation: (error) => codeOf(error) === "23505",
    async appendUnderLease(operationId, lease, batch, renewUntil, lastSeq) {
      const payload = JSON.stringify({ src: source, kind: "events", operationId, seq: lastSeq });
      const params = { id: operationId, owner: lease.owner, generation: lease.generation, until: renewUntil ?? 0, batch, channel: CHANGE_CHANNEL, payload };
      const { text, values } = namedToPositional(APPEND_UNDER_LEASE, params);
      return onClient(async (client) => (await client.query(text, values)).rows.length > 0);
    },
    async notify(change) {
      // Best effort: the write it announces is committed already, and readers poll as well.
      await pool.query("SELECT pg_notify($1, $2)", [CHANGE_CHANNEL, JSON.stringify({ src: source, ...change })]).catch(() => {});
    },
    onChange(listen) {
      listeners.add(listen);
      return () => listeners.delete(listen);
    },
    close() {
      // Bounded: ending a connection to a server that hangs would wait for it.
      closed ??= (async () => {
        listeners.clear();
        await bounded(Promise.all([listener.close(), pool.end(), leasePool.end()]), POSTGRES_LIMITS.connectMs);
      })();
      return closed;
    },
  };
  return { runner, listening: listener.ready };
}

/**
 * The journal on Postgres (several replicas): the same schema, statements
 * (journal-sql.ts) and rules (sql-journal.ts) as the embedded store, over a
 * `pg` pool. Created or migrated on open, under an advisory lock so replicas
 * starting together take turns. Writes are announced with NOTIFY on
 * `stop_all`; one dedicated connection LISTENs (postgres-listener.ts) and
 * tells `onChange` listeners what other journals (replicas) wrote,
 * reconnecting with backoff when it drops (nothing is told while it is
 * down: callers also poll). Every wait is bounded (POSTGRES_LIMITS); an
 * error that means the database cannot be reached rejects with
 * JournalUnavailableError, and no message holds DATABASE_URL's password
 * (postgres-errors.ts).
 */
export async function openPostgresJournal(databaseUrl: string, options: { applicationName?: string } = {}): Promise<OperationJournal> {
  checkDatabaseUrl(databaseUrl);
  const rethrown = postgresErrorRethrow(databaseUrl);
  const applicationName = options.applicationName ?? "fleet-canvas";
  const { runner, listening } = createPostgresRunner(clientConfigFor(databaseUrl, applicationName), applicationName, rethrown);
  try {
    await migrate(runner);
    await listening;
  } catch (error) {
    await runner.close().catch(() => {});
    throw rethrown(error);
  }
  return createSqlJournal(runner);
}
