import { isValidWorkspaceId } from "@/lib/platform/ids";

/** The browser-facing prefix the catch-all route is mounted on. */
export const PROXY_PREFIX = "/api/platform/";

/** One forwardable platform call: the allow-list is exactly these three. */
export type PlatformCall =
  | { kind: "list"; method: "GET"; upstreamPath: "workspaces" }
  | { kind: "a2a" | "restart"; method: "POST"; upstreamPath: string; workspaceId: string };

export type RouteMatch =
  | { ok: true; call: PlatformCall }
  | { ok: false; status: 400 | 404 | 405; error: string; allow?: string };

const INVALID_ID =
  "invalid workspace id: expected 1-128 letters, digits, '_' or '-', starting with a letter or digit";

/**
 * Splits a request pathname into the raw, still percent-encoded segments
 * after `/api/platform/`. Nothing is decoded, so `%2F`, `%2e%2e` or `%00`
 * stay visible to the id check instead of turning into path syntax.
 */
export function proxySegments(pathname: string): string[] | null {
  if (!pathname.startsWith(PROXY_PREFIX)) return null;
  return pathname.slice(PROXY_PREFIX.length).split("/");
}

/**
 * Maps a method and raw segments to an allowed platform call, or to the
 * error the browser gets. Every workspace id is validated before it can
 * become part of an upstream path.
 */
export function matchProxyRoute(method: string, segments: readonly string[]): RouteMatch {
  if (segments.length === 1 && segments[0] === "workspaces") {
    return method === "GET"
      ? { ok: true, call: { kind: "list", method: "GET", upstreamPath: "workspaces" } }
      : { ok: false, status: 405, error: "method not allowed: /workspaces only supports GET", allow: "GET" };
  }
  const [first, id, action] = segments;
  if (segments.length === 3 && first === "workspaces" && (action === "a2a" || action === "restart")) {
    if (!isValidWorkspaceId(id)) return { ok: false, status: 400, error: INVALID_ID };
    if (method !== "POST") {
      return { ok: false, status: 405, error: `method not allowed: /workspaces/:id/${action} only supports POST`, allow: "POST" };
    }
    return { ok: true, call: { kind: action, method: "POST", upstreamPath: `workspaces/${id}/${action}`, workspaceId: id } };
  }
  return { ok: false, status: 404, error: "unknown platform path: only /workspaces, /workspaces/:id/a2a and /workspaces/:id/restart are forwarded" };
}
