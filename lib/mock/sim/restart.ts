import { HANG, jsonAnswer, PLATFORM_UNAVAILABLE, WORKSPACE_NOT_FOUND, type SimAnswer } from "./answer";
import type { SimContext } from "./context";
import { beginRestart } from "./lifecycle";
import type { ProxyEnv } from "./a2a-proxy";

const FAILURE_BODIES: Record<number, { error: string }> = {
  404: { error: "workspace not found" },
  409: { error: "cannot restart: parent workspace is paused" },
  500: { error: "failed to restart workspace" },
  503: { error: "no provisioner available" },
};

/**
 * `POST /workspaces/:id/restart`: `200 {"status":"provisioning"}` and a
 * fresh agent `restartMs` later, a refusal with the configured status, or
 * a restart whose answer never arrives.
 */
export function restartWorkspace(ctx: SimContext, env: ProxyEnv, workspaceId: string): SimAnswer {
  const ws = env.find(workspaceId);
  if (!ws || ws.removed) return WORKSPACE_NOT_FOUND;
  if (env.isPlatformDown()) return PLATFORM_UNAVAILABLE;
  const restart = ws.behaviour.restart;
  if (restart.kind === "fail") return jsonAnswer(restart.status, FAILURE_BODIES[restart.status] ?? { error: "restart failed" });
  beginRestart(ctx, ws, restart.restartMs);
  return restart.kind === "hang" ? HANG : jsonAnswer(200, { status: "provisioning" });
}
