import "server-only";
import { platformAnswer, PlatformError, workspaceRowsOf, type PlatformClient, type PlatformResponse } from "../../platform/client";
import { isValidWorkspaceId } from "../../platform/ids";
import type { WorkspaceAction } from "../../platform/paths";
import { checkA2AText } from "../a2a-allow";
import { BodyTooLargeError, formatBytes } from "../bounded-body";
import { describeNetworkError, MAX_RESPONSE_BYTES } from "../proxy";
import { redactBytes, redactText } from "../redact";
import { createHttpTransport, SERVER_MAX_IN_FLIGHT, UpstreamTimeoutError, type UpstreamAnswer, type UpstreamTransport } from "./upstream-http";

/** Bounds a listing (the A2A client times out its own calls, restarts have their own timeout). */
export const LIST_TIMEOUT_MS = 15_000;

/** How every refused call's message begins. */
export const ALLOW_LIST_REFUSAL = "refused by the canvas's allow-list";

/** The calls a Stop All sends, each with its fixed upstream path. */
type UpstreamCall = { kind: "list"; method: "GET"; path: "workspaces" } | { kind: WorkspaceAction; method: "POST"; path: string };

/** `Retry-After` is delta-seconds or an HTTP date; anything else is dropped. */
const RETRY_AFTER = /^[A-Za-z0-9 ,:+-]{1,64}$/;

/** The platform's answer as the client reads it (a redirect or a bad status becomes a 502 the client makes), redacted. */
type ReadAnswer = { status: number; retryAfter: string | null; text: string };

const madeAnswer = (status: number, error: string): ReadAnswer => ({ status, retryAfter: null, text: JSON.stringify({ error }) });

function readAnswer(answer: UpstreamAnswer, token: string | null): ReadAnswer {
  if (answer.status >= 300 && answer.status < 400) {
    return madeAnswer(502, `platform answered with a redirect (${answer.status}), which the canvas does not follow`);
  }
  if (answer.status < 200 || answer.status > 599) return madeAnswer(502, `platform answered with an invalid HTTP status (${answer.status})`);
  const retryAfter = answer.retryAfter !== null && RETRY_AFTER.test(answer.retryAfter) ? answer.retryAfter : null;
  const noBody = answer.status === 204 || answer.status === 205;
  if (noBody) return { status: answer.status, retryAfter, text: "" };
  const redacted = redactBytes(answer.body, token);
  return { status: answer.status, retryAfter, text: Buffer.from(redacted.buffer, redacted.byteOffset, redacted.byteLength).toString("utf8") };
}

/**
 * The platform client the canvas server sends Stop All with: the same
 * answers as the browser's client (lib/platform/client.ts), but its
 * requests go straight to PLATFORM_URL (keeping its base path) with the
 * bearer token, over kept-alive node:http connections (upstream-http.ts;
 * the server runs them on a thread of their own, upstream-worker.ts).
 * How many are in flight is the orchestrator's limiter's to decide.
 *
 * Only the calls a Stop All makes are sent (the rows, A2A, restart, pause,
 * resume), and every JSON-RPC body
 * is checked against the A2A allow-list (lib/server/a2a-allow.ts) and
 * re-serialised before it is: anything else is never sent, and the client
 * answers it like a network failure (`refused by the canvas's allow-list: …`).
 * Redirects are not followed (a `502` the client makes says so). The token
 * is redacted from every body and error text it returns, since those can
 * reach a browser through the operation's report.
 */
