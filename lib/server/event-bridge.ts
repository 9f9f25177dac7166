import "server-only";
import { systemClock, type TimerHandle } from "../time/clock";
import { withDefaults } from "./defaults";
import { createFrameBatch, type FrameBatch } from "./frame-batch";
import { sseComment, sseData, sseEvent } from "./sse";
import { repeatEvery, type ServerTimers } from "./timers";
import type { UpstreamEvents, UpstreamState } from "./upstream-events";

export interface EventBridgeOptions {
  /** The shared upstream socket (upstream-events.ts); the bridge subscribes, it never closes it. */
  hub: UpstreamEvents;
  /** The browser request's signal: the bridge ends when the browser goes away. */
  signal: AbortSignal;
  timers?: ServerTimers;
  /** Interval of the `: ping` keep-alive comments to the browser. */
  pingMs?: number;
  /** How long the upstream may stay down before the browser stream is ended. */
  giveUpAfterMs?: number;
  /** Bytes that may queue up for a browser that does not read before its stream is dropped. */
  maxBufferedBytes?: number;
}

export type BridgeOpen = { ok: true; stream: ReadableStream<Uint8Array> } | { ok: false; error: string };

type Settings = Required<EventBridgeOptions>;

const HIGH_WATER_MARK = 64 * 1024;

const DEFAULTS = { timers: systemClock, pingMs: 15_000, giveUpAfterMs: 10_000, maxBufferedBytes: 1024 * 1024 };

/**
 * Relays the shared platform socket to one browser as SSE.
 *
 * Unavailable upstream, chosen behaviour: if the socket cannot be opened
 * when the browser connects the caller gets `{ ok: false }` and answers 503
 * JSON, so the browser's EventSource errors (and does not retry on its own)
 * and the canvas polls. Once streaming, the hub reconnects a dropped socket
 * with capped exponential backoff while the browser stream stays open,
 * which hides short blips. If it is still down after `giveUpAfterMs`, the
 * browser stream is ended: its EventSource errors, the canvas polls and
 * reopens the stream with its own backoff (getting 503 until the platform
 * is back). Meanwhile the browser is told with named events, `event:
 * upstream` and data `{"state":"reconnecting"}` / `{"state":"open"}` /
 * `{"state":"closed"}`, which `onmessage` ignores and
 * `addEventListener("upstream")` can read. A browser leaving only
 * unsubscribes: the socket stays for the others.
 */
export async function openEventBridge(options: EventBridgeOptions): Promise<BridgeOpen> {
  const gone: BridgeOpen = { ok: false, error: "the browser went away" };
  if (options.signal.aborted) return gone;
  const opened = await options.hub.ensureOpen();
  if (!opened.ok) return opened;
  if (options.signal.aborted) return gone;
  const settings: Settings = withDefaults(DEFAULTS, options);
  const browser = new BrowserStream(settings);
  return {
    ok: true,
    stream: new ReadableStream<Uint8Array>(
      { start: (controller) => browser.start(controller), cancel: () => browser.readerGone() },
      new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_MARK }),
    ),
  };
}

/** One browser's SSE stream: a subscriber of the hub with its own keep-alive, give-up timer and buffer limit. */
class BrowserStream {
  readonly #s: Settings;
  readonly #encoder = new TextEncoder();
  #controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  // Frames leave in chunks of FRAME_BATCH_MS (frame-batch.ts says why).
  readonly #batch: FrameBatch;
  #done = false;
  #down = false;
  #giveUpTimer: TimerHandle | null = null;
  #unsubscribe = () => {};
  #stopPing = () => {};
  readonly #onAbort = () => this.shutdown();

  constructor(settings: Settings) {
    this.#s = settings;
    this.#batch = createFrameBatch({ timers: settings.timers, send: (text) => this.#send(text) });
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>) {
    const { hub, signal, timers, pingMs } = this.#s;
    this.#controller = controller;
    this.#push(`retry: 5000\n${sseComment("connected")}`);
    signal.addEventListener("abort", this.#onAbort, { once: true });
    this.#unsubscribe = hub.subscribe({ onMessage: (text) => this.#push(sseData(text)), onState: (state) => this.#upstream(state) });
    this.#stopPing = repeatEvery(timers, pingMs, () => this.#push(sseComment("ping")));
    if (hub.state() !== "open") this.#upstream(hub.state());
    if (signal.aborted) this.shutdown();
  }

  /** The browser's reader cancelled the stream: what is still queued can reach nobody. */
  readerGone() {
    this.#batch.cancel();
    this.shutdown();
  }

  /** Ends this browser's stream (closed, or errored with `error`) and lets go of the hub. */
  shutdown(error?: Error) {
    if (this.#done) return;
    // What was pushed before a clean end still reaches the browser (unless that flush finds it not reading).
    if (!error) this.#batch.flush();
    if (this.#done) return;
    this.#done = true;
    this.#batch.cancel();
    this.#unsubscribe();
    this.#stopPing();
    this.#clearGiveUp();
    this.#s.signal.removeEventListener("abort", this.#onAbort);
    try {
      if (error) this.#controller?.error(error);
      else this.#controller?.close();
    } catch {
      // already closed or cancelled by the reader
    }
  }

  #upstream(state: UpstreamState) {
    if (state === "closed") return this.#end();
    if (state === "open") {
      if (!this.#down) return;
      this.#down = false;
      this.#clearGiveUp();
      this.#push(sseEvent("upstream", JSON.stringify({ state: "open" })));
      return;
    }
    if (this.#down) return; // still down: one notice and one give-up timer per outage
    this.#down = true;
    this.#push(sseEvent("upstream", JSON.stringify({ state: "reconnecting" })));
    this.#giveUpTimer = this.#s.timers.setTimeout(() => this.#end(), this.#s.giveUpAfterMs);
  }

  #end() {
    this.#giveUpTimer = null;
    this.#push(sseEvent("upstream", JSON.stringify({ state: "closed" })));
    this.shutdown();
  }

  #push(text: string) {
    if (this.#done || !this.#controller) return;
    this.#batch.push(text);
  }

  #send(text: string) {
    if (this.#done || !this.#controller) return;
    this.#controller.enqueue(this.#encoder.encode(text));
    if (HIGH_WATER_MARK - (this.#controller.desiredSize ?? 0) > this.#s.maxBufferedBytes) this.shutdown(new Error("the browser is not reading the event stream"));
  }

  #clearGiveUp() {
    if (this.#giveUpTimer !== null) this.#s.timers.clearTimeout(this.#giveUpTimer);
    this.#giveUpTimer = null;
  }
}
