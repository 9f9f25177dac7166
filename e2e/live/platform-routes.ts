import type { ServerResponse } from "node:http";
import { rpcMethodOf, send, sleep } from "./http-util";
import type { PlatformState } from "./platform-state";
import type { Workspace } from "./workspace";

/**
 * The platform API of PLATFORM_API.md, for an authorised request:
 * `GET /workspaces`, `POST /workspaces/:id/a2a`, `POST /workspaces/:id/restart`.
 */
export async function routePlatform(state: PlatformState, method: string, path: string, body: string, res: ServerResponse): Promise<void> {
  if (method === "GET" && path === "/workspaces") {
    state.metrics.rows();
    await sleep(state.latency.rows);
    return send(res, 200, [...state.workspaces.values()].map((workspace) => workspace.row()));
  }
  const match = /^\/workspaces\/([^/]+)\/(a2a|restart)$/.exec(path);
  if (!match || method !== "POST") {
    if (path.startsWith("/workspaces/")) state.metrics.otherWorkspaceCall();
    return send(res, 404, { error: "not found" });
  }
  const [, id, action] = match;
  const workspace = state.workspaces.get(id!);
  if (!workspace) return send(res, 404, { error: "workspace not found" });
  if (action === "restart") {
    state.metrics.restart(workspace.spec.id);
    workspace.restart();
    await sleep(state.latency.restart);
    return send(res, 200, { status: "provisioning" });
  }
  state.metrics.a2a(workspace.spec.id, rpcMethodOf(body));
  return forwardA2A(workspace, body, res);
}

/**
 * Delivers a JSON-RPC body to the workspace's agent and relays its answer,
 * with the platform's answers for a workspace that cannot take it: a
 * hibernated one is woken (503 waking), one being restarted is 503
 * restarting, an agent that cannot be reached or goes away before it
 * answers is 502. A caller that leaves aborts the delivery.
 */
async function forwardA2A(workspace: Workspace, body: string, res: ServerResponse): Promise<void> {
  if (workspace.status === "hibernated") {
    workspace.restart(); // a request to a hibernated workspace wakes it
    return send(res, 503, { waking: true }, { "retry-after": "5" });
  }
  if (!workspace.agent) return send(res, 503, { restarting: true });
  const caller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) caller.abort();
  });
  const answer = await workspace.agent.forward(body, caller.signal);
  if (!answer) return send(res, 502, { error: "failed to reach workspace agent" });
  if (res.destroyed) return;
  res.writeHead(answer.status, { "content-type": answer.contentType }).end(answer.body);
}
