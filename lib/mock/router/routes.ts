import { EVENTS_PATH, PLATFORM_BASE } from "../../platform/paths";

/** What a request under `/api/platform` asks the mock platform for. */
export type PlatformRoute =
  | { kind: "workspaces" }
  | { kind: "a2a"; workspaceId: string }
  | { kind: "restart"; workspaceId: string }
  | { kind: "pause"; workspaceId: string }
  | { kind: "resume"; workspaceId: string }
  /** Any other path or method under the base: a logged 404. */
  | { kind: "unknown" };

// The matching is MSW 2.15's, kept so that moving the handlers out of MSW
// changes nothing: its handlers were `*${path}` patterns, which
// path-to-regexp 6 matches case-insensitively, with one optional trailing
// slash, any prefix before the base (the leading `*`), `:id` as one non-empty
// segment, and every captured part percent-decoded (a malformed escape
// throws URIError, which MSW answers with a 500).
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const pattern = (path: string) => new RegExp(`^(.*)${escape(path)}/?$`, "i");
const ID = "([^/#?]+?)";
const withId = (action: string) => new RegExp(`^(.*)${escape(`${PLATFORM_BASE}/workspaces/`)}${ID}${escape(`/${action}`)}/?$`, "i");

const ROUTES: Array<{ method: string; pattern: RegExp; route: (id: string) => PlatformRoute }> = [
  { method: "GET", pattern: pattern(`${PLATFORM_BASE}/workspaces`), route: () => ({ kind: "workspaces" }) },
  { method: "POST", pattern: withId("a2a"), route: (workspaceId) => ({ kind: "a2a", workspaceId }) },
  { method: "POST", pattern: withId("restart"), route: (workspaceId) => ({ kind: "restart", workspaceId }) },
  { method: "POST", pattern: withId("pause"), route: (workspaceId) => ({ kind: "pause", workspaceId }) },
  { method: "POST", pattern: withId("resume"), route: (workspaceId) => ({ kind: "resume", workspaceId }) },
];
const EVENTS = pattern(EVENTS_PATH);
const UNDER_BASE = new RegExp(`^(.*)${escape(`${PLATFORM_BASE}/`)}(.*)$`, "i");

const sameMethod = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

/**
 * Whether the router answers `method path`: everything under
 * `/api/platform/` except `GET /api/platform/events`, which stays with the
 * event stream's own handlers. Cheap and never throws; `path` is a URL's
 * pathname, still percent-encoded.
 */
export function ownsPlatformRequest(method: string, path: string): boolean {
  return UNDER_BASE.test(path) && !(sameMethod(method, "GET") && EVENTS.test(path));
}

/**
 * The route of a request the router owns (undefined otherwise). Throws
 * URIError when a part the matching pattern captures holds a malformed
 * percent-escape, whatever the method, as MSW's handler lookup did.
 */
export function matchMockRoute(method: string, path: string): PlatformRoute | undefined {
  if (!ownsPlatformRequest(method, path)) return undefined;
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    const parts = match.slice(1).map((part) => decodeURIComponent(part));
    if (sameMethod(candidate.method, method)) return candidate.route(parts[parts.length - 1] ?? "");
  }
  // MSW's catch-all `*/api/platform/*` decoded its parts too: a malformed escape throws here as well.
  for (const part of UNDER_BASE.exec(path)!.slice(1)) decodeURIComponent(part);
  return { kind: "unknown" };
}
