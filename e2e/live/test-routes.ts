import type { ServerResponse } from "node:http";
import { FLEET_NAMES, fleetByName } from "./fleet";
import { send } from "./http-util";
import { LatencyError, parseLatency } from "./latency";
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
  const match = /^\/_test\/workspaces\/([^/]+)\/tasks$/.exec(path);
  if (!match || (method !== "GET" && method !== "POST")) return send(res, 404, { error: "not found" });
  const workspace = state.workspaces.get(match[1]!);
  if (!workspace) return send(res, 404, { error: "workspace not found" });
  if (method === "GET") return send(res, 200, workspace.agent?.tasks() ?? []);
  if (!workspace.agent) return send(res, 409, { error: `workspace is ${workspace.status}` });
  const text = (parseObject(body) ?? {}).text;
  return send(res, 201, { task_id: await workspace.agent.startTask(typeof text === "string" ? text : "extra work") });
}

/**
 * `POST /_test/fleet` `{"fleet"?: NAME, "latency"?: "list:40,…" | {"list": 40, …}}`:
 * loads the named fleet (default: the current one, afresh) with the
 * latency (keys left out keep their current values).
 */
async function switchFleet(state: PlatformState, body: string, res: ServerResponse): Promise<void> {
  const request = parseObject(body || "{}");
  if (!request) return send(res, 400, { error: 'body must be a JSON object {"fleet"?: string, "latency"?: string | object}' });
  const name = request.fleet ?? state.config.name;
  if (typeof name !== "string") return send(res, 400, { error: "fleet must be a fleet name" });
  const specs = name === state.config.name ? state.config.specs : fleetByName(name);
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
