import "server-only";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { JournalUnavailableError, type JournalChange, type OperationJournal } from "./journal";
import { namedToPositional, SQL, type StatementName } from "./journal-sql";
import { createSqlJournal, migrate, type SqlQueries, type SqlRunner } from "./sql-journal";

/** The NOTIFY channel every replica LISTENs on. */
export const CHANGE_CHANNEL = "stop_all";
/** The transaction-level advisory lock key migrations take, so two replicas starting at once migrate one after the other. */
export const MIGRATION_LOCK_KEY = 7_203_441_190;

/** How long the journal waits on Postgres before it calls it unreachable. */
export const POSTGRES_LIMITS = {
  /** Pool size per replica. */
  maxConnections: 10,
  /** A new connection (or a free one from the pool). */
  connectMs: 2000,
  /** Postgres cancels a statement after this (also bounds waiting on a lock). */
  statementMs: 5000,
  /** The driver gives up on an answer after this (a hung server or network). */
  queryMs: 6000,
  /** Postgres ends a session left idle inside a transaction (a stuck replica cannot hold locks). */
  idleInTransactionMs: 10_000,
  /** The LISTEN connection: first retry after a drop, then doubling up to `reconnectMaxMs`. */
  reconnectMinMs: 100,
  reconnectMaxMs: 2000,
  /** The LISTEN connection is checked (`SELECT 1`) this often, so a silently dead one is replaced. */
  listenPingMs: 10_000,
} as const;

/** Errors that mean "Postgres cannot be reached", not "Postgres said no". */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "EHOSTDOWN", "ENETUNREACH", "ENETDOWN", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "ECONNABORTED"]);
/** SQLSTATEs: admin/crash shutdown, cannot connect now (starting or stopping), statement timeout, too many connections. Class 08 (connection exception) too. */
const UNREACHABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "57014", "53300"]);
const UNREACHABLE_MESSAGES = /connection terminated|connection timeout|timeout exceeded when trying to connect|query read timeout|not queryable|timeout expired|connection ended/i;

function codeOf(error: unknown): string | undefined {
  const code = error && typeof error === "object" && "code" in error ? (error as { code: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/** Whether `error` means the database cannot be reached (down, restarting, hung, or the network). */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof JournalUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  if (code && (UNREACHABLE_CODES.has(code) || UNREACHABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (error instanceof AggregateError && error.errors.some(isUnreachable)) return true;
  return UNREACHABLE_MESSAGES.test(error.message);
}

/** `postgres://user:***@host:port/db`: a DATABASE_URL fit for messages and logs (no password). */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    const query = url.search ? "?…" : "";
    url.search = "";
    url.hash = "";
    return `${url.toString()}${query}`;
  } catch {
    return "(an unparseable DATABASE_URL)";
  }
}

/** Removes `databaseUrl` and its password from `text`. */
function redactor(databaseUrl: string): (text: string) => string {
  const secrets = new Set<string>();
  try {
    const { password } = new URL(databaseUrl);
    if (password) {
      secrets.add(password);
      try {
        secrets.add(decodeURIComponent(password));
      } catch {
        // not %-encoded
      }
    }
  } catch {
    // checked by openPostgresJournal
  }
  const redacted = redactDatabaseUrl(databaseUrl);
  return (text) => {
    let out = text.split(databaseUrl).join(redacted);
    for (const secret of secrets) out = out.split(secret).join("***");
    return out;
  };
}

/** The driver's own words for a timeout, said plainly. */
const DRIVER_MESSAGES: Record<string, string> = {
  "Query read timeout": `no answer from Postgres within ${POSTGRES_LIMITS.queryMs} ms`,
  "timeout exceeded when trying to connect": `no connection to Postgres within ${POSTGRES_LIMITS.connectMs} ms`,
  "Connection terminated due to connection timeout": `no connection to Postgres within ${POSTGRES_LIMITS.connectMs} ms`,
};

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.message === "") return error.errors.map(describe).join("; ") || codeOf(error) || "AggregateError";
  if (error instanceof Error) return DRIVER_MESSAGES[error.message] ?? (error.message || codeOf(error) || error.name);
  return String(error);
}

/** A NOTIFY payload: `{"src": <the writing journal>, ...JournalChange}`; anything else is ignored. */
function parseChange(payload: string | undefined): { src: string; change: JournalChange } | undefined {
  if (!payload) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== "object") return undefined;
  const { src, kind, operationId, seq } = value as Record<string, unknown>;
  if (typeof src !== "string" || typeof operationId !== "string") return undefined;
  if (kind === "events") return typeof seq === "number" && Number.isInteger(seq) ? { src, change: { kind, operationId, seq } } : undefined;
  if (kind === "action" || kind === "operation") return { src, change: { kind, operationId } };
  return undefined;
}

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

/**
 * The journal on Postgres (several replicas): the same schema, statements
 * (journal-sql.ts) and rules (sql-journal.ts) as the embedded store, over a
 * `pg` pool. Created or migrated on open, under an advisory lock so replicas
 * starting together take turns. Writes are announced with NOTIFY on
 * `stop_all`; one dedicated connection LISTENs and tells `onChange`
 * listeners what other journals (replicas) wrote, reconnecting with backoff
 * when it drops (nothing is told while it is down: callers also poll).
 * Every wait is bounded (POSTGRES_LIMITS); an error that means the database
 * cannot be reached rejects with JournalUnavailableError, and no message
 * holds DATABASE_URL's password.
 */
