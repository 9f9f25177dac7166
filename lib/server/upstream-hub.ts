import "server-only";
import type WebSocket from "ws";
import type { TimerHandle } from "../time/clock";
import { redactText } from "./redact";
import { backoffDelay, type UpstreamEvents, type UpstreamListener, type UpstreamOpen, type UpstreamSettings, type UpstreamState } from "./upstream-types";
import { connectUpstream, messageText } from "./ws-connect";
import { watchLiveness } from "./ws-liveness";

type Entry = { listener: UpstreamListener };
type Attempt = { promise: Promise<UpstreamOpen>; abort: AbortController };

/**
 * The state machine behind `createUpstreamEvents` (see UpstreamEvents for
 * the contract). One socket at most, one connection attempt at most; every
 * change of state goes through `setState`, which tells the listeners.
 */
export class UpstreamHub implements UpstreamEvents {
  readonly #s: UpstreamSettings;
  readonly #entries = new Set<Entry>();
  #state: UpstreamState = "closed";
  #socket: WebSocket | null = null;
  #stopLiveness: (() => void) | null = null;
  #attempt: Attempt | null = null;
  #failures = 0;
  #retryTimer: TimerHandle | null = null;
  #idleTimer: TimerHandle | null = null;

  constructor(settings: UpstreamSettings) {
    this.#s = settings;
  }

  subscribe(listener: UpstreamListener): () => void {
    const entry: Entry = { listener };
    this.#entries.add(entry);
    this.#clearIdle();
    if (this.#state === "closed") void this.ensureOpen();
    return () => {
      if (this.#entries.delete(entry) && this.#entries.size === 0) this.#lostDemand();
    };
  }

  state(): UpstreamState {
    return this.#state;
  }

  ensureOpen(): Promise<UpstreamOpen> {
    if (this.#state === "open") return Promise.resolve({ ok: true });
    if (this.#attempt) return this.#attempt.promise;
    this.#clearRetry();
    if (this.#state === "closed") this.#setState("connecting");
    const abort = new AbortController();
    const promise = this.#connect(abort);
    this.#attempt = { promise, abort };
    return promise;
  }

  close(): void {
    this.#attempt?.abort.abort();
    this.#attempt = null;
    this.#clearRetry();
    this.#failures = 0;
    this.#disconnect();
    this.#entries.clear();
  }

  async #connect(abort: AbortController): Promise<UpstreamOpen> {
    const { url, token, createSocket, connectTimeoutMs, maxMessageBytes } = this.#s;
    try {
      const socket = await connectUpstream({ url, token, factory: createSocket, timeoutMs: connectTimeoutMs, maxMessageBytes, signal: abort.signal });
      if (abort.signal.aborted) {
        socket.terminate(); // close() ran while the open was being delivered
        return { ok: false, error: "closed while connecting" };
      }
      this.#attempt = null;
      this.#attach(socket);
      return { ok: true };
    } catch (error) {
      if (!abort.signal.aborted) {
        this.#attempt = null;
        this.#failed();
      }
      return { ok: false, error: redactText(error instanceof Error ? error.message : String(error), token) };
    }
  }

  #attach(socket: WebSocket) {
    this.#socket = socket;
    this.#failures = 0;
    socket.on("message", (data) => this.#relay(data));
    socket.on("close", () => this.#dropped(socket));
    this.#stopLiveness = watchLiveness(socket, this.#s.timers, this.#s.pingMs);
    this.#setState("open");
    if (this.#entries.size === 0) this.#startIdle();
  }

  #dropped(socket: WebSocket) {
    if (this.#socket !== socket) return;
    this.#release();
    this.#failed();
  }

  /** After a drop or a failed attempt: retry with backoff while anyone listens, else stop. */
  #failed() {
    if (this.#entries.size === 0) {
      this.#setState("closed");
      return;
    }
    this.#setState("reconnecting");
    const delay = backoffDelay(this.#failures, this.#s.backoff, this.#s.random);
    this.#failures += 1;
    this.#retryTimer = this.#s.timers.setTimeout(() => {
      this.#retryTimer = null;
      void this.ensureOpen();
    }, delay);
  }

  #lostDemand() {
    if (this.#state === "open") this.#startIdle();
    else if (!this.#attempt) {
      this.#clearRetry();
      this.#setState("closed");
    } // an attempt under way decides when it ends: idle-open or closed
  }

  #startIdle() {
    this.#idleTimer ??= this.#s.timers.setTimeout(() => {
      this.#idleTimer = null;
      if (this.#entries.size === 0) this.#disconnect();
    }, this.#s.idleCloseMs);
  }

  #disconnect() {
    const socket = this.#socket;
    this.#release();
    socket?.terminate();
    this.#setState("closed");
  }

  #release() {
    this.#socket = null;
    this.#stopLiveness?.();
    this.#stopLiveness = null;
    this.#clearIdle();
  }

  #relay(data: WebSocket.RawData) {
    const text = redactText(messageText(data), this.#s.token);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return; // not JSON: every consumer would skip it anyway
    }
    this.#each((listener) => listener.onMessage(text, value));
  }

  #setState(next: UpstreamState) {
    if (this.#state === next) return;
    this.#state = next;
    this.#each((listener) => listener.onState(next));
  }

  /** Calls each current listener; one that unsubscribes meanwhile is skipped, one that throws is reported. */
  #each(call: (listener: UpstreamListener) => void) {
    for (const entry of [...this.#entries]) {
      if (!this.#entries.has(entry)) continue;
      try {
        call(entry.listener);
      } catch (error) {
        this.#s.reportError(error);
      }
    }
  }

  #clearRetry() {
    if (this.#retryTimer !== null) this.#s.timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #clearIdle() {
    if (this.#idleTimer !== null) this.#s.timers.clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }
}
