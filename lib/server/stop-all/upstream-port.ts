import "server-only";
import { BodyTooLargeError } from "../bounded-body";
import { abortError, UpstreamTimeoutError, type UpstreamAnswer, type UpstreamRequest, type UpstreamTransport } from "./upstream-http";

/**
 * The platform's HTTP run on another thread (upstream-worker.ts), behind the
 * same UpstreamTransport. The two ends talk over a MessagePort: requests and
 * aborts one way, answers and failures the other, each side's messages of
 * one turn of its event loop posted together as one array.
 */

/** What the ends of the port post (a batch is an array of these). */
export type PortRequest = { id: number; method: UpstreamRequest["method"]; url: string; headers: Record<string, string>; body?: string; timeoutMs?: number; maxBytes: number };
export type PortAbort = { abort: number };
export type PortAnswer = { id: number; status: number; contentType: string | null; retryAfter: string | null; body: Uint8Array };
/** A failure, as the thread saw it: rebuilt on this side as the error the in-process transport throws. */
export type PortFailure = { id: number; failure: "timeout" } | { id: number; failure: "too-large"; limit: number } | { id: number; failure: "network"; message: string; code?: string; cause?: { message: string; code?: string } };

/** The part of a MessagePort (or a worker's parentPort) both ends use. */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: "message", listener: (message: unknown) => void): unknown;
}

/** Posts what `push` is given as one array per turn of the event loop (setImmediate), in order. */
function batchedPoster<T>(post: (batch: T[]) => void): (message: T) => void {
  let queued: T[] = [];
  const flush = () => {
    const batch = queued;
    queued = [];
    post(batch);
  };
  return (message) => {
    queued.push(message);
    if (queued.length === 1) setImmediate(flush);
  };
}

/** The body's bytes in a buffer of their own: a port copies a view's whole buffer (a socket read's, headers and all). */
const exactBytes = (body: Buffer): Uint8Array => (body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : new Uint8Array(body));

function errorOf(failure: PortFailure): Error {
  if (failure.failure === "timeout") return new UpstreamTimeoutError();
  if (failure.failure === "too-large") return new BodyTooLargeError(failure.limit);
  const cause = failure.cause ? Object.assign(new Error(failure.cause.message), failure.cause.code ? { code: failure.cause.code } : {}) : undefined;
  return Object.assign(new Error(failure.message, cause ? { cause } : undefined), failure.code ? { code: failure.code } : {});
}

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
};

function failureOf(id: number, error: unknown): PortFailure {
  if (error instanceof UpstreamTimeoutError) return { id, failure: "timeout" };
  if (error instanceof BodyTooLargeError) return { id, failure: "too-large", limit: error.limit };
  if (!(error instanceof Error)) return { id, failure: "network", message: String(error) };
  const { cause } = error;
  const code = codeOf(error);
  const causeCode = cause instanceof Error ? codeOf(cause) : undefined;
  const causeOf = cause instanceof Error ? { message: cause.message, ...(causeCode ? { code: causeCode } : {}) } : undefined;
  return { id, failure: "network", message: error.message, ...(code ? { code } : {}), ...(causeOf ? { cause: causeOf } : {}) };
}

/**
 * Requests the thread hands its transport per turn of its event loop. The
 * main thread posts a whole operation's listings at once (2,000 at 5,000
 * workspaces); sent in one go they kept the thread from reading any answer
 * for ~0.4 s, and every cancel waited for the last listing to leave.
 */
export const SENDS_PER_TURN = 64;

/**
 * The thread's end: sends each request that arrives on `port` with
 * `transport` (its own kept-alive sockets), SENDS_PER_TURN per turn, in
 * order, and posts back its answer or failure; an abort drops the request
 * it names, or destroys it if it is out.
 */
export function serveUpstreamRequests(port: PortLike, transport: UpstreamTransport): void {
  const post = batchedPoster<PortAnswer | PortFailure>((batch) => port.postMessage(batch));
  const waiting = new Map<number, PortRequest>();
  const inFlight = new Map<number, AbortController>();
  let pumping = false;

  const send = async (request: PortRequest) => {
    const controller = new AbortController();
    inFlight.set(request.id, controller);
    try {
      const answer = await transport({ ...request, url: new URL(request.url), signal: controller.signal });
      post({ id: request.id, status: answer.status, contentType: answer.contentType, retryAfter: answer.retryAfter, body: exactBytes(answer.body) });
    } catch (error) {
      // An aborted request's caller has already been answered on its own side.
      if (!controller.signal.aborted) post(failureOf(request.id, error));
    } finally {
      inFlight.delete(request.id);
    }
  };
  // Maps iterate in insertion order: the oldest waiting request goes first.
  const pump = () => {
    let sent = 0;
    for (const [id, request] of waiting) {
      if (sent === SENDS_PER_TURN) return void setImmediate(pump);
      waiting.delete(id);
      sent += 1;
      void send(request);
    }
    pumping = false;
  };
  port.on("message", (batch) => {
    for (const message of batch as Array<PortRequest | PortAbort>) {
      if (!("abort" in message)) waiting.set(message.id, message);
      else if (!waiting.delete(message.abort)) inFlight.get(message.abort)?.abort();
    }
    if (!pumping && waiting.size > 0) {
      pumping = true;
      pump();
    }
  });
}

/** The caller's end of a port served by serveUpstreamRequests, as a transport; `fail` ends every request still out. */
export interface PortTransport {
  transport: UpstreamTransport;
  /** Rejects every request still out with `error` (the thread is gone). */
  failAll(error: Error): void;
}

/**
 * The caller's end: each request goes over `port` and its promise settles
 * with what comes back. An abort settles it here at once (AbortError) and
 * tells the thread to drop the request.
 */
export function createPortTransport(port: PortLike): PortTransport {
  type Waiting = { resolve(answer: UpstreamAnswer): void; reject(error: Error): void; signal?: AbortSignal; onAbort(): void };
  const waiting = new Map<number, Waiting>();
  const post = batchedPoster<PortRequest | PortAbort>((batch) => port.postMessage(batch));
  let nextId = 0;

  const settle = (id: number): Waiting | undefined => {
    const entry = waiting.get(id);
    if (!entry) return undefined;
    waiting.delete(id);
    entry.signal?.removeEventListener("abort", entry.onAbort);
    return entry;
  };
  port.on("message", (batch) => {
    for (const message of batch as Array<PortAnswer | PortFailure>) {
      const entry = settle(message.id);
      if (!entry) continue;
      if ("failure" in message) entry.reject(errorOf(message));
      else entry.resolve({ status: message.status, contentType: message.contentType, retryAfter: message.retryAfter, body: Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength) });
    }
  });

  const transport: UpstreamTransport = (request) =>
    new Promise<UpstreamAnswer>((resolve, reject) => {
      const { signal } = request;
      if (signal?.aborted) return reject(abortError());
      const id = ++nextId;
      const onAbort = () => {
        if (!settle(id)) return;
        post({ abort: id });
        reject(abortError());
      };
      waiting.set(id, { resolve, reject, signal, onAbort });
      signal?.addEventListener("abort", onAbort, { once: true });
      const { method, url, headers, body, timeoutMs, maxBytes } = request;
      post({ id, method, url: url.href, headers, maxBytes, ...(body === undefined ? {} : { body }), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    });

  return {
    transport,
    failAll(error) {
      for (const id of [...waiting.keys()]) settle(id)?.reject(error);
    },
  };
}
