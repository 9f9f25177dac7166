import "server-only";
import type { ServerTimers } from "./timers";
import type { SocketFactory } from "./ws-connect";

/**
 * The platform's `/ws` as the server sees it:
 * - `connecting`: the first attempt after `closed` is under way;
 * - `open`: messages flow;
 * - `reconnecting`: the socket dropped or an attempt failed, and someone is
 *   subscribed, so it is retried with capped exponential backoff;
 * - `closed`: no socket and not trying (nobody needs it, or `close()`).
 */
export type UpstreamState = "connecting" | "open" | "reconnecting" | "closed";

export interface UpstreamListener {
  /**
   * One platform message, token redacted: `text` is the JSON text verbatim
   * (what the browser gets), `value` the same text parsed, shared by every
   * listener, so read it and do not mutate it (e.g. hand it to
   * `parsePlatformEvent` in lib/platform/events.ts). Text that is not JSON
   * never reaches a listener.
   */
  onMessage(text: string, value: unknown): void;
  /** Called on every change of `state()` after subscribing, not with the state at subscribe time. */
  onState(state: UpstreamState): void;
}

export type UpstreamOpen = { ok: true } | { ok: false; error: string };

/** One upstream `/ws` connection shared by everything in the server that wants live events. */
export interface UpstreamEvents {
  /**
   * Adds a listener and returns its unsubscribe function (idempotent).
   * While anyone is subscribed the socket is opened if closed and
   * reconnected whenever it drops; when the last listener leaves, an open
   * socket is closed after `idleCloseMs` unless someone subscribes again.
   */
  subscribe(listener: UpstreamListener): () => void;
  /** The current state; `onState` reports changes from here on. */
  state(): UpstreamState;
  /**
   * Resolves `{ ok: true }` once the socket is open: at once if it is,
   * otherwise after one connection attempt, made now (a pending backoff
   * wait is cut short) or joined if one is under way. `{ ok: false, error }`
   * (readable, token redacted) if that attempt fails. Does not subscribe:
   * an open socket nobody subscribes to closes after `idleCloseMs`.
   */
  ensureOpen(): Promise<UpstreamOpen>;
  /** Closes the socket now, stops retrying, tells every listener `closed` and drops them. Later demand opens it again. */
  close(): void;
}

export interface UpstreamEventsConfig {
  /** The platform's `ws(s)://…/ws` URL. */
  url: string;
  /** Bearer token sent on the upgrade and redacted from everything relayed. */
  token: string | null;
  createSocket?: SocketFactory;
  timers?: ServerTimers;
  random?: () => number;
  /** Liveness: a ws ping every `pingMs`; no pong by the next one → dropped. */
  pingMs?: number;
  connectTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Larger upstream messages close the socket (ws code 1009) and it is reconnected. */
  maxMessageBytes?: number;
  /** How long an open socket nobody subscribes to is kept before it is closed. */
  idleCloseMs?: number;
  /** Where an exception thrown by a listener goes (it never reaches the socket or other listeners). */
  reportError?: (error: unknown) => void;
}

export type UpstreamSettings = Required<UpstreamEventsConfig>;

/** Capped exponential backoff with jitter: after `failures` failed tries, a delay in [base/2, base). */
export function backoffDelay(failures: number, backoff: { initialMs: number; maxMs: number }, random: () => number): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
  return base / 2 + (random() * base) / 2;
}
