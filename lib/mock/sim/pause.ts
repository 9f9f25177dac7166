import { restartDelayMs, type ProxyEnv } from "./a2a-proxy";
import { CONNECTION_REFUSED, gatewayErrorAnswer, HANG, jsonSimAnswer, type SimAnswer } from "./answer";
import type { HoldBehaviour } from "./behaviour";
import type { SimContext } from "./context";
import { matchAttemptFault } from "./faults";
import { beginRestart, pauseContainer } from "./lifecycle";
import { cascadeBelow, nearestPausedAncestor, type TeamFleet } from "./team-tree";
import type { SimWorkspace } from "./workspace-state";

/** What pause and resume need of the fleet: the proxy's view, and the team tree. */
export type HoldEnv = ProxyEnv & TeamFleet;

// Bodies as the platform's workspace_restart.go sends them (PLATFORM_API.md, "Pause and resume").
const NOT_FOUND_OR_PAUSED = { error: "workspace not found or already paused" };
const NOT_FOUND_OR_NOT_PAUSED = { error: "workspace not found or not paused" };
const LOOKUP_FAILED = { error: "lookup failed" };
const NO_PROVISIONER = { error: "provisioner not available" };
const parentPaused = (name: string) => ({ error: `parent workspace "${name}" is paused — resume it first` });
const PAUSE_FAILURES: Record<number, { error: string }> = { 404: NOT_FOUND_OR_PAUSED, 500: LOOKUP_FAILED };

const isPaused = (ws: SimWorkspace) => !ws.removed && ws.status === "paused";
const canPause = (ws: SimWorkspace) => !ws.removed && ws.status !== "paused";

/** The answer for a behaviour that let the call happen: the platform's 200, lost, or a gateway's. */
function answerOf(behaviour: Exclude<HoldBehaviour, { kind: "fail" | "connection-refused" }>, body: unknown): SimAnswer {
  if (behaviour.kind === "hang") return HANG;
  if (behaviour.kind === "gateway-error") return gatewayErrorAnswer(behaviour.status);
  return jsonSimAnswer(200, body);
}

/**
 * `POST /workspaces/:id/pause`: the workspace and every descendant not
 * removed or already paused lose their work and are paused, one
 * WORKSPACE_PAUSED each; `200 {"status":"paused","paused_count":N}`.
 * Gone or already paused: 404. The datastore down: 500 (the lookup fails).
 * `pause` / `pauseFaults` inject the answer per attempt; `hang` and
 * `gateway-error` pause all the same, `fail` and `connection-refused` do not.
 */
export function pauseWorkspace(ctx: SimContext, env: HoldEnv, workspaceId: string): SimAnswer {
  const ws = env.find(workspaceId);
  if (!ws || !canPause(ws)) return jsonSimAnswer(404, NOT_FOUND_OR_PAUSED);
  if (env.isPlatformDown()) return jsonSimAnswer(500, LOOKUP_FAILED);
  ws.pauseAttempts++;
  const pause = matchAttemptFault(ws.behaviour.pauseFaults, ws.pauseAttempts)?.answer ?? ws.behaviour.pause;
  if (pause.kind === "connection-refused") return CONNECTION_REFUSED;
  if (pause.kind === "fail") return jsonSimAnswer(pause.status, PAUSE_FAILURES[pause.status] ?? { error: "pause failed" });
  const paused = [ws, ...cascadeBelow(env, ws, canPause)];
  for (const each of paused) pauseContainer(ctx, each);
  return answerOf(pause, { status: "paused", paused_count: paused.length });
}

/** The 409 body of an injected `fail` (the workspace's parent named, since no ancestor is really paused). */
function injectedConflict(env: HoldEnv, ws: SimWorkspace): { error: string } {
  return parentPaused((ws.spec.parentId ? env.find(ws.spec.parentId)?.spec.name : undefined) ?? "parent");
}

/**
 * `POST /workspaces/:id/resume`: the workspace and every paused descendant
 * below it (whoever paused them) are provisioned again, one
 * WORKSPACE_PROVISIONING each, and come back online and idle after their own
 * restart time (WORKSPACE_ONLINE); `200 {"status":"provisioning","resumed_count":N}`.
 * Gone or not paused: 404; no provisioner (the platform down): 503; a paused
 * ancestor: 409 naming the nearest one. `resume` / `resumeFaults` inject
 * the answer per attempt, as for a pause.
 */
export function resumeWorkspace(ctx: SimContext, env: HoldEnv, workspaceId: string): SimAnswer {
  const ws = env.find(workspaceId);
  if (!ws || !isPaused(ws)) return jsonSimAnswer(404, NOT_FOUND_OR_NOT_PAUSED);
  if (env.isPlatformDown()) return jsonSimAnswer(503, NO_PROVISIONER);
  const ancestor = nearestPausedAncestor(env, ws);
  if (ancestor) return jsonSimAnswer(409, parentPaused(ancestor.spec.name));
  ws.resumeAttempts++;
  const resume = matchAttemptFault(ws.behaviour.resumeFaults, ws.resumeAttempts)?.answer ?? ws.behaviour.resume;
  if (resume.kind === "connection-refused") return CONNECTION_REFUSED;
  if (resume.kind === "fail") {
    const bodies: Record<number, { error: string }> = { 404: NOT_FOUND_OR_NOT_PAUSED, 409: injectedConflict(env, ws), 500: LOOKUP_FAILED, 503: NO_PROVISIONER };
    return jsonSimAnswer(resume.status, bodies[resume.status] ?? { error: "resume failed" });
  }
  const resumed = [ws, ...cascadeBelow(env, ws, isPaused)];
  for (const each of resumed) beginRestart(ctx, each, restartDelayMs(each.behaviour.restart));
  return answerOf(resume, { status: "provisioning", resumed_count: resumed.length });
}
