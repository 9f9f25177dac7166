import "server-only";

/** How long the journal waits on Postgres before it calls it unreachable. */
export const POSTGRES_LIMITS = {
  /** Pool size per replica. */
  maxConnections: 10,
  /** Beside the pool, for lease renewals and takeovers only (journal-postgres.ts). */
  leaseConnections: 2,
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
