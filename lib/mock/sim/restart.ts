import { CONNECTION_REFUSED, gatewayErrorAnswer, HANG, jsonSimAnswer, PLATFORM_UNAVAILABLE, WORKSPACE_NOT_FOUND, type SimAnswer } from "./answer";
import type { SimContext } from "./context";
import { matchAttemptFault } from "./faults";
import { beginRestart } from "./lifecycle";
import type { ProxyEnv } from "./a2a-proxy";
import { nearestPausedAncestor } from "./team-tree";

const FAILURE_BODIES: Record<number, { error: string }> = {
  404: { error: "workspace not found" },
  409: { error: "cannot restart: parent workspace is paused" },
  500: { error: "failed to restart workspace" },
  503: { error: "no provisioner available" },
};

/**
 * `POST /workspaces/:id/restart`: `200 {"status":"provisioning"}` and a
 * fresh agent `restartMs` later, a refusal with the configured status, a
 * restart whose answer never arrives or comes from a gateway, or a failed
 * connection. `restartFaults` pick the behaviour per attempt. A paused
 * ancestor refuses it with 409 whatever the behaviour says (PLATFORM_API.md,
 * "Pause and resume"); a paused workspace itself may be restarted, as the
 * platform allows.
 */
export function restartWorkspace(ctx: SimContext, env: ProxyEnv, workspaceId: string): SimAnswer {
  const ws = env.find(workspaceId);
  if (!ws || ws.removed) return WORKSPACE_NOT_FOUND;
  if (env.isPlatformDown()) return PLATFORM_UNAVAILABLE;
  if (nearestPausedAncestor(env, ws)) return jsonSimAnswer(409, FAILURE_BODIES[409]);
  ws.restartAttempts++;
  const restart = matchAttemptFault(ws.behaviour.restartFaults, ws.restartAttempts)?.answer ?? ws.behaviour.restart;
  if (restart.kind === "connection-refused") return CONNECTION_REFUSED;
  if (restart.kind === "fail") return jsonSimAnswer(restart.status, FAILURE_BODIES[restart.status] ?? { error: "restart failed" });
  beginRestart(ctx, ws, restart.restartMs);
  if (restart.kind === "gateway-error") return gatewayErrorAnswer(restart.status);
  return restart.kind === "hang" ? HANG : jsonSimAnswer(200, { status: "provisioning" });
}
