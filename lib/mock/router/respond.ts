import type { Clock } from "../../time/clock";
import type { SimAnswer } from "../sim/answer";
import type { FleetSimulation } from "../sim/fleet-simulation";
import { holdOnClock } from "../sim/e2e-probe";
import { simHttpAnswer } from "./http-response";
import type { PlatformAnswer, PlatformRequest } from "./types";

/** A hang that nobody aborts still ends after this much clock time, so it never leaks forever. */
export const HANG_LIMIT_MS = 10 * 60_000;

const clockDelay = (clock: Clock, ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));

/**
 * Resolves when the request is aborted, the simulation is reset, or the
 * hang limit passes. Through the service worker the page's abort never
 * reaches the request (the worker drops it), so the other two matter there.
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

/**
 * Sends a simulated answer after the scenario's network latency (plus any
 * delay the agent adds), on the simulation's clock, recording its status in
 * the request log. A hang records nothing and ends as a network error once
 * it is over; a failed connection records nothing and is a network error
 * after the latency. The latency does not end on abort: the simulation has
 * the request by then, as a server would.
 */
export async function respond(sim: FleetSimulation, answer: SimAnswer, request: PlatformRequest, settle: (status: number) => void): Promise<PlatformAnswer> {
  if (answer.hang) {
    await holdOnClock(sim.probe, request, endOfHang(sim, request.signal));
    return { kind: "network-error", cause: "hang-ended" };
  }
  const wait = sim.latencyMs + (answer.delayMs ?? 0);
  if (wait > 0) await holdOnClock(sim.probe, request, clockDelay(sim.clock, wait));
  // A failed connection has no status: the log keeps null, the fetch rejects.
  if (answer.networkError) return { kind: "network-error", cause: "connection-failed" };
  settle(answer.status);
  return simHttpAnswer(answer);
}
