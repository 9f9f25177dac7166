import "server-only";
import WebSocket from "ws";
import { redactText } from "./redact";
import { sseComment, sseData, sseEvent } from "./sse";
import { connectUpstream, defaultSocketFactory, messageText, type SocketFactory } from "./ws-connect";

export interface BridgeTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const systemTimers: BridgeTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export interface EventBridgeOptions {
  /** The platform's `ws(s)://…/ws` URL. */
  url: string;
  token: string | null;
  /** The browser request's signal: the bridge ends when the browser goes away. */
  signal: AbortSignal;
  createSocket?: SocketFactory;
  timers?: BridgeTimers;
  random?: () => number;
  /** Keep-alive comment interval; also the upstream liveness check (ws ping). */
  pingMs?: number;
  connectTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** How long the upstream may stay down before the browser stream is ended. */
  giveUpAfterMs?: number;
  maxMessageBytes?: number;
  /** Bytes that may queue up for a browser that does not read before its stream is dropped. */
  maxBufferedBytes?: number;
}

export type BridgeOpen = { ok: true; stream: ReadableStream<Uint8Array> } | { ok: false; error: string };

const HIGH_WATER_MARK = 64 * 1024;

const DEFAULTS = {
  pingMs: 15_000,
  connectTimeoutMs: 5_000,
  backoff: { initialMs: 500, maxMs: 15_000 },
  giveUpAfterMs: 10_000,
  maxMessageBytes: 1024 * 1024,
  maxBufferedBytes: 1024 * 1024,
};

/**
 * Relays the platform's WebSocket events to one browser as SSE, one
 * upstream connection per browser stream.
 *
 * Unavailable upstream, chosen behaviour: if the first connection fails the
 * caller gets `{ ok: false }` and answers 503 JSON, so the browser's
 * EventSource errors (and does not retry on its own) and the canvas polls.
 * Once streaming, a dropped upstream is reconnected with capped
 * exponential backoff while the browser stream stays open, which hides
 * short blips. If it is still down after `giveUpAfterMs`, the browser stream
 * is ended: its EventSource errors, the canvas polls and reopens the stream
 * with its own backoff (getting 503 until the platform is back). Meanwhile
 * the browser is told with named events, `event: upstream` and data
 * `{"state":"reconnecting"}` / `{"state":"open"}` / `{"state":"closed"}`,
 * which `onmessage` ignores and `addEventListener("upstream")` can read.
 */
export async function openEventBridge(options: EventBridgeOptions): Promise<BridgeOpen> {
  const life = new AbortController();
  const endLife = () => life.abort();
  options.signal.addEventListener("abort", endLife, { once: true });
  if (options.signal.aborted) life.abort();
  try {
    const first = await connectUpstream(connectOptions(options, life.signal));
    return { ok: true, stream: bridgeStream(first, life, options, () => options.signal.removeEventListener("abort", endLife)) };
  } catch (error) {
    options.signal.removeEventListener("abort", endLife);
    return { ok: false, error: redactText(error instanceof Error ? error.message : String(error), options.token) };
  }
}

function connectOptions(options: EventBridgeOptions, signal: AbortSignal) {
  return {
    url: options.url,
    token: options.token,
    factory: options.createSocket ?? defaultSocketFactory,
    timeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULTS.maxMessageBytes,
    signal,
  };
}

function bridgeStream(first: WebSocket, life: AbortController, options: EventBridgeOptions, detach: () => void): ReadableStream<Uint8Array> {
  const timers = options.timers ?? systemTimers;
  const random = options.random ?? Math.random;
  const { initialMs, maxMs } = options.backoff ?? DEFAULTS.backoff;
  const maxBuffered = options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes;
  const encoder = new TextEncoder();
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let socket: WebSocket | null = null;
  let attempt = 0;
  let awaitingPong = false;
  let retryTimer: unknown = null;
  let pingTimer: unknown = null;
  let giveUpTimer: unknown = null;
  let done = false;

  function push(text: string) {
    if (done || !controller) return;
    controller.enqueue(encoder.encode(text));
    if (HIGH_WATER_MARK - (controller.desiredSize ?? 0) > maxBuffered) shutdown(new Error("the browser is not reading the event stream"));
  }

  function relay(data: WebSocket.RawData) {
    const text = messageText(data);
    try {
      JSON.parse(text);
    } catch {
      return; // not JSON: the canvas would skip it anyway
    }
    push(sseData(redactText(text, options.token)));
  }

  function attach(ws: WebSocket) {
    socket = ws;
    awaitingPong = false;
    ws.on("message", relay);
    ws.on("pong", () => {
      awaitingPong = false;
    });
    ws.on("close", () => {
      if (socket !== ws || done) return;
      socket = null;
      push(sseEvent("upstream", JSON.stringify({ state: "reconnecting" })));
      giveUpTimer ??= timers.setTimeout(giveUp, options.giveUpAfterMs ?? DEFAULTS.giveUpAfterMs);
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    const base = Math.min(maxMs, initialMs * 2 ** attempt);
    attempt += 1;
    retryTimer = timers.setTimeout(reconnect, base / 2 + (random() * base) / 2);
  }

  async function reconnect() {
    retryTimer = null;
    try {
      const ws = await connectUpstream(connectOptions(options, life.signal));
      if (done) {
        ws.terminate();
        return;
      }
      attempt = 0;
      if (giveUpTimer !== null) timers.clearTimeout(giveUpTimer);
      giveUpTimer = null;
      push(sseEvent("upstream", JSON.stringify({ state: "open" })));
      attach(ws);
    } catch {
      if (!done) scheduleReconnect();
    }
  }

  function giveUp() {
    giveUpTimer = null;
    push(sseEvent("upstream", JSON.stringify({ state: "closed" })));
    shutdown();
  }

  function tick() {
    push(sseComment("ping"));
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (awaitingPong) {
      socket.terminate(); // no pong since the last tick: the upstream is dead, reconnect
      return;
    }
    awaitingPong = true;
    socket.ping();
  }

  function shutdown(error?: Error) {
    if (done) return;
    done = true;
    life.abort();
    detach();
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    if (pingTimer !== null) timers.clearInterval(pingTimer);
    if (giveUpTimer !== null) timers.clearTimeout(giveUpTimer);
    socket?.terminate();
    socket = null;
    try {
      if (error) controller?.error(error);
      else controller?.close();
    } catch {
      // already closed or cancelled by the reader
    }
  }

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        push(`retry: 5000\n${sseComment("connected")}`);
        attach(first);
        pingTimer = timers.setInterval(tick, options.pingMs ?? DEFAULTS.pingMs);
        life.signal.addEventListener("abort", () => shutdown(), { once: true });
        if (life.signal.aborted) shutdown();
      },
      cancel() {
        shutdown();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_MARK }),
  );
}
