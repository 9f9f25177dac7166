import "server-only";
import type { ServerConfig } from "./config";
import { openEventBridge, type EventBridgeOptions } from "./event-bridge";
import { jsonError, mockModeResponse } from "./responses";
import { crossSiteReadRefusal } from "./same-origin";
import { platformSocketUrl, sharedUpstreamEvents } from "./shared-upstream-events";
import { SSE_HEADERS } from "./sse";
import type { UpstreamEvents } from "./upstream-events";

export interface EventsDeps extends Omit<EventBridgeOptions, "hub" | "signal"> {
  /** The upstream to relay; by default the process-wide hub for `config` (sharedUpstreamEvents). */
  hub?: UpstreamEvents;
}

/**
 * `GET /api/platform/events`: the platform's `/ws` relayed as SSE, every
 * browser on the one shared upstream socket. When that socket cannot be
 * opened the answer is 503 JSON (see openEventBridge for why), so the
 * canvas falls back to polling.
 */
export function createEventsHandler(config: ServerConfig, deps: EventsDeps = {}): (request: Request) => Promise<Response> {
  return async function GET(request) {
    if (config.mode === "mock") return mockModeResponse();
    const refusal = crossSiteReadRefusal(request);
    if (refusal) return jsonError(403, refusal);
    const { hub = sharedUpstreamEvents({ url: platformSocketUrl(config.platformUrl), token: config.token }), ...bridge } = deps;
    const opened = await openEventBridge({ ...bridge, hub, signal: request.signal });
    if (!opened.ok) return jsonError(503, `platform event stream unavailable: ${opened.error}`, { "retry-after": "5" });
    return new Response(opened.stream, { headers: SSE_HEADERS });
  };
}
