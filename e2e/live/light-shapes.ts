import { TASK_STATE_ENUM, type TaskStateEnum } from "../../lib/platform/task-states";
import { cardFor, type ProtocolVersion } from "./agent";

/**
 * The JSON the light agents answer with, copied from what the
 * `@a2a-js/sdk` 1.3.0 agents of agent.ts answer (cards, tasks, JSON-RPC
 * errors), so a client cannot tell the two apart by shape.
 */

/** A2A 1.0 task state enum names (the wire vocabulary of lib/platform/task-states.ts), the light agent's own. */
export type TaskStateName = Exclude<TaskStateEnum, "TASK_STATE_UNSPECIFIED">;

/** Enum number → name, as the SDK reads a `ListTasks` status filter (0 is "no filter"). */
export const STATE_NUMBERS: readonly (TaskStateName | null)[] = TASK_STATE_ENUM.map((name) => (name === "TASK_STATE_UNSPECIFIED" ? null : name));

export const TERMINAL_STATES: ReadonlySet<TaskStateName> = new Set(["TASK_STATE_COMPLETED", "TASK_STATE_FAILED", "TASK_STATE_CANCELED", "TASK_STATE_REJECTED"]);

/** One task of a light agent. */
export interface LightTask {
  id: string;
  contextId: string;
  messageId: string;
  text: string;
  state: TaskStateName;
  /** ISO time of the last state change. */
  timestamp: string;
  /** Counted in the workspace's `active_tasks` (the platform's view, which lags the agent's). */
  reported: boolean;
  /** Set once a cancel has scheduled the task's end. */
  ending: boolean;
  /** Calls waiting for the task to reach a terminal state. */
  waiters: Set<() => void>;
}

/** The 1.0 JSON shape of a task (`ListTasks`, `GetTask`, `CancelTask` results). */
export function taskJson(task: LightTask, version: ProtocolVersion): unknown {
  const { id, contextId, messageId, text, timestamp } = task;
  if (version === "1.0") {
    return { id, contextId, status: { state: task.state, timestamp }, history: [{ messageId, contextId, taskId: id, role: "ROLE_USER", parts: [{ text }] }], metadata: {} };
  }
  const state = task.state.slice("TASK_STATE_".length).toLowerCase().replace("_", "-");
  return {
    kind: "task",
    id,
    contextId,
    status: { state, timestamp },
    history: [{ kind: "message", messageId, role: "user", parts: [{ kind: "text", text }], contextId, taskId: id }],
    metadata: {},
  };
}

const REASONS: Record<number, string> = { [-32001]: "TASK_NOT_FOUND", [-32002]: "TASK_NOT_CANCELABLE", [-32602]: "INVALID_PARAMS" };

/** A JSON-RPC error object; 1.0 errors carry the SDK's ErrorInfo `data`. */
export function rpcError(version: ProtocolVersion, code: number, message: string): Record<string, unknown> {
  const reason = REASONS[code];
  if (version === "0.3" || reason === undefined) return { code, message };
  return { code, message, data: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: "a2a-protocol.org" }] };
}

/** The agent card as the platform's headerless card fetch sees it (agent.ts's cards). */
export function lightCard(version: ProtocolVersion, name: string, url: string): unknown {
  const description = `Test agent (A2A ${version}) that works on each task until it is cancelled.`;
  const supportedInterfaces = [{ url, protocolBinding: "JSONRPC", tenant: "", protocolVersion: version }];
  if (version === "1.0") return cardFor(version, name, url);
  return {
    name,
    description,
    version: "1.0.0",
    url,
    preferredTransport: "JSONRPC",
    protocolVersion: "0.3",
    capabilities: { streaming: false, pushNotifications: false },
    defaultInputModes: ["text"],
    defaultOutputModes: ["text"],
    skills: [],
    supportsAuthenticatedExtendedCard: false,
    supportedInterfaces,
  };
}
