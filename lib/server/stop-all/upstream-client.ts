import "server-only";
import { createPlatformClient, type FetchLike, type PlatformClient, type PlatformResponse } from "../../platform/client";
import { isValidWorkspaceId } from "../../platform/ids";
import { PLATFORM_BASE } from "../../platform/paths";
import { checkA2ABody } from "../a2a-allow";
import { BodyTooLargeError, formatBytes, readBounded } from "../bounded-body";
import { describeNetworkError, MAX_RESPONSE_BYTES } from "../proxy";
import { redactBytes, redactText } from "../redact";

/** Bounds a listing (the A2A client times out its own calls, restarts have their own timeout). */
export const LIST_TIMEOUT_MS = 15_000;

/** How every refused call's message begins. */
export const ALLOW_LIST_REFUSAL = "refused by the canvas's allow-list";

/** The three calls a Stop All sends, each with its fixed upstream path. */
type UpstreamCall = { kind: "list"; method: "GET"; path: "workspaces" } | { kind: "a2a" | "restart"; method: "POST"; path: string };

/** `Retry-After` is delta-seconds or an HTTP date; anything else is dropped. */
const RETRY_AFTER = /^[A-Za-z0-9 ,:+-]{1,64}$/;

class AllowListRefusal extends Error {
  constructor(reason: string) {
    super(`${ALLOW_LIST_REFUSAL}: ${reason}`);
    this.name = "AllowListRefusal";
  }
}

const shown = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

/** Maps a client path (`/api/platform/...`) and method to the call it is, or says why it is not one. */
function matchUpstreamCall(method: string, input: string): UpstreamCall | string {
  const prefix = `${PLATFORM_BASE}/`;
  const segments = input.startsWith(prefix) ? input.slice(prefix.length).split("/") : [];
  if (segments.length === 1 && segments[0] === "workspaces" && method === "GET") return { kind: "list", method: "GET", path: "workspaces" };
  const [first, id, action] = segments;
  if (segments.length === 3 && first === "workspaces" && (action === "a2a" || action === "restart") && method === "POST") {
    if (!isValidWorkspaceId(id)) return `invalid workspace id ${shown(id ?? "")}`;
    return { kind: action, method: "POST", path: `workspaces/${id}/${action}` };
  }
  return `${shown(method)} ${shown(input)} is not a call the canvas sends (GET /workspaces, POST /workspaces/:id/a2a, POST /workspaces/:id/restart)`;
}

/** The JSON-RPC body to send, checked and re-serialised from what was checked, or why nothing is sent. */
function checkedBody(call: UpstreamCall, body: RequestInit["body"]): { ok: true; body: string | undefined } | { ok: false; reason: string } {
  if (call.kind !== "a2a") {
    return body === undefined || body === null ? { ok: true, body: undefined } : { ok: false, reason: `${call.method} /${call.path} is sent without a body` };
  }
  if (typeof body !== "string") return { ok: false, reason: "A2A body must be a JSON-RPC 2.0 request object" };
  const checked = checkA2ABody(new TextEncoder().encode(body));
  return checked.ok ? checked : { ok: false, reason: checked.error };
}

/** An answer the client makes itself (the platform's would be misleading or unreadable), shaped like the platform's errors. */
function madeAnswer(status: number, error: string): Response {
  return new Response(JSON.stringify({ error }), { status, headers: { "content-type": "application/json" } });
}

/** The platform's answer with only what the client reads: status, `Content-Type`, `Retry-After`, the (redacted) body. */
function relay(upstream: Response, body: Uint8Array): Response {
  if (upstream.status >= 300 && upstream.status < 400) {
    return madeAnswer(502, `platform answered with a redirect (${upstream.status}), which the canvas does not follow`);
  }
  if (upstream.status < 200 || upstream.status > 599) return madeAnswer(502, `platform answered with an invalid HTTP status (${upstream.status})`);
  const headers = new Headers();
  const type = upstream.headers.get("content-type");
  if (type) headers.set("content-type", type);
  const retryAfter = upstream.headers.get("retry-after");
  if (retryAfter && RETRY_AFTER.test(retryAfter)) headers.set("retry-after", retryAfter);
  const noBody = upstream.status === 204 || upstream.status === 205;
  return new Response(noBody ? null : (body as Uint8Array<ArrayBuffer>), { status: upstream.status, headers });
}

