import "server-only";
import type { ServerConfig } from "./config";
import { openEventBridge, type EventBridgeOptions } from "./event-bridge";
import { jsonError, mockModeResponse } from "./responses";
import { crossSiteReadRefusal } from "./same-origin";
import { SSE_HEADERS } from "./sse";

export type EventsDeps = Omit<EventBridgeOptions, "url" | "token" | "signal">;

/** `https://host/base/` → `wss://host/base/ws` (the platform's event socket). */
export function platformSocketUrl(platformUrl: string): string {
  const url = new URL("ws", platformUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/**
 * `GET /api/platform/events`: the platform's `/ws` relayed as SSE. When the
 * platform's socket cannot be opened the answer is 503 JSON (see
 * openEventBridge for why), so the canvas falls back to polling.
 */
export function createEventsHandler(config: ServerConfig, deps: EventsDeps = {}): (request: Request) => Promise<Response> {
  return async function GET(request) {
    if (config.mode === "mock") return mockModeResponse();
    const refusal = crossSiteReadRefusal(request);
    if (refusal) return jsonError(403, refusal);
    const opened = await openEventBridge({ ...deps, url: platformSocketUrl(config.platformUrl), token: config.token, signal: request.signal });
    if (!opened.ok) return jsonError(503, `platform event stream unavailable: ${opened.error}`, { "retry-after": "5" });
    return new Response(opened.stream, { headers: SSE_HEADERS });
  };
}
