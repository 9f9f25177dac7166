import { parseWorkspaceRows, type ParsedRows } from "./parse-rows";
import { a2aPath, pausePath, restartPath, resumePath, workspacesPath } from "./paths";

/** What came back from one platform request, before any meaning is given to it. */
export type PlatformResponse =
  | {
      ok: true;
      status: number;
      /** `Retry-After` in milliseconds when the header was present and readable. */
      retryAfterMs?: number;
      /** The body parsed as JSON, or undefined when it was empty or not JSON. */
      json: unknown;
      /** The raw text of the body (bounded). */
      text: string;
    }
  | { ok: false; error: "network" | "aborted"; message: string };

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface PlatformClient {
  /** `GET /workspaces`, parsed. Throws PlatformError when the platform cannot be read. */
  listWorkspaces(signal?: AbortSignal): Promise<ParsedRows>;
  /** `POST /workspaces/:id/a2a` with a JSON-RPC body. Never throws. */
  postA2A(workspaceId: string, body: unknown, signal?: AbortSignal): Promise<PlatformResponse>;
  /** `POST /workspaces/:id/restart`. Never throws. */
  restart(workspaceId: string, signal?: AbortSignal): Promise<PlatformResponse>;
  /** `POST /workspaces/:id/pause`: the workspace and its descendants. Never throws. */
  pause(workspaceId: string, signal?: AbortSignal): Promise<PlatformResponse>;
  /** `POST /workspaces/:id/resume`: the workspace and its paused descendants. Never throws. */
  resume(workspaceId: string, signal?: AbortSignal): Promise<PlatformResponse>;
}

export class PlatformError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "PlatformError";
  }
}

/** Bodies larger than this are cut: a huge answer must not freeze the page. */
export const MAX_BODY_CHARS = 1_000_000;

export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** One answer as the client gives it: the status, `Retry-After` read, the body cut to MAX_BODY_CHARS and parsed when it is JSON. */
export function platformAnswer(status: number, retryAfter: string | null, raw: string, now: number): PlatformResponse {
  const text = raw.length > MAX_BODY_CHARS ? raw.slice(0, MAX_BODY_CHARS) : raw;
  let json: unknown;
  if (text.length > 0 && raw.length <= MAX_BODY_CHARS) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { ok: true, status, retryAfterMs: parseRetryAfter(retryAfter, now), json, text };
}

/** `GET /workspaces`'s answer read into rows, or the PlatformError that says why it cannot be. */
export function workspaceRowsOf(status: number, text: string): ParsedRows {
  if (status < 200 || status > 299) {
    throw new PlatformError(`the platform answered ${status} to GET /workspaces${text ? `: ${text.slice(0, 200)}` : ""}`, status);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new PlatformError("the platform's workspace list is not valid JSON");
  }
  try {
    return parseWorkspaceRows(body);
  } catch (error) {
    throw new PlatformError(error instanceof Error ? error.message : String(error));
  }
}

async function readResponse(response: Response, now: () => number): Promise<PlatformResponse> {
  return platformAnswer(response.status, response.headers.get("retry-after"), await response.text(), now());
}

function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === "AbortError");
}

/** A `POST` with no body (restart, pause, resume). */
const bodiless = (signal: AbortSignal | undefined): RequestInit => ({ method: "POST", headers: { accept: "application/json" }, signal });

/**
 * The one place that turns platform calls into HTTP. `fetch` is injected so
 * tests and the orchestrator never touch the network directly.
 */
export function createPlatformClient(fetchImpl: FetchLike, now: () => number = Date.now): PlatformClient {
  async function send(path: string, init: RequestInit): Promise<PlatformResponse> {
    try {
      const response = await fetchImpl(path, init);
      return await readResponse(response, now);
    } catch (error) {
      if (isAbort(error, init.signal ?? undefined)) return { ok: false, error: "aborted", message: "request aborted" };
      return { ok: false, error: "network", message: error instanceof Error ? error.message : String(error) };
    }
  }

  return {
    async listWorkspaces(signal) {
      let response: Response;
      try {
        response = await fetchImpl(workspacesPath(), { headers: { accept: "application/json" }, signal, cache: "no-store" });
      } catch (error) {
        if (isAbort(error, signal)) throw error;
        throw new PlatformError(`the platform cannot be reached (${error instanceof Error ? error.message : String(error)})`);
      }
      return workspaceRowsOf(response.status, await response.text());
    },
    postA2A(workspaceId, body, signal) {
      return send(a2aPath(workspaceId), {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
        signal,
      });
    },
    restart: (workspaceId, signal) => send(restartPath(workspaceId), bodiless(signal)),
    pause: (workspaceId, signal) => send(pausePath(workspaceId), bodiless(signal)),
    resume: (workspaceId, signal) => send(resumePath(workspaceId), bodiless(signal)),
  };
}
