import { http, HttpResponse } from "msw";
import { isValidWorkspaceId } from "../../platform/ids";
import { PLATFORM_BASE } from "../../platform/paths";
import type { FleetSimulation } from "../sim/fleet-simulation";
import { pathOf, respond } from "./respond";
import { INVALID_ID, workspaceIdParam } from "./workspace-id";

/** `POST /api/platform/workspaces/:id/restart`. */
export function restartHandler(sim: FleetSimulation) {
  return http.post(`*${PLATFORM_BASE}/workspaces/:id/restart`, ({ request, params }) => {
    const workspaceId = workspaceIdParam(params.id);
    const settle = sim.log.open({ at: sim.clock.now(), method: "POST", path: pathOf(request), workspaceId });
    if (!isValidWorkspaceId(workspaceId)) {
      settle(400);
      return HttpResponse.json(INVALID_ID, { status: 400 });
    }
    return respond(sim, sim.handleRestart(workspaceId), request, settle);
  });
}
