import type { FleetSimulation, SimAnswer } from "@/lib/mock/sim";
import type { FetchLike } from "@/lib/platform/client";
import { PLATFORM_BASE, workspacesPath } from "@/lib/platform/paths";
import { sleep } from "@/lib/stop-all/sleep";
import { MemoryResponse } from "./memory-response";

const WORKSPACE_ACTION = new RegExp(`^${PLATFORM_BASE}/workspaces/([^/]+)/(a2a|restart)$`);
const NOT_FOUND: SimAnswer = { status: 404, body: { error: "not found" } };

function answerFor(sim: FleetSimulation, method: string, path: string, body: unknown): SimAnswer {
  if (method === "GET" && path === workspacesPath()) return sim.answerListWorkspaces();
  const match = method === "POST" ? WORKSPACE_ACTION.exec(path) : null;
  if (!match) return NOT_FOUND;
  const id = decodeURIComponent(match[1]!);
  return match[2] === "a2a" ? sim.handleA2A(id, typeof body === "string" ? body : "") : sim.handleRestart(id);
}

function toResponse(answer: SimAnswer): Response {
  const headers = { ...answer.headers };
  if (answer.rawBody !== undefined) return new MemoryResponse(answer.rawBody, { status: answer.status, headers });
  if (answer.body === undefined) return new MemoryResponse("", { status: answer.status, headers });
  return new MemoryResponse(JSON.stringify(answer.body), { status: answer.status, headers: { "content-type": "application/json", ...headers } });
}

const abortError = () => new DOMException("The request was aborted", "AbortError");

/** Never answers; rejects when the caller aborts (as a fetch that hangs would). */
function hang(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) reject(abortError());
    else signal?.addEventListener("abort", () => reject(abortError()), { once: true });
  });
}

/**
 * A fetch that asks the simulation directly: no service worker, no network.
 * Answers arrive after the scenario's latency on the simulation's clock,
 * so the world moves only when its clock does.
 */
export function simFetch(sim: FleetSimulation): FetchLike {
  return async (input, init) => {
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) throw abortError();
    const path = new URL(input, "http://preview.invalid").pathname;
    const answer = answerFor(sim, init?.method ?? "GET", path, init?.body);
    if (answer.hang) return hang(signal);
    const answered = await sleep(sim.clock, sim.latencyMs + (answer.delayMs ?? 0), signal);
    if (!answered) throw abortError();
    // A refused or reset connection: fetch rejects with a TypeError, as browsers do.
    if (answer.networkError) throw new TypeError("Failed to fetch");
    return toResponse(answer);
  };
}
