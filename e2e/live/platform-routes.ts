import type { ServerResponse } from "node:http";
import { callerOf } from "./caller";
import { rpcMethodOf, send, sleep } from "./http-util";
import { pauseTree, pausedAncestor, resumeTree, type LifecycleAction } from "./pause-resume";
import type { PlatformState } from "./platform-state";
import type { Workspace } from "./workspace";

/**
 * The platform API of PLATFORM_API.md, for an authorised request:
 * `GET /workspaces`, `POST /workspaces/:id/a2a`, `POST /workspaces/:id/restart`,
 * `POST /workspaces/:id/pause`, `POST /workspaces/:id/resume`.
 */
export async function routePlatform(state: PlatformState, method: string, path: string, body: string, res: ServerResponse): Promise<void> {
  if (method === "GET" && path === "/workspaces") {
    state.metrics.rows();
    await sleep(state.latency.rows);
    return send(res, 200, [...state.workspaces.values()].map((workspace) => workspace.row()));
  }
  const match = /^\/workspaces\/([^/]+)\/(a2a|restart|pause|resume)$/.exec(path);
  if (!match || method !== "POST") {
    if (path.startsWith("/workspaces/")) state.metrics.otherWorkspaceCall();
    return send(res, 404, { error: "not found" });
  }
  const [, id, action] = match;
  const workspace = state.workspaces.get(id!);
  if (!workspace) return send(res, 404, { error: action === "pause" ? "workspace not found or already paused" : action === "resume" ? "workspace not found or not paused" : "workspace not found" });
  if (action === "pause" || action === "resume") return pauseOrResume(state, workspace, action, res);
  if (action === "restart") {
    state.metrics.restart(workspace.spec.id);
    if (workspace.status === "removed") return send(res, 404, { error: "workspace not found" });
    if (pausedAncestor(state, workspace)) return send(res, 409, { error: "cannot restart: parent workspace is paused" });
    workspace.restart();
    await sleep(state.latency.restart);
    return send(res, 200, { status: "provisioning" });
  }
  state.metrics.a2a(workspace.spec.id, rpcMethodOf(body));
  return forwardA2A(state, workspace, body, res);
}

/**
 * `POST /workspaces/:id/pause` / `resume` (pause-resume.ts): a forced
 * answer if the workspace has one armed (nothing paused or resumed), else
 * the real one; the cascade happens at once, the answer after
 * `latency.pause` / `latency.resume`.
 */
async function pauseOrResume(state: PlatformState, workspace: Workspace, action: LifecycleAction, res: ServerResponse): Promise<void> {
  const answer = state.faults.take(workspace.spec.id, action) ?? (action === "pause" ? pauseTree(state, workspace) : resumeTree(state, workspace));
  state.metrics.lifecycleCall(workspace.spec.id, action, answer.status, answer.count);
  await sleep(action === "pause" ? state.latency.pause : state.latency.resume);
  return send(res, answer.status, answer.body);
}

/**
 * Delivers a JSON-RPC body to the workspace's agent and relays its answer,
 * with the platform's answers for a workspace that cannot take it: a
 * removed one is 404; a paused one is 503 `{"error":"workspace has no URL",
 * "status":"paused"}` (the server's answer for a workspace without an agent
 * URL: nothing delivered, nothing woken); a hibernated one is woken (503
 * waking; left asleep under a paused lead); one being restarted or resumed
 * is 503 restarting; an agent that cannot be reached or goes away before it
 * answers is 502. A caller that leaves aborts the delivery.
 */
async function forwardA2A(state: PlatformState, workspace: Workspace, body: string, res: ServerResponse): Promise<void> {
  if (workspace.status === "removed") return send(res, 404, { error: "workspace not found" });
  if (workspace.status === "paused") return send(res, 503, { error: "workspace has no URL", status: "paused" });
  if (workspace.status === "hibernated") {
    if (!pausedAncestor(state, workspace)) workspace.restart(); // a request to a hibernated workspace wakes it
    return send(res, 503, { waking: true }, { "retry-after": "5" });
  }
  if (!workspace.agent) return send(res, 503, { restarting: true });
  const answer = await workspace.agent.forward(body, callerOf(res));
  if (!answer) return send(res, 502, { error: "failed to reach workspace agent" });
  if (res.destroyed) return;
  res.writeHead(answer.status, { "content-type": answer.contentType }).end(answer.body);
}
