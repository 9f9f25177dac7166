import "server-only";
import { BodyTooLargeError, formatBytes, readBounded } from "./bounded-body";
import { redactBytes, redactText } from "./redact";
import { jsonError } from "./responses";
import type { PlatformCall } from "./route-table";

export interface ProxyOptions {
  /** Platform base URL ending with `/` (see platform-env.mjs). */
  platformUrl: string;
  token: string | null;
  fetch?: typeof fetch;
  /** Upstream deadline, in ms. */
  timeoutMs?: number;
  maxResponseBytes?: number;
}

/** Bounds what a listing the platform never answers can hold. */
export const DEFAULT_TIMEOUT_MS = 15_000;
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** `Retry-After` is delta-seconds or an HTTP date; anything else is dropped. */
const RETRY_AFTER = /^[A-Za-z0-9 ,:+-]{1,64}$/;

/**
 * Forwards the allowed platform call (a read, sent without a body whatever
 * the browser sent) and relays the answer: status, `content-type`,
 * `Retry-After` and body as the platform sent them; no other upstream header
 * (no cookies, no auth echoes, no hop-by-hop or length headers). Proxy-made
 * errors: 502 when the platform cannot be reached or answers oddly, 504 on
 * timeout, 499 when the browser went away before the answer (nobody reads
 * it; it shows in logs).
 */
export async function forwardPlatformCall(request: Request, call: PlatformCall, options: ProxyOptions): Promise<Response> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
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
      headers: upstreamHeaders(options.token),
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

function upstreamHeaders(token: string | null): Headers {
  const headers = new Headers({ accept: "application/json" });
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
