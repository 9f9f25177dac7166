import { http } from "msw";
import { workspacesPath } from "../../platform/paths";
import type { FleetSimulation } from "../sim/fleet-simulation";
import { pathOf, respond } from "./respond";

/** `GET /api/platform/workspaces`: the fleet's rows, or 503 while the platform is down. */
export function workspacesHandler(sim: FleetSimulation) {
  return http.get(`*${workspacesPath()}`, ({ request }) => {
    const settle = sim.log.open({ at: sim.clock.now(), method: "GET", path: pathOf(request) });
    return respond(sim, sim.answerListWorkspaces(), request, settle);
  });
}