/**
 * The platform client the canvas server sends Stop All with: the same
 * client as the browser's (lib/platform/client.ts), but its requests go
 * straight to PLATFORM_URL (keeping its base path) with the bearer token,
 * over Node's kept-alive connections. How many are in flight is the
 * orchestrator's limiter's to decide (256).
 *
 * Only the three calls a Stop All makes are sent, and every JSON-RPC body
 * is checked against the A2A allow-list (lib/server/a2a-allow.ts) and
 * re-serialised before it is: anything else is never sent, and the client
 * answers it like a network failure (`refused by the canvas's allow-list: …`).
 * Redirects are not followed (a `502` the client makes says so). The token
 * is redacted from every body and error text it returns, since those can
 * reach a browser through the operation's report.
 */
export function createUpstreamPlatformClient(
  config: { platformUrl: string; token: string | null },
  fetchImpl: typeof fetch = fetch,
  options: { listTimeoutMs?: number; maxResponseBytes?: number } = {},
): PlatformClient {
  const listTimeoutMs = options.listTimeoutMs ?? LIST_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const redact = (text: string) => redactText(text, config.token);

  const upstreamFetch: FetchLike = async (input, init = {}) => {
    const method = (init.method ?? "GET").toUpperCase();
    const call = matchUpstreamCall(method, input);
    if (typeof call === "string") throw new AllowListRefusal(redact(call));
    const checked = checkedBody(call, init.body);
    if (!checked.ok) throw new AllowListRefusal(redact(checked.reason));
    const body = checked.body;

    const headers = new Headers({ accept: "application/json" });
    if (body !== undefined) headers.set("content-type", "application/json");
    if (config.token) headers.set("authorization", `Bearer ${config.token}`);
    const timeout = call.kind === "list" ? AbortSignal.timeout(listTimeoutMs) : undefined;
    const signals = [timeout, init.signal ?? undefined].filter((signal): signal is AbortSignal => signal !== undefined);
    const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;

    let upstream: Response;
    let bytes: Uint8Array;
    try {
      upstream = await fetchImpl(new URL(call.path, config.platformUrl), { method, headers, body, signal, redirect: "manual", cache: "no-store" });
      bytes = await readBounded(upstream.body, maxResponseBytes);
    } catch (error) {
      if (init.signal?.aborted) throw new DOMException("request aborted", "AbortError");
      if (timeout?.aborted) throw new Error(`the platform did not answer ${method} /${call.path} within ${listTimeoutMs / 1000} s`);
      if (error instanceof BodyTooLargeError) return madeAnswer(502, `platform response to ${method} /${call.path} exceeds ${formatBytes(error.limit)}`);
      throw new Error(redact(describeNetworkError(error)));
    }
    return relay(upstream, redactBytes(bytes, config.token));
  };

  // The shared client builds the path and body before its own try (an invalid id, a body JSON cannot
  // write): those throws become a failure here too, so a write never throws.
  const client = createPlatformClient(upstreamFetch);
  const neverThrows = async (send: () => Promise<PlatformResponse>): Promise<PlatformResponse> => {
    try {
      return await send();
    } catch (error) {
      return { ok: false, error: "network", message: `not sent: ${redact(error instanceof Error ? error.message : String(error))}` };
    }
  };
  return {
    listWorkspaces: (signal) => client.listWorkspaces(signal),
    postA2A: (workspaceId, body, signal) => neverThrows(() => client.postA2A(workspaceId, body, signal)),
    restart: (workspaceId, signal) => neverThrows(() => client.restart(workspaceId, signal)),
  };
}
