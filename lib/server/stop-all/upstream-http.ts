import "server-only";
import http from "node:http";
import https from "node:https";
import { BodyTooLargeError } from "../bounded-body";

/**
 * Platform calls the server keeps in flight for one operation. Not the
 * browser's 256: a CancelTask holds its call until the task ends (300 ms
 * on the bench's agents; until its 5 s timeout for one that ignores the
 * cancel), so 256 slots cap the server at ~750 targets a second, and 2,000
 * targets reached their last cancel only at ~7.7 s, with drainable
 * workspaces restarted at the deadline (npm run bench, live rows). With
 * 2,048, every listing of 2,000 targets leaves at once (limiter.ts: each
 * target's cancel takes its listing's slot) and the last cancel went at
 * 0.8-1.4 s with no browser on the machine. The platform takes 2,000
 * targets at once (the floor row, 0.5 s). Each call in flight is a socket
 * (upstream-http.ts): 2,048 stays well inside the usual open-file limits
 * that Node raises its soft limit to.
 */
export const SERVER_MAX_IN_FLIGHT = 2048;

/** One request to the platform, as the server's Stop All client sends it. */
export interface UpstreamRequest {
  method: "GET" | "POST";
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Gives up (rejecting with UpstreamTimeoutError) when no whole answer came within this. */
  timeoutMs?: number;
  /** Stops reading and rejects with BodyTooLargeError past this many bytes. */
  maxBytes: number;
}

/** The platform's answer: only what the client reads. */
export interface UpstreamAnswer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  body: Buffer;
}

export type UpstreamTransport = (request: UpstreamRequest) => Promise<UpstreamAnswer>;

export class UpstreamTimeoutError extends Error {
  constructor() {
    super("timed out");
    this.name = "UpstreamTimeoutError";
  }
}

/** What a transport rejects with when its request's signal aborts. */
export const abortError = () => new DOMException("request aborted", "AbortError");
const header = (value: string | string[] | undefined) => (Array.isArray(value) ? (value[0] ?? null) : (value ?? null));

/**
 * The server's HTTP to the platform, on node:http(s) with kept-alive
 * sockets (up to `maxSockets` at once, reused newest first). Not fetch: at
 * 2,000 targets the operation's 4,000 calls cost the canvas server about a
 * second of CPU in undici's fetch alone (Request, Headers, web streams, an
 * AbortSignal per call) plus most of its GC, and the last cancel waited on
 * that CPU. Redirects are never followed (node:http does not).
 */
export function createHttpTransport(options: { maxSockets: number }): UpstreamTransport {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets, scheduling: "lifo" as const };
  const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };

  return (request) =>
    new Promise<UpstreamAnswer>((resolve, reject) => {
      const { signal } = request;
      if (signal?.aborted) return reject(abortError());
      const protocol = request.url.protocol;
      if (protocol !== "http:" && protocol !== "https:") return reject(new Error(`unsupported protocol ${protocol}`));
      const send = protocol === "https:" ? https.request : http.request;
      const headers: Record<string, string | number> = { ...request.headers };
      if (request.body !== undefined) headers["content-length"] = Buffer.byteLength(request.body);

      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        outcome();
      };
      const fail = (error: Error) => {
        finish(() => reject(error));
        outgoing.destroy();
      };
      const onAbort = () => fail(abortError());

      const outgoing = send(request.url, { method: request.method, headers, agent: agents[protocol] }, (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on("data", (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > request.maxBytes) fail(new BodyTooLargeError(request.maxBytes));
          else chunks.push(chunk);
        });
        incoming.on("end", () =>
          finish(() =>
            resolve({
              status: incoming.statusCode ?? 0,
              contentType: header(incoming.headers["content-type"]),
              retryAfter: header(incoming.headers["retry-after"]),
              body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
            }),
          ),
        );
        incoming.on("error", (error) => fail(error));
        incoming.on("aborted", () => fail(new Error("the platform closed the connection mid-answer")));
      });
      outgoing.on("error", (error) => fail(error));
      signal?.addEventListener("abort", onAbort, { once: true });
      if (request.timeoutMs !== undefined) timer = setTimeout(() => fail(new UpstreamTimeoutError()), request.timeoutMs);
      outgoing.end(request.body);
    });
}