export async function openPostgresJournal(databaseUrl: string, options: { applicationName?: string } = {}): Promise<OperationJournal> {
  let protocol: string;
  try {
    protocol = new URL(databaseUrl).protocol;
  } catch {
    throw new Error("DATABASE_URL is not a URL: expected postgres://user:password@host:port/database");
  }
  if (protocol !== "postgres:" && protocol !== "postgresql:") throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, got ${protocol}//…`);

  const redact = redactor(databaseUrl);
  const unavailable = (error: unknown) => (error instanceof JournalUnavailableError ? error : new JournalUnavailableError(new Error(redact(describe(error)))));
  /** A database error, passed on as it is but with the password taken out of its message. */
  const rethrown = (error: unknown): unknown => {
    if (isUnreachable(error)) return unavailable(error);
    if (error instanceof Error) error.message = redact(error.message);
    return error;
  };

  const applicationName = options.applicationName ?? "fleet-canvas";
  const source = randomBytes(6).toString("base64url");
  const clientConfig: pg.ClientConfig = {
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
  const pool = new pg.Pool({ ...clientConfig, max: POSTGRES_LIMITS.maxConnections, idleTimeoutMillis: 30_000 });
  // An idle client whose connection dies (Postgres restarted) is dropped by the pool; the next query opens a new one.
  pool.on("error", () => {});

  /** Runs `work` on one pooled client; a client that lost its connection is destroyed, not reused. */
  async function withClient<T>(work: (client: pg.PoolClient, broken: () => void) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw rethrown(error);
    }
    let isBroken = false;
    try {
      const result = await work(client, () => (isBroken = true));
      client.release(isBroken);
      return result;
    } catch (error) {
      client.release(isBroken || isUnreachable(error));
      throw rethrown(error);
    }
  }

  const queriesOn = (client: pg.PoolClient): SqlQueries => ({
    async query<T>(name: StatementName, params: Record<string, unknown>) {
      const { text, values } = namedToPositional(SQL[name], params);
      return (await client.query(text, values)).rows as T[];
    },
    async exec(sql) {
      await client.query(sql);
    },
  });

  const listeners = new Set<(change: JournalChange) => void>();
  const listener = startListener(clientConfig, applicationName, (payload) => {
    const message = parseChange(payload);
    if (!message || message.src === source) return;
    for (const listen of [...listeners]) {
      try {
        listen(message.change);
      } catch {
        // one listener's failure is not the others'
      }
    }
  });

  let closed: Promise<void> | undefined;
  const runner: SqlRunner = {
    kind: "postgres",
    query: (name, params) => withClient((client) => queriesOn(client).query(name, params)),
    exec: (sql) => withClient((client) => queriesOn(client).exec(sql)),
    transaction: (work) =>
      withClient(async (client, broken) => {
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
        await bounded(Promise.all([listener.close(), pool.end()]), POSTGRES_LIMITS.connectMs);
      })();
      return closed;
    },
  };

  try {
    await migrate(runner);
    await listener.ready;
  } catch (error) {
    await runner.close().catch(() => {});
    throw rethrown(error);
  }
  return createSqlJournal(runner);
}

/**
 * One connection that LISTENs on CHANGE_CHANNEL and hands each payload on.
 * When it drops (or a ping fails), it reconnects with backoff until closed.
 * `ready` resolves after the first attempt, whether it connected or not.
 */
function startListener(config: pg.ClientConfig, applicationName: string, onPayload: (payload: string | undefined) => void) {
  let closed = false;
  let current: pg.Client | undefined;
  let retryMs: number = POSTGRES_LIMITS.reconnectMinMs;
  let retryTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let connecting: Promise<void> = Promise.resolve();
  const dropped = new WeakSet<pg.Client>();

  const drop = (client: pg.Client) => {
    if (dropped.has(client)) return;
    dropped.add(client);
    if (current === client) {
      current = undefined;
      clearInterval(pingTimer);
    }
    client.end().catch(() => {});
    if (closed) return;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => (connecting = connect()), retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, POSTGRES_LIMITS.reconnectMaxMs);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const client = new pg.Client({ ...config, application_name: `${applicationName} (listen)` });
    client.on("error", () => drop(client));
    client.on("end", () => drop(client));
    client.on("notification", (message) => {
      if (message.channel === CHANGE_CHANNEL) onPayload(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch {
      drop(client);
      return;
    }
    if (closed) {
      drop(client);
      return;
    }
    current = client;
    retryMs = POSTGRES_LIMITS.reconnectMinMs;
    let pinging = false;
    pingTimer = setInterval(() => {
      if (pinging) return;
      pinging = true;
      client
        .query("SELECT 1")
        .catch(() => drop(client))
        .finally(() => (pinging = false));
    }, POSTGRES_LIMITS.listenPingMs);
    pingTimer.unref();
  }

  const ready = (connecting = connect());
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      await connecting;
      const client = current;
      current = undefined;
      if (client) {
        dropped.add(client);
        await client.end().catch(() => {});
      }
    },
  };
}
