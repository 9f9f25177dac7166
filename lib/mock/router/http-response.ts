import type { SimAnswer } from "../sim/answer";
import { statusTextOf } from "./status-text";
import type { HttpAnswer } from "./types";

// Statuses whose responses cannot have a body (the Response constructor throws otherwise).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const encoder = new TextEncoder();

function httpAnswer(body: string | null, status: number, headers: Headers, statusText = statusTextOf(status)): HttpAnswer {
  return { kind: "response", status, statusText, headers, body: NULL_BODY_STATUSES.has(status) ? null : body };
}

/** A JSON answer as MSW's `HttpResponse.json` builds it: Content-Type (unless given) and Content-Length. */
export function jsonHttpAnswer(body: unknown, init: { status: number; statusText?: string; headers?: Record<string, string> }): HttpAnswer {
  const text = JSON.stringify(body);
  const headers = new Headers(init.headers);
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  if (!headers.has("content-length")) headers.set("content-length", String(encoder.encode(text).byteLength));
  return httpAnswer(text, init.status, headers, init.statusText);
}

/** The HTTP answer of a simulated one: a JSON body, a verbatim body (with the headers it names), or none. */
export function simHttpAnswer(answer: SimAnswer): HttpAnswer {
  if (answer.body !== undefined && answer.rawBody === undefined) return jsonHttpAnswer(answer.body, { status: answer.status, headers: answer.headers });
  return httpAnswer(answer.rawBody ?? null, answer.status, new Headers(answer.headers));
}

/**
 * What MSW's service worker sends when a handler throws (a malformed
 * percent-escape in the path, a bug in the simulation): 500 with the error.
 */
export function handlerErrorAnswer(error: unknown): HttpAnswer {
  const cause = error instanceof Error ? error : new Error(String(error));
  return jsonHttpAnswer({ name: cause.name, message: cause.message, stack: cause.stack }, { status: 500, statusText: "Request Handler Error" });
}

/** The answer as a fetch Response. */
export function toResponse(answer: HttpAnswer): Response {
  return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
}
