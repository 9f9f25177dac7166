import "server-only";
import { createPlatformClient, type FetchLike, type PlatformClient } from "../../platform/client";
import { PLATFORM_BASE } from "../../platform/paths";

/** Bounds a listing (the A2A client times out its own calls, restarts have their own timeout). */
export const LIST_TIMEOUT_MS = 15_000;

/**
 * The platform client the canvas server sends Stop All with: the same
 * client as the browser's (lib/platform/client.ts), but its requests go
 * straight to PLATFORM_URL with the bearer token, over Node's kept-alive
 * connections, instead of through the /api/platform proxy. How many are in
 * flight is the orchestrator's limiter's to decide (256).
 */
export function createUpstreamPlatformClient(config: { platformUrl: string; token: string | null }, fetchImpl: typeof fetch = fetch): PlatformClient {
  const upstreamFetch: FetchLike = (input, init = {}) => {
    if (!input.startsWith(`${PLATFORM_BASE}/`)) throw new Error(`not a platform path: ${input}`);
    const url = new URL(input.slice(PLATFORM_BASE.length + 1), config.platformUrl);
    const headers = new Headers(init.headers);
    if (config.token) headers.set("authorization", `Bearer ${config.token}`);
    const listing = (init.method ?? "GET") === "GET";
    const signal = listing ? AbortSignal.any([AbortSignal.timeout(LIST_TIMEOUT_MS), ...(init.signal ? [init.signal] : [])]) : init.signal;
    return fetchImpl(url, { ...init, headers, signal, redirect: "error", cache: "no-store" });
  };
  return createPlatformClient(upstreamFetch);
}
