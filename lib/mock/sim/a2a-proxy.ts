import { callAgent } from "./agent-rpc";
import { jsonSimAnswer, PLATFORM_UNAVAILABLE, WORKSPACE_NOT_FOUND, type SimAnswer } from "./answer";
import type { ProxyAnswer, RestartBehaviour } from "./behaviour";
import type { SimContext } from "./context";
import { matchFault } from "./faults";
import { parseRpcRequest, peekRpc, rpcErrorBody, rpcResult } from "./json-rpc";
import { beginRestart, platformRestart, removeWorkspace } from "./lifecycle";
import { damageReply, isReplyFault, noAgentAnswer, proxyAnswer, WAKING_ANSWER, type ReplyFault } from "./proxy-answers";
import { isAlive, type SimWorkspace } from "./workspace-state";

/** What the proxy needs from the rest of the platform. */
export interface ProxyEnv {
  find(workspaceId: string): SimWorkspace | undefined;
  isPlatformDown(): boolean;
  /** A fresh number for `queue_id`s. */
  nextQueueNumber(): number;
}

/** How long the platform's own restarts of this workspace take. */
export function restartDelayMs(restart: RestartBehaviour): number {
  return "restartMs" in restart ? restart.restartMs : 3000;
}

/** The JSON-RPC reply the agent itself sends. */
function agentReply(ctx: SimContext, ws: SimWorkspace, body: unknown): Record<string, unknown> {
  const parsed = parseRpcRequest(body);
  if (!parsed.ok) return rpcErrorBody(parsed.id, parsed.error);
  const reply = callAgent(ctx, ws, parsed.request);
  return "result" in reply ? rpcResult(parsed.request.id, reply.result) : rpcErrorBody(parsed.request.id, reply.error);
}

/** A proxy override, with what the platform does besides answering. */
function overrideAnswer(ctx: SimContext, env: ProxyEnv, ws: SimWorkspace, answer: Exclude<ProxyAnswer, ReplyFault>, method: string): SimAnswer {
  if (answer.kind === "restarting") platformRestart(ctx, ws, restartDelayMs(ws.behaviour.restart));
  if (answer.kind === "not-found") removeWorkspace(ctx, ws);
  const number = env.nextQueueNumber();
  return proxyAnswer(answer, { method, queueId: `queue-${ws.spec.id}-${number}`, queueDepth: 1 + (number % 3) });
}

/**
 * `POST /workspaces/:id/a2a` as the platform answers it. `body` is the raw
 * request text (or an already decoded value in tests). Order: unknown or
 * removed → 404; datastore down → 503; hibernated → 503 waking and the
 * workspace wakes; no running agent → 503; then fault injection; then the
 * agent's own JSON-RPC reply.
 */
export function proxyA2A(ctx: SimContext, env: ProxyEnv, workspaceId: string, body: unknown): SimAnswer {
  const ws = env.find(workspaceId);
  if (!ws || ws.removed) return WORKSPACE_NOT_FOUND;
  if (env.isPlatformDown()) return PLATFORM_UNAVAILABLE;
  if (ws.status === "hibernated") {
    beginRestart(ctx, ws, ws.behaviour.wakeMs);
    return WAKING_ANSWER;
  }
  if (!isAlive(ws)) return noAgentAnswer(ws.status);

  const method = peekRpc(body).method ?? "";
  const attempt = (ws.attempts.get(method) ?? 0) + 1;
  ws.attempts.set(method, attempt);
  const fault = matchFault(ws.behaviour.faults, method, attempt);
  if (fault && !isReplyFault(fault.answer)) return overrideAnswer(ctx, env, ws, fault.answer, method);

  const reply = agentReply(ctx, ws, body);
  const answer = fault && isReplyFault(fault.answer) ? damageReply(fault.answer, reply) : jsonSimAnswer(200, reply);
  return ws.behaviour.answerDelayMs > 0 ? { ...answer, delayMs: ws.behaviour.answerDelayMs } : answer;
}
