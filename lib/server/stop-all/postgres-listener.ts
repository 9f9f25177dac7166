import "server-only";
import pg from "pg";
import type { JournalChange } from "./journal";
import { POSTGRES_LIMITS } from "./postgres-limits";

/** The NOTIFY channel every replica LISTENs on. */
export const CHANGE_CHANNEL = "stop_all";

/** A NOTIFY payload: `{"src": <the writing journal>, ...JournalChange}`; anything else is ignored. */
export function parseChange(payload: string | undefined): { src: string; change: JournalChange } | undefined {
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

/**
 * One connection that LISTENs on CHANGE_CHANNEL and hands each payload on.
 * When it drops (or a ping fails), it reconnects with backoff until closed.
 * `ready` resolves after the first attempt, whether it connected or not.
 */
export function startListener(config: pg.ClientConfig, applicationName: string, onPayload: (payload: string | undefined) => void) {
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
