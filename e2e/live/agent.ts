import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Caller } from "./caller";
import express from "express";
import { AGENT_CARD_PATH, TaskState, type AgentCard, type Task } from "@a2a-js/sdk";
import {
  AgentEvent,
  DefaultRequestHandler,
  InMemoryTaskStore,
  defaultServerCallContextBuilder,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
  type ServerCallContext,
} from "@a2a-js/sdk/server";
import { agentCardHandler, jsonRpcHandler, UserBuilder } from "@a2a-js/sdk/server/express";

export type ProtocolVersion = "1.0" | "0.3";

/**
 * What the agent does with a cancel: `honour` stops the task at once;
 * `ignore` accepts the request and keeps working, so the SDK's cancel call
 * blocks until the task ends some other way (a restart): the agent Stop
 * All's fallback restart exists for.
 */
export type CancelBehaviour = "honour" | "ignore";

/** One task as the agent's store has it, for test assertions. */
export interface TaskRecord {
  id: string;
  text: string;
  /** 1.0 enum name, e.g. `TASK_STATE_WORKING`, `TASK_STATE_CANCELED`. */
  state: string;
}

/** What the platform reads from an agent for its workspace row and events. */
export interface TaskSummary {
  activeTasks: number;
  currentTask: string;
  /** Id of the task `currentTask` describes, "" when idle. */
  currentTaskId: string;
}

/** An agent's HTTP answer to one JSON-RPC body, as the platform relays it. */
export interface AgentAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** An agent process: a real SDK agent (below) or a simulated one (light-agent.ts). */
export interface RunningAgent {
  url: string;
  version: ProtocolVersion;
  /** The card as the platform's headerless fetch sees it (0.3 shape for the 0.3 agent). */
  card: unknown;
  summary(): TaskSummary;
  /** Every task this agent process has seen, oldest first. */
  tasks(): TaskRecord[];
  /** Starts a task through the agent's own JSON-RPC endpoint; resolves with its id. */
  startTask(text: string): Promise<string>;
  /**
   * Delivers a JSON-RPC body, as the platform's proxy does (no A2A-Version
   * header); null when the agent cannot be reached or went away before it
   * answered (the platform answers 502), or the caller aborted.
   */
  forward(body: string, caller: Caller): Promise<AgentAnswer | null>;
  /** Stops the process: running work is lost, as in a container restart. */
  close(): Promise<void>;
}

const NON_TERMINAL = new Set([TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING, TaskState.TASK_STATE_INPUT_REQUIRED, TaskState.TASK_STATE_AUTH_REQUIRED]);

/** A task store that also tells the platform when any task's state changes. */
class ObservedTaskStore extends InMemoryTaskStore {
  readonly latest = new Map<string, Task>();
  constructor(private readonly onChange: () => void) {
    super();
  }
  override async save(task: Task, context: ServerCallContext): Promise<void> {
    await super.save(task, context);
    this.latest.set(task.id, structuredClone(task));
    this.onChange();
  }
}

/** Works on every task until it is cancelled: the shape Stop All has to deal with. */
class WorkUntilCancelled implements AgentExecutor {
  private readonly running = new Map<string, (outcome: "cancel" | "lost") => void>();

  constructor(private readonly onCancel: CancelBehaviour) {}

  execute = async (request: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const { taskId, contextId } = request;
    const status = (state: TaskState) => ({ state, timestamp: new Date().toISOString(), message: undefined });
    bus.publish(
      AgentEvent.task(
        request.task ?? { id: taskId, contextId, status: status(TaskState.TASK_STATE_SUBMITTED), artifacts: [], history: [request.userMessage], metadata: {} },
      ),
    );
    bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(TaskState.TASK_STATE_WORKING), metadata: {} }));
    const outcome = await new Promise<"cancel" | "lost">((resolve) => this.running.set(taskId, resolve));
    this.running.delete(taskId);
    if (outcome === "cancel") bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(TaskState.TASK_STATE_CANCELED), metadata: {} }));
  };

  cancelTask = async (taskId: string): Promise<void> => {
    if (this.onCancel === "honour") this.running.get(taskId)?.("cancel");
  };

  /** A restart: every running task just stops, nothing is published. */
  loseAll(): void {
    for (const resolve of this.running.values()) resolve("lost");
  }
}

