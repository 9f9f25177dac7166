import { http, HttpResponse } from "msw";
import { isValidWorkspaceId } from "../../platform/ids";
import { PLATFORM_BASE } from "../../platform/paths";
import type { FleetSimulation } from "../sim/fleet-simulation";
import { peekRpc } from "../sim/json-rpc";
import { pathOf, respond } from "./respond";
import { INVALID_ID, workspaceIdParam } from "./workspace-id";

/** `POST /api/platform/workspaces/:id/a2a`: the platform's A2A proxy in front of the simulated agent. */
export function a2aHandler(sim: FleetSimulation) {
  return http.post(`*${PLATFORM_BASE}/workspaces/:id/a2a`, async ({ request, params }) => {
    const workspaceId = workspaceIdParam(params.id);
    const text = await request.text();
    const peek = peekRpc(text);
    const settle = sim.log.open({
      at: sim.clock.now(),
      method: "POST",
      path: pathOf(request),
      workspaceId,
      ...(peek.method !== undefined ? { rpcMethod: peek.method } : {}),
      ...(peek.params !== undefined ? { rpcParams: peek.params } : {}),
      ...(peek.id !== undefined ? { rpcId: peek.id } : {}),
    });
    if (!isValidWorkspaceId(workspaceId)) {
      settle(400);
      return HttpResponse.json(INVALID_ID, { status: 400 });
    }
    return respond(sim, sim.handleA2A(workspaceId, text), request, settle);
  });
}
