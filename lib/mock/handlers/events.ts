import { delay, http, HttpResponse } from "msw";
import { EVENTS_PATH } from "../../platform/paths";
import type { FleetSimulation } from "../sim/fleet-simulation";
import { holdOnClock } from "../sim/e2e-probe";
import { eventStreamResponse } from "./event-stream";
import { pathOf } from "./platform-router";

/**
 * `GET /api/platform/events`, first in line: logs the request and answers
 * 503 while the stream is switched off. When it is on, a browser
 * `EventSource` request falls through to the `sse()` handler (`deferToSse`);
 * any other client gets the hand-built stream.
 */
export function eventsGateHandler(sim: FleetSimulation, options: { deferToSse: boolean }) {
  return http.get(`*${EVENTS_PATH}`, async ({ request }) => {
    const settle = sim.log.open({ at: sim.clock.now(), method: "GET", path: pathOf(request) });
    if (!sim.eventStream.isAvailable()) {
      if (sim.latencyMs > 0) await holdOnClock(sim.probe, request, delay(sim.latencyMs));
      settle(503);
      return HttpResponse.json({ error: "event stream unavailable" }, { status: 503 });
    }
    settle(200);
    if (options.deferToSse && request.headers.get("accept") === "text/event-stream") return undefined;
    return eventStreamResponse(sim, request.signal);
  });
}
