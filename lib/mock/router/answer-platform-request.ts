import { isValidWorkspaceId } from "../../platform/ids";
import type { FleetSimulation } from "../sim/fleet-simulation";
import { peekRpc } from "../sim/json-rpc";
import { handlerErrorAnswer, jsonHttpAnswer } from "./http-response";
import { respond } from "./respond";
import { matchMockRoute, type PlatformRoute } from "./routes";
import type { PlatformAnswer, PlatformRequest } from "./types";

export type { HttpAnswer, PlatformAnswer, PlatformRequest } from "./types";
export { toResponse } from "./http-response";
export { ownsPlatformRequest } from "./routes";

const INVALID_ID = { error: "invalid workspace id" };

type WorkspaceRoute = Extract<PlatformRoute, { workspaceId: string }>;

/** The simulation's answer to a call on one workspace (looked up at call time, so a test can swap a handler). */
function answerWorkspaceCall(sim: FleetSimulation, route: WorkspaceRoute, body: string) {
  switch (route.kind) {
    case "a2a":
      return sim.handleA2A(route.workspaceId, body);
    case "restart":
      return sim.handleRestart(route.workspaceId);
    case "pause":
      return sim.handlePause(route.workspaceId);
    case "resume":
      return sim.handleResume(route.workspaceId);
  }
}

function answerRoute(sim: FleetSimulation, route: PlatformRoute, request: PlatformRequest): Promise<PlatformAnswer> | PlatformAnswer {
  const at = sim.clock.now();
  const { path } = request;
  switch (route.kind) {
    case "workspaces":
      return respond(sim, sim.answerListWorkspaces(), request, sim.log.open({ at, method: "GET", path }));
    case "a2a":
    case "restart":
    case "pause":
    case "resume": {
      const { workspaceId } = route;
      const peek = route.kind === "a2a" ? peekRpc(request.body) : {};
      const settle = sim.log.open({
        at,
        method: "POST",
        path,
        workspaceId,
        ...(peek.method !== undefined ? { rpcMethod: peek.method } : {}),
        ...(peek.params !== undefined ? { rpcParams: peek.params } : {}),
        ...(peek.id !== undefined ? { rpcId: peek.id } : {}),
      });
      // The id arrives percent-decoded, so `ws%2Fx` is `ws/x` here and refused.
      if (!isValidWorkspaceId(workspaceId)) {
        settle(400);
        return jsonHttpAnswer(INVALID_ID, { status: 400 });
      }
      return respond(sim, answerWorkspaceCall(sim, route, request.body), request, settle);
    }
    case "unknown":
      // Logged, so a stray request shows up in tests.
      sim.log.open({ at, method: request.method, path })(404);
      return jsonHttpAnswer({ error: "not found" }, { status: 404 });
  }
}

/**
 * The mock platform's HTTP behaviour, free of any HTTP library: routes
 * `request` under `/api/platform` to the simulation, waits out the
 * scenario's latency on its clock, and logs it. Undefined for a request it
 * does not own (`GET /api/platform/events` and anything outside the base):
 * the caller passes those on. Both the MSW handlers and the in-page
 * transport are thin adapters over this function.
 *
 * An exception while answering (a malformed percent-escape in the path, a
 * bug in the simulation) is answered the way MSW's service worker answered
 * it: 500 with the error as JSON, and, when routing threw, nothing logged.
 */
export async function answerPlatformRequest(sim: FleetSimulation, request: PlatformRequest): Promise<PlatformAnswer | undefined> {
  try {
    const route = matchMockRoute(request.method, request.path);
    return route ? await answerRoute(sim, route, request) : undefined;
  } catch (error) {
    return handlerErrorAnswer(error);
  }
}