/** The card of a test agent (also the light agents' 1.0 card: a client cannot tell the two apart). */
export function cardFor(version: ProtocolVersion, name: string, url: string): AgentCard {
  return {
    name,
    description: `Test agent (A2A ${version}) that works on each task until it is cancelled.`,
    supportedInterfaces: [{ url, protocolBinding: "JSONRPC", tenant: "", protocolVersion: version }],
    provider: undefined,
    version: "1.0.0",
    capabilities: { streaming: false, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ["text"],
    defaultOutputModes: ["text"],
    skills: [],
    signatures: [],
  };
}

function firstText(task: Task): string {
  const content = task.history[0]?.parts[0]?.content;
  return content?.$case === "text" ? content.value : "";
}

/** The JSON-RPC body that starts a task, in the agent's own protocol version. */
function sendBody(version: ProtocolVersion, text: string): unknown {
  const messageId = randomUUID();
  return version === "1.0"
    ? { jsonrpc: "2.0", id: messageId, method: "SendMessage", params: { message: { messageId, role: "ROLE_USER", parts: [{ text }] }, configuration: { returnImmediately: true } } }
    : { jsonrpc: "2.0", id: messageId, method: "message/send", params: { message: { kind: "message", messageId, role: "user", parts: [{ kind: "text", text }] }, configuration: { blocking: false } } };
}

/**
 * Starts a real `@a2a-js/sdk` JSON-RPC agent on a loopback port.
 * - "1.0": a 1.0-only card; headerless requests (the platform forwards no
 *   `A2A-Version`) are treated as 1.0, so `CancelTask`/`ListTasks` work and
 *   `tasks/cancel` answers -32601.
 * - "0.3": a 0.3 card with the SDK's `legacyCompat` layer; headerless
 *   requests are 0.3, so `tasks/cancel` works and `CancelTask`/`ListTasks`
 *   answer -32601.
 */
export async function startAgent(options: { name: string; version: ProtocolVersion; cancel?: CancelBehaviour; onChange: () => void }): Promise<RunningAgent> {
  const app = express();
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const store = new ObservedTaskStore(options.onChange);
  const executor = new WorkUntilCancelled(options.cancel ?? "honour");
  const handler = new DefaultRequestHandler(cardFor(options.version, options.name, url), store, executor);
  const legacy = options.version === "0.3";
  app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: handler, legacyCompat: { enabled: legacy } }));
  app.use(
    jsonRpcHandler({
      requestHandler: handler,
      userBuilder: UserBuilder.noAuthentication,
      legacyCompat: { enabled: legacy },
      contextBuilder: legacy ? undefined : (context) => defaultServerCallContextBuilder({ ...context, requestedVersion: context.requestedVersion ?? "1.0" }),
    }),
  );
  const card: unknown = await (await fetch(new URL(AGENT_CARD_PATH, url))).json();

  return {
    url,
    version: options.version,
    card,
    summary() {
      const active = [...store.latest.values()].filter((task) => task.status && NON_TERMINAL.has(task.status.state));
      return { activeTasks: active.length, currentTask: active[0] ? firstText(active[0]) : "", currentTaskId: active[0]?.id ?? "" };
    },
    tasks() {
      return [...store.latest.values()].map((task) => ({ id: task.id, text: firstText(task), state: TaskState[task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED] ?? String(task.status?.state) }));
    },
    async startTask(text) {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sendBody(options.version, text)) });
      const body = (await response.json()) as { result?: { task?: { id?: string }; id?: string }; error?: unknown };
      const id = body.result?.task?.id ?? body.result?.id;
      if (!id) throw new Error(`agent ${options.name} did not start a task: ${JSON.stringify(body)}`);
      return id;
    },
    async forward(body, caller) {
      try {
        const answer = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body, signal: caller.signal() });
        return { status: answer.status, contentType: answer.headers.get("content-type") ?? "application/json", body: await answer.text() };
      } catch {
        return null;
      }
    },
    async close() {
      executor.loseAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
