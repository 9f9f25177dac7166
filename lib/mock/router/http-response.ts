import type { SimAnswer } from "../sim/answer";
import { statusTextOf } from "./status-text";

// Statuses whose responses cannot have a body (the Response constructor throws otherwise).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const encoder = new TextEncoder();

function response(body: string | null, status: number, headers: Headers, statusText = statusTextOf(status)): Response {
  return new Response(NULL_BODY_STATUSES.has(status) ? null : body, { status, statusText, headers });
}

/** A JSON answer as MSW's `HttpResponse.json` builds it: Content-Type (unless given) and Content-Length. */
export function jsonResponse(body: unknown, init: { status: number; statusText?: string; headers?: Record<string, string> }): Response {
  const text = JSON.stringify(body);
  const headers = new Headers(init.headers);
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  if (!headers.has("content-length")) headers.set("content-length", String(encoder.encode(text).byteLength));
  return response(text, init.status, headers, init.statusText);
}

/** The HTTP response of a simulated answer: a JSON body, a verbatim body (with the headers it names), or none. */
export function simAnswerResponse(answer: SimAnswer): Response {
  if (answer.body !== undefined && answer.rawBody === undefined) return jsonResponse(answer.body, { status: answer.status, headers: answer.headers });
  return response(answer.rawBody ?? null, answer.status, new Headers(answer.headers));
}

/**
 * What MSW's service worker sends when a handler throws (a malformed
 * percent-escape in the path, a bug in the simulation): 500 with the error.
 */
export function handlerErrorResponse(error: unknown): Response {
  const cause = error instanceof Error ? error : new Error(String(error));
  return jsonResponse({ name: cause.name, message: cause.message, stack: cause.stack }, { status: 500, statusText: "Request Handler Error" });
}
