/**
 * One HTTP request to the mock platform, as any adapter hands it over:
 * plain values, no Request object (building and cloning those is what made
 * the service-worker path slow).
 */
export interface PlatformRequest {
  method: string;
  /** The URL's pathname, still percent-encoded: no origin, no query. */
  path: string;
  /** Only `x-fleet-probe` is read (see sim/e2e-probe.ts). */
  headers: { get(name: string): string | null };
  /** The body as text ("" when there is none). */
  body: string;
  /** Aborted when the client gives up on the request: a hang ends then. */
  signal: AbortSignal;
}

/**
 * An HTTP answer as plain values: each adapter makes its own Response of it
 * (`toResponse` in http-response.ts; /preview's worlds one whose body reads
 * in microtasks).
 */
export interface HttpAnswer {
  kind: "response";
  status: number;
  statusText: string;
  headers: Headers;
  /** Null for a status that has no body (204, 304…) or an answer without one. */
  body: string | null;
}

/** How the mock platform answers a request it owns. */
export type PlatformAnswer =
  | HttpAnswer
  /** No HTTP answer at all: the client's fetch rejects (a TypeError, as browsers do). */
  | { kind: "network-error"; cause: "connection-failed" | "hang-ended" };
