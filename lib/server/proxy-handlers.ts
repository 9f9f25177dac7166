import "server-only";
import type { ServerConfig } from "./config";
import { forwardPlatformCall, type ProxyOptions } from "./proxy";
import { jsonError, mockModeResponse } from "./responses";
import { matchProxyRoute, proxySegments } from "./route-table";
import { crossSiteReadRefusal, crossSiteRefusal } from "./same-origin";

export type ProxyDeps = Omit<ProxyOptions, "platformUrl" | "token">;
type Handler = (request: Request) => Promise<Response>;

/**
 * The catch-all `/api/platform/...` handlers, built from a config so tests
 * can inject one. Order: mock mode answers 503; mutating requests must be
 * same-origin and reads must not be cross-site; then the allow-list, which
 * is `GET /workspaces` alone (404 for any other path, 405 for another
 * method), then the forward. POST is still handled so that a write gets the
 * same CSRF refusal and the same 404 as before rather than Next's default.
 */
export function createProxyHandlers(config: ServerConfig, deps: ProxyDeps = {}): { GET: Handler; POST: Handler } {
  async function handle(request: Request): Promise<Response> {
    if (config.mode === "mock") return mockModeResponse();
    const reading = request.method === "GET" || request.method === "HEAD";
    const refusal = reading ? crossSiteReadRefusal(request) : crossSiteRefusal(request);
    if (refusal) return jsonError(403, refusal);
    const segments = proxySegments(new URL(request.url).pathname);
    if (segments === null) return jsonError(404, "not a platform proxy path");
    const match = matchProxyRoute(request.method, segments);
    if (!match.ok) return jsonError(match.status, match.error, match.allow ? { allow: match.allow } : {});
    return forwardPlatformCall(request, match.call, { ...deps, platformUrl: config.platformUrl, token: config.token });
  }
  return { GET: handle, POST: handle };
}
