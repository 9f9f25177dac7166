/** The browser-facing prefix the catch-all route is mounted on. */
export const PROXY_PREFIX = "/api/platform/";

/**
 * The one platform call the browser may have forwarded: the workspace list.
 * (The event stream has its own route; Stop All's A2A calls and restarts are
 * sent by the canvas server itself, lib/server/stop-all/upstream-client.ts.)
 */
export type PlatformCall = { kind: "list"; method: "GET"; upstreamPath: "workspaces" };

export type RouteMatch =
  | { ok: true; call: PlatformCall }
  | { ok: false; status: 404 | 405; error: string; allow?: string };

export const UNKNOWN_PATH =
  "unknown platform path: only GET /workspaces is forwarded; Stop All runs on the canvas server (/api/stop-all)";

/**
 * Splits a request pathname into the raw, still percent-encoded segments
 * after `/api/platform/`. Nothing is decoded, so `%2F`, `%2e%2e` or `%00`
 * can never turn into path syntax.
 */
export function proxySegments(pathname: string): string[] | null {
  if (!pathname.startsWith(PROXY_PREFIX)) return null;
  return pathname.slice(PROXY_PREFIX.length).split("/");
}

/**
 * Maps a method and raw segments to the allowed platform call, or to the
 * error the browser gets. Nothing from the request's path becomes part of
 * the upstream path: the only call has a fixed one.
 */
export function matchProxyRoute(method: string, segments: readonly string[]): RouteMatch {
  if (segments.length === 1 && segments[0] === "workspaces") {
    return method === "GET"
      ? { ok: true, call: { kind: "list", method: "GET", upstreamPath: "workspaces" } }
      : { ok: false, status: 405, error: "method not allowed: /workspaces only supports GET", allow: "GET" };
  }
  return { ok: false, status: 404, error: UNKNOWN_PATH };
}
