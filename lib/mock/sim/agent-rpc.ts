import { scheduleComeBack } from "./comes-back";
import { a2aError, TASK_NOT_CANCELABLE, TASK_NOT_FOUND, VERSION_NOT_SUPPORTED } from "./a2a-errors";
import { stopTaskWork, setTaskState } from "./agent-tasks";
import type { SimProtocol } from "./behaviour";
import type { SimContext } from "./context";
import { INVALID_PARAMS, METHOD_NOT_FOUND, type RpcError, type RpcRequest } from "./json-rpc";
import { removeWorkspace } from "./lifecycle";
import { listTasks } from "./list-tasks";
import { isTerminalTaskState } from "../../platform/task-states";
import { taskJson, type SimTask } from "./tasks";
import type { SimWorkspace } from "./workspace-state";

export type AgentReply = { result: unknown } | { error: RpcError };

type Action = "get" | "cancel" | "list";

/** Method names per protocol version (0.3 has no list). */
export const A2A_METHODS: Record<SimProtocol, Partial<Record<Action, string>>> = {
  "1.0": { get: "GetTask", cancel: "CancelTask", list: "ListTasks" },
  "0.3": { get: "tasks/get", cancel: "tasks/cancel" },
};

function actionOf(protocol: SimProtocol, method: string): Action | undefined {
  const names = A2A_METHODS[protocol];
  return (Object.keys(names) as Action[]).find((action) => names[action] === method);
}

function taskIdParam(params: Record<string, unknown>): string | undefined {
  return typeof params.id === "string" && params.id !== "" ? params.id : undefined;
}

/** After the first cancel reaches it, a workspace set to vanish mid-operation is removed. */
function scheduleRemovalAfterCancel(ctx: SimContext, ws: SimWorkspace): void {
  const after = ws.behaviour.removeAfterCancelMs;
  if (after === null || ws.removalScheduled) return;
  ws.removalScheduled = true;
  const epoch = ws.epoch;
  ctx.scheduler.after(after, () => {
    if (ws.epoch === epoch) removeWorkspace(ctx, ws);
  });
}

/** CancelTask / tasks/cancel, as the SDK answers it, then whatever the agent really does. */
function cancelTask(ctx: SimContext, ws: SimWorkspace, task: SimTask, protocol: SimProtocol): AgentReply {
  scheduleRemovalAfterCancel(ctx, ws);
  if (task.state === "canceled") return { result: taskJson(task, protocol) };
  if (isTerminalTaskState(task.state)) return { error: a2aError(protocol, TASK_NOT_CANCELABLE, `Task not cancelable: ${task.id}`) };
  const cancel = ws.behaviour.cancel;
  if (cancel.kind === "refuse") return { error: a2aError(protocol, cancel.code, cancel.message) };
  setTaskState(ctx, task, "canceled");
  if (cancel.kind === "honour") {
    const epoch = ws.epoch;
    const drain = () => {
      if (ws.epoch !== epoch || !ws.tasks.includes(task)) return;
      stopTaskWork(ctx, ws, task, "canceled");
      scheduleComeBack(ctx, ws);
    };
    if (cancel.drainAfterMs <= 0) drain();
    else ctx.scheduler.after(cancel.drainAfterMs, drain);
  }
  return { result: taskJson(task, protocol) };
}

/**
 * The agent's JSON-RPC dispatch. It answers the method names of
 * `behaviour.answersMethodsOf`; the other version's names get
 * `behaviour.wrongVersionCode`, anything else -32601.
 */
export function callAgent(ctx: SimContext, ws: SimWorkspace, request: RpcRequest): AgentReply {
  const protocol = ws.behaviour.answersMethodsOf;
  const action = actionOf(protocol, request.method);
  if (!action) {
    const otherVersion = actionOf(protocol === "1.0" ? "0.3" : "1.0", request.method);
    if (otherVersion && ws.behaviour.wrongVersionCode === VERSION_NOT_SUPPORTED) {
      const asked = protocol === "1.0" ? "0.3" : "1.0";
      return { error: a2aError(protocol, VERSION_NOT_SUPPORTED, `The requested A2A protocol version '${asked}' is not supported. Supported versions: ${protocol}`) };
    }
    return { error: a2aError(protocol, METHOD_NOT_FOUND, protocol === "1.0" ? "Invalid method." : "Method not found") };
  }
  const params = request.params;
  if (!params || typeof params !== "object" || Array.isArray(params)) {
    return { error: a2aError(protocol, INVALID_PARAMS, "Invalid method parameters.") };
  }
  const record = params as Record<string, unknown>;
  if (action === "list") return listTasks(ws.tasks, record);

  const id = taskIdParam(record);
  if (!id) return { error: a2aError(protocol, INVALID_PARAMS, "Task id is required") };
  const task = ws.tasks.find((candidate) => candidate.id === id);
  if (!task) return { error: a2aError(protocol, TASK_NOT_FOUND, `Task not found: ${id}`) };
  if (action === "get") return { result: taskJson(task, protocol) };
  return cancelTask(ctx, ws, task, protocol);
}
