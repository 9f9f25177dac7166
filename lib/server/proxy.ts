import "server-only";
import { checkA2ABody } from "./a2a-allow";
import { BodyTooLargeError, formatBytes, readBounded } from "./bounded-body";
import { redactBytes, redactText } from "./redact";
import { jsonError } from "./responses";
import type { PlatformCall } from "./route-table";

export interface ProxyOptions {
  /** Platform base URL ending with `/` (see platform-env.mjs). */
  platformUrl: string;
  token: string | null;
  fetch?: typeof fetch;
  /** Upstream deadline per call kind, in ms. */
  timeoutMs?: Partial<Record<PlatformCall["kind"], number>>;
  maxRequestBytes?: number;
  maxResponseBytes?: number;
}

/**
 * A cancel can block until the agent stops; the browser times out its own
 * cancels earlier, this only bounds what a forgotten request can hold.
 */
export const DEFAULT_TIMEOUT_MS: Record<PlatformCall["kind"], number> = { list: 15_000, a2a: 30_000, restart: 30_000 };
export const MAX_REQUEST_BYTES = 1024 * 1024;
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** `Retry-After` is delta-seconds or an HTTP date; anything else is dropped. */
const RETRY_AFTER = /^[A-Za-z0-9 ,:+-]{1,64}$/;

/**
 * Forwards one allowed platform call and relays the answer: status,
 * `content-type`, `Retry-After` and body as the platform sent them; no other
 * upstream header (no cookies, no auth echoes, no hop-by-hop or length
 * headers). Proxy-made errors: 413/415/400/403 for bad bodies, 502 when the
 * platform cannot be reached or answers oddly, 504 on timeout, 499 when the
 * browser went away before the answer (nobody reads it; it shows in logs).
 */
export async function forwardPlatformCall(request: Request, call: PlatformCall, options: ProxyOptions): Promise<Response> {
  let body: string | undefined;
  if (call.kind === "a2a") {
    const prepared = await readA2ABody(request, options.maxRequestBytes ?? MAX_REQUEST_BYTES);
    if (prepared instanceof Response) return prepared;
    body = prepared;
  }

  const timeoutMs = options.timeoutMs?.[call.kind] ?? DEFAULT_TIMEOUT_MS[call.kind];
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onClientAbort = () => controller.abort();
  request.signal.addEventListener("abort", onClientAbort, { once: true });
  if (request.signal.aborted) controller.abort();

  try {
    const upstream = await (options.fetch ?? fetch)(new URL(call.upstreamPath, options.platformUrl), {
      method: call.method,
      headers: upstreamHeaders(options.token, body !== undefined),
      body,
      signal: controller.signal,
      redirect: "manual",
      cache: "no-store",
    });
    const bytes = await readBounded(upstream.body, options.maxResponseBytes ?? MAX_RESPONSE_BYTES);
    return relay(upstream, redactBytes(bytes, options.token));
  } catch (error) {
    if (timedOut) return jsonError(504, `platform did not answer ${call.method} /${call.upstreamPath} within ${timeoutMs / 1000} s`);
    if (request.signal.aborted) return jsonError(499, "client closed the request");
    if (error instanceof BodyTooLargeError) return jsonError(502, `platform response to ${call.method} /${call.upstreamPath} exceeds ${formatBytes(error.limit)}`);
    return jsonError(502, `platform unreachable: ${redactText(describeNetworkError(error), options.token)}`);
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener("abort", onClientAbort);
  }
}

async function readA2ABody(request: Request, limit: number): Promise<string | Response> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) return jsonError(415, "A2A body must be sent as content-type: application/json");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return jsonError(413, `A2A body exceeds ${formatBytes(limit)}`);
  let bytes: Uint8Array;
  try {
    bytes = await readBounded(request.body, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return jsonError(413, `A2A body exceeds ${formatBytes(limit)}`);
    return jsonError(400, "A2A body could not be read");
  }
  const checked = checkA2ABody(bytes);
  return checked.ok ? checked.body : jsonError(checked.status, checked.error);
}

function upstreamHeaders(token: string | null, hasBody: boolean): Headers {
  const headers = new Headers({ accept: "application/json" });
  if (hasBody) headers.set("content-type", "application/json");
  if (token) headers.set("authorization", `Bearer ${token}`);
  return headers;
}

function relay(upstream: Response, body: Uint8Array): Response {
  if (upstream.status < 200 || upstream.status > 599) {
    return jsonError(502, `platform answered with an invalid HTTP status (${upstream.status})`);
  }
  if (upstream.status >= 300 && upstream.status < 400) {
    return jsonError(502, `platform answered with a redirect (${upstream.status}), which the proxy does not follow`);
  }
  const headers = new Headers({ "cache-control": "no-store" });
  const type = upstream.headers.get("content-type");
  if (type) headers.set("content-type", type);
  const retryAfter = upstream.headers.get("retry-after");
  if (retryAfter && RETRY_AFTER.test(retryAfter)) headers.set("retry-after", retryAfter);
  const noBody = upstream.status === 204 || upstream.status === 205;
  return new Response(noBody ? null : (body as Uint8Array<ArrayBuffer>), { status: upstream.status, headers });
}

/** Turns undici's `fetch failed` into the cause a person can act on (`connect ECONNREFUSED 10.0.0.5:8080`). */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    if (cause.message) return cause.message;
    if (typeof code === "string") return code;
  }
  return error.message;
}
