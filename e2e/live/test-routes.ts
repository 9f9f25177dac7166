import type { ServerResponse } from "node:http";
import { FLEET_NAMES, FleetError, fleetByName, parseFleetSpecs } from "./fleet";
import { send } from "./http-util";
import { LatencyError, parseLatency } from "./latency";
import { FaultError } from "./pause-resume";
import type { PlatformState } from "./platform-state";

/** The `GET /_test/metrics` document: the metrics, the fleet, the request log and the process's memory. */
export function metricsDocument(state: PlatformState) {
  const memory = process.memoryUsage();
  return {
    ...state.metrics.snapshot(),
    fleet: state.info(),
    requestLog: { mode: state.log.mode, size: state.log.size, capacity: state.log.capacity, dropped: state.log.dropped },
    process: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, uptimeSeconds: Math.round(process.uptime()) },
  };
}

/** The `/_test/*` helpers (documented in platform-server.ts), for an authorised request. */
export async function routeTest(state: PlatformState, method: string, path: string, body: string, res: ServerResponse): Promise<void> {
  const key = `${method} ${path}`;
  if (key === "GET /_test/requests") return send(res, 200, state.log.entries());
  if (key === "POST /_test/reset") return state.reset().then(() => send(res, 200, { reset: true }));
  if (key === "GET /_test/metrics") return send(res, 200, metricsDocument(state));
  if (key === "POST /_test/metrics/reset") {
    state.metrics.reset();
    return send(res, 200, { reset: true });
  }
  if (key === "GET /_test/fleet") return send(res, 200, state.info());
  if (key === "POST /_test/fleet") return switchFleet(state, body, res);
  const match = /^\/_test\/workspaces\/([^/]+)\/(tasks|faults)$/.exec(path);
  if (!match || (method !== "GET" && method !== "POST")) return send(res, 404, { error: "not found" });
  const workspace = state.workspaces.get(match[1]!);
  if (!workspace) return send(res, 404, { error: "workspace not found" });
  if (match[2] === "faults") {
    if (method === "GET") return send(res, 200, state.faults.of(workspace.spec.id));
    try {
      return send(res, 200, state.faults.set(workspace.spec.id, parseObject(body || "{}"), state.parentOf(workspace)?.spec.name));
    } catch (error) {
      if (error instanceof FaultError) return send(res, 400, { error: error.message });
      throw error;
    }
  }
  if (method === "GET") return send(res, 200, workspace.agent?.tasks() ?? []);
  // No agent (paused, removed, hibernated, provisioning): the work is not delivered.
  if (!workspace.agent) return send(res, 409, { error: `workspace is ${workspace.status}` });
  const text = (parseObject(body) ?? {}).text;
  return send(res, 201, { task_id: await workspace.agent.startTask(typeof text === "string" ? text : "extra work") });
}

/**
 * `POST /_test/fleet` `{"fleet"?: NAME, "latency"?: "list:40,…" | {"list": 40, …}, "workspaces"?: [spec…]}`:
 * loads the named fleet (default: the current one, afresh) with the
 * latency (keys left out keep their current values). With `workspaces`
 * (fleet.ts parseFleetSpecs), loads those specs instead, named `fleet`
 * (default `custom`; not a name fleetByName knows).
 */
async function switchFleet(state: PlatformState, body: string, res: ServerResponse): Promise<void> {
  const request = parseObject(body || "{}");
  if (!request) return send(res, 400, { error: 'body must be a JSON object {"fleet"?: string, "latency"?: string | object, "workspaces"?: array}' });
  const custom = request.workspaces !== undefined;
  const name = request.fleet ?? (custom ? "custom" : state.config.name);
  if (typeof name !== "string" || name === "") return send(res, 400, { error: "fleet must be a fleet name" });
  let specs;
  if (custom) {
    if (fleetByName(name)) return send(res, 400, { error: `fleet ${JSON.stringify(name)} names a built-in fleet; give the workspaces another name` });
    try {
      specs = parseFleetSpecs(request.workspaces);
    } catch (error) {
      if (error instanceof FleetError) return send(res, 400, { error: error.message });
      throw error;
    }
  } else {
    specs = name === state.config.name ? state.config.specs : fleetByName(name);
  }
  if (!specs) return send(res, 400, { error: `unknown fleet ${JSON.stringify(name)}; known: ${FLEET_NAMES.join(", ")}` });
  let latency;
  try {
    latency = parseLatency(request.latency, state.latency);
  } catch (error) {
    if (error instanceof LatencyError) return send(res, 400, { error: error.message });
    throw error;
  }
  await state.load({ name, specs, latency });
  return send(res, 200, state.info());
}

function parseObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
