/**
 * One HTTP answer of the simulated platform, independent of any HTTP
 * library: the MSW handlers turn it into a Response.
 */
export interface SimAnswer {
  /** HTTP status; 0 for a hang (no answer). */
  status: number;
  headers?: Record<string, string>;
  /** A JSON body. */
  body?: unknown;
  /** A body sent verbatim instead of JSON (broken or non-JSON answers). */
  rawBody?: string;
  /** Extra time before the answer leaves, on top of the network latency. */
  delayMs?: number;
  /** Never answers: the request stays open until the client aborts it. */
  hang?: true;
  /** No HTTP answer at all: the connection fails (refused, reset) and the client's fetch rejects. */
  networkError?: true;
}

export const HANG: SimAnswer = { status: 0, hang: true };

export const CONNECTION_REFUSED: SimAnswer = { status: 0, networkError: true };

export function jsonSimAnswer(status: number, body: unknown, headers?: Record<string, string>): SimAnswer {
  return headers ? { status, body, headers } : { status, body };
}

/** `503 {"code":"platform_unavailable"}`: the platform's datastore is down. */
export const PLATFORM_UNAVAILABLE: SimAnswer = jsonSimAnswer(503, { error: "platform datastore unavailable", code: "platform_unavailable" });

export const WORKSPACE_NOT_FOUND: SimAnswer = jsonSimAnswer(404, { error: "workspace not found" });

/** A gateway in front of the platform answered `status` (504, 520, 524…) as text, as Cloudflare does. */
export function gatewayErrorAnswer(status: number): SimAnswer {
  return { status, rawBody: `error code: ${status}`, headers: { "Content-Type": "text/plain; charset=UTF-8" } };
}
