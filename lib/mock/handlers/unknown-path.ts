import { http, HttpResponse } from "msw";
import { PLATFORM_BASE } from "../../platform/paths";
import type { FleetSimulation } from "../sim/fleet-simulation";
import { pathOf } from "./respond";

/** Anything else under `/api/platform`: 404, and logged, so a stray request shows up in tests. */
export function unknownPathHandler(sim: FleetSimulation) {
  return http.all(`*${PLATFORM_BASE}/*`, ({ request }) => {
    const settle = sim.log.open({ at: sim.clock.now(), method: request.method, path: pathOf(request) });
    settle(404);
    return HttpResponse.json({ error: "not found" }, { status: 404 });
  });
}
