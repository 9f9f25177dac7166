import { createInPageFetch } from "@/lib/mock/transport/in-page-fetch";
import type { FleetSimulation } from "@/lib/mock/sim";
import type { FetchLike } from "@/lib/platform/client";
import { MemoryResponse } from "./memory-response";

const PREVIEW_ORIGIN = "http://preview.invalid/";

/**
 * A fetch that asks the world's simulation directly, through the mock
 * platform's own router and in-page transport: the same answers, latency,
 * faults and request log as the canvas's mock mode. Two differences suit a
 * world that moves only when its fake clock does: answers are handed back at
 * once (not on a later task), with bodies readable in microtasks. Nothing
 * else exists in a world: any other request fails as an unreachable host would.
 */
export function simFetch(sim: FleetSimulation): FetchLike {
  return createInPageFetch({
    simulation: () => sim,
    baseUrl: () => PREVIEW_ORIGIN,
    fallback: () => Promise.reject(new TypeError("Failed to fetch")),
    deliver: (answer) => answer(),
    makeResponse: (answer) => new MemoryResponse(answer.body ?? "", { status: answer.status, statusText: answer.statusText, headers: answer.headers }),
  });
}