export function createUpstreamPlatformClient(
  config: { platformUrl: string; token: string | null },
  transport: UpstreamTransport = createHttpTransport({ maxSockets: SERVER_MAX_IN_FLIGHT }),
  options: { listTimeoutMs?: number; maxResponseBytes?: number; now?: () => number } = {},
): PlatformClient {
  const listTimeoutMs = options.listTimeoutMs ?? LIST_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const now = options.now ?? Date.now;
  const redact = (text: string) => redactText(text, config.token);
  const baseHeaders: Record<string, string> = { accept: "application/json" };
  if (config.token) baseHeaders.authorization = `Bearer ${config.token}`;

  /** The platform's answer, read; a failure rejects with a message that says what happened. A promise chain, not an async frame: thousands are out at once. */
  function call(call: UpstreamCall, body: string | undefined, signal: AbortSignal | undefined): Promise<ReadAnswer> {
    const failed = (error: unknown): ReadAnswer => {
      if (signal?.aborted) throw new DOMException("request aborted", "AbortError");
      if (error instanceof UpstreamTimeoutError) throw new Error(`the platform did not answer ${call.method} /${call.path} within ${listTimeoutMs / 1000} s`);
      if (error instanceof BodyTooLargeError) return madeAnswer(502, `platform response to ${call.method} /${call.path} exceeds ${formatBytes(error.limit)}`);
      throw new Error(redact(describeNetworkError(error)));
    };
    try {
      const headers = body === undefined ? baseHeaders : { ...baseHeaders, "content-type": "application/json" };
      const timeoutMs = call.kind === "list" ? listTimeoutMs : undefined;
      const url = new URL(call.path, config.platformUrl);
      return transport({ method: call.method, url, headers, body, signal, timeoutMs, maxBytes: maxResponseBytes }).then((answer) => {
        try {
          return readAnswer(answer, config.token);
        } catch (error) {
          return failed(error);
        }
      }, failed);
    } catch (error) {
      return Promise.resolve().then(() => failed(error));
    }
  }

  /** The checked body of a write, or why it is not sent (an id that is not one, a body JSON cannot write, the allow-list). */
  function checkedWrite(workspaceId: string, action: WorkspaceAction, body: unknown): { body: string | undefined } | { refused: string } {
    try {
      if (!isValidWorkspaceId(workspaceId)) return { refused: `not sent: refusing invalid workspace id ${JSON.stringify(workspaceId)}` };
      if (action !== "a2a") return { body: undefined };
      const checked = checkA2AText(JSON.stringify(body) ?? "");
      return checked.ok ? { body: checked.body } : { refused: `${ALLOW_LIST_REFUSAL}: ${checked.error}` };
    } catch (error) {
      return { refused: `not sent: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** A write never throws: what could not be sent, or got no answer, is a failure whose message says why. */
  function write(workspaceId: string, action: WorkspaceAction, body: unknown, signal: AbortSignal | undefined): Promise<PlatformResponse> {
    if (signal?.aborted) return Promise.resolve({ ok: false, error: "aborted", message: "request aborted" });
    const checked = checkedWrite(workspaceId, action, body);
    if ("refused" in checked) return Promise.resolve({ ok: false, error: "network", message: redact(checked.refused) });
    return call({ kind: action, method: "POST", path: `workspaces/${workspaceId}/${action}` }, checked.body, signal).then(
      (answer) => platformAnswer(answer.status, answer.retryAfter, answer.text, now()),
      (error: unknown): PlatformResponse =>
        signal?.aborted ? { ok: false, error: "aborted", message: "request aborted" } : { ok: false, error: "network", message: error instanceof Error ? error.message : String(error) },
    );
  }

  return {
    async listWorkspaces(signal) {
      let answer: ReadAnswer;
      try {
        answer = await call({ kind: "list", method: "GET", path: "workspaces" }, undefined, signal);
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new PlatformError(`the platform cannot be reached (${error instanceof Error ? error.message : String(error)})`);
      }
      return workspaceRowsOf(answer.status, answer.text);
    },
    postA2A: (workspaceId, body, signal) => write(workspaceId, "a2a", body, signal),
    restart: (workspaceId, signal) => write(workspaceId, "restart", undefined, signal),
    pause: (workspaceId, signal) => write(workspaceId, "pause", undefined, signal),
    resume: (workspaceId, signal) => write(workspaceId, "resume", undefined, signal),
  };
}
