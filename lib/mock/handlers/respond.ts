import { delay, HttpResponse } from "msw";
import type { SimAnswer } from "../sim/answer";
import type { FleetSimulation } from "../sim/fleet-simulation";
import { holdOnClock } from "../sim/test-probe";

/** A hang that nobody aborts still ends after this much clock time, so it never leaks forever. */
export const HANG_LIMIT_MS = 10 * 60_000;

/**
 * Resolves when the request is aborted, the simulation is reset, or the
 * hang limit passes. In the browser the service worker does not pass the
 * page's abort on to `request.signal`, so the other two matter there.
 */
function endOfHang(sim: FleetSimulation, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const reset = sim.resetSignal();
    const timer = sim.clock.setTimeout(done, HANG_LIMIT_MS);
    function done() {
      sim.clock.clearTimeout(timer);
      signal.removeEventListener("abort", done);
      reset.removeEventListener("abort", done);
      resolve();
    }
    if (signal.aborted || reset.aborted) return done();
    signal.addEventListener("abort", done, { once: true });
    reset.addEventListener("abort", done, { once: true });
  });
}

export function toResponse(answer: SimAnswer): Response {
  const init = { status: answer.status, headers: answer.headers };
  if (answer.rawBody !== undefined) return new HttpResponse(answer.rawBody, init);
  if (answer.body !== undefined) return HttpResponse.json(answer.body, init);
  return new HttpResponse(null, init);
}

/**
 * Sends a simulated answer after the scenario's network latency (plus any
 * delay the agent adds), recording its status in the request log. A hang
 * records nothing and ends as a network error once it is over; a failed
 * connection records nothing and is a network error after the latency.
 */
export async function respond(sim: FleetSimulation, answer: SimAnswer, request: Request, settle: (status: number) => void): Promise<Response> {
  if (answer.hang) {
    await holdOnClock(sim.probe, request, endOfHang(sim, request.signal));
    return HttpResponse.error();
  }
  const wait = sim.latencyMs + (answer.delayMs ?? 0);
  if (wait > 0) await holdOnClock(sim.probe, request, delay(wait));
  // A failed connection has no status: the log keeps null, the fetch rejects.
  if (answer.networkError) return HttpResponse.error();
  settle(answer.status);
  return toResponse(answer);
}

/** The path of a request, without origin or query: what the request log keeps. */
export function pathOf(request: Request): string {
  return new URL(request.url).pathname;
}
