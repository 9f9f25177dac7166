import { randomUUID } from "node:crypto";
import type { AgentAnswer, CancelBehaviour, ProtocolVersion, RunningAgent, TaskRecord, TaskSummary } from "./agent";
import type { Latency } from "./latency";
import type { Caller } from "./caller";
import { STATE_NUMBERS, TERMINAL_STATES, lightCard, rpcError, taskJson, type LightTask, type TaskStateName } from "./light-shapes";

export interface LightAgentOptions {
  /** The workspace id, for the agent's (never fetched) URL. */
  id: string;
  name: string;
  version: ProtocolVersion;
  cancel?: CancelBehaviour;
  latency: Readonly<Latency>;
  /** Called when the workspace's reported task count or current task may have changed. */
  onChange: () => void;
}

/** What one JSON-RPC call is answered with, and when. */
type Plan = { after: number; until?: undefined; answer: () => Record<string, unknown> } | { until: LightTask; answer: () => Record<string, unknown> };
type Params = Record<string, unknown>;

const DEFAULT_PAGE_SIZE = 50;

/**
 * A simulated A2A JSON-RPC agent that lives inside the test platform's
 * process: no HTTP server, no SDK, a few hundred bytes per task, so a
 * platform can hold thousands. It answers `forward(body)` with the same
 * JSON-RPC shapes as the SDK agents of agent.ts (A2A 1.0: `ListTasks`,
 * `GetTask`, `CancelTask`, `SendMessage`; 0.3: `tasks/get`, `tasks/cancel`,
 * `message/send`; the other version's names answer -32601), after the
 * latencies of `Latency`. Every task works until it is cancelled:
 * - `honour`: a cancel ends the task `latency.cancel` ms after it arrived
 *   and is answered then (like the SDK, not before the task ends); the
 *   workspace's `active_tasks` drops `latency.drain` ms after the cancel.
 * - `ignore`: the cancel is accepted and the task keeps working; the call
 *   is answered only if the task ends, i.e. never: a restart closes the
 *   agent and the platform answers 502, as for an SDK agent.
 */
export class LightAgent implements RunningAgent {
  readonly url: string;
  readonly version: ProtocolVersion;
  readonly card: unknown;
  private readonly list: LightTask[] = [];
  private readonly byId = new Map<string, LightTask>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pending = new Set<() => void>();
  private closed = false;

  constructor(private readonly options: LightAgentOptions) {
    this.version = options.version;
    this.url = `light://${options.id}/`;
    this.card = lightCard(options.version, options.name, this.url);
  }

  summary(): TaskSummary {
    const current = this.list.find((task) => task.reported);
    return { activeTasks: this.list.reduce((n, task) => n + (task.reported ? 1 : 0), 0), currentTask: current?.text ?? "", currentTaskId: current?.id ?? "" };
  }

  tasks(): TaskRecord[] {
    return this.list.map((task) => ({ id: task.id, text: task.text, state: task.state }));
  }

  async startTask(text: string): Promise<string> {
    return this.begin(text, randomUUID()).id;
  }

  /** Answers one JSON-RPC body; null when the agent went away first (the platform answers 502). */
  async forward(body: string, caller: Caller): Promise<AgentAnswer | null> {
    let request: unknown;
    try {
      request = JSON.parse(body);
    } catch {
      request = undefined;
    }
    const { method, params, id } = (typeof request === "object" && request !== null ? request : {}) as { method?: unknown; params?: unknown; id?: unknown };
    const plan =
      request === undefined
        ? this.error(-32700, "Invalid JSON payload.")
        : typeof method !== "string"
          ? this.error(-32600, "Invalid Request.")
          : this.dispatch(method, typeof params === "object" && params !== null ? (params as Params) : {});
    const delivered = plan.until ? await this.hold((done) => this.onEnd(plan.until, done), caller) : await this.hold((done) => this.delay(plan.after, done), caller);
    if (!delivered) return null;
    const rpcId = typeof id === "string" || typeof id === "number" ? id : null;
    return { status: 200, contentType: "application/json; charset=utf-8", body: JSON.stringify({ jsonrpc: "2.0", id: rpcId, ...plan.answer() }) };
  }

  /** The process stops: running work is lost, calls in flight get no answer. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const lost of [...this.pending]) lost();
  }

  private dispatch(method: string, params: Params): Plan {
    const v1 = this.version === "1.0";
    if (method === (v1 ? "ListTasks" : "")) return this.listTasks(params);
    if (method === (v1 ? "GetTask" : "tasks/get")) return this.getTask(params);
    if (method === (v1 ? "CancelTask" : "tasks/cancel")) return this.cancelTask(params);
    if (method === (v1 ? "SendMessage" : "message/send")) return this.sendMessage(params);
    return this.error(-32601, v1 ? "Invalid method." : `Method not found: ${method}`);
  }

  private listTasks(params: Params): Plan {
    const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;
    if (typeof pageSize !== "number" || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return this.error(-32602, "pageSize must be between 1 and 100");
    let state: TaskStateName | null = null;
    if (params.status !== undefined) {
      const index = typeof params.status === "number" ? params.status : STATE_NUMBERS.indexOf(params.status as TaskStateName);
      const known = params.status === "TASK_STATE_UNSPECIFIED" || (Number.isInteger(index) && index >= 0 && index < STATE_NUMBERS.length);
      if (!known) return this.error(-32602, "Invalid status filter: -1");
      state = params.status === "TASK_STATE_UNSPECIFIED" ? null : (STATE_NUMBERS[index] ?? null);
    }
    const token = typeof params.pageToken === "string" ? params.pageToken : "";
    const offset = token ? Number(/^offset:(\d+)$/.exec(Buffer.from(token, "base64").toString("utf8"))?.[1] ?? NaN) : 0;
    if (!Number.isInteger(offset)) return this.error(-32602, "Invalid page token format.");
    const after = this.options.latency.list;
    return {
      after,
      answer: () => {
        const matching = this.list.filter((task) => state === null || task.state === state).reverse(); // newest first, as the SDK lists
        const page = matching.slice(offset, offset + pageSize);
        const more = offset + page.length < matching.length;
        const nextPageToken = more ? Buffer.from(`offset:${offset + page.length}`).toString("base64") : "";
        return { result: { tasks: page.map((task) => taskJson(task, "1.0")), nextPageToken, pageSize, totalSize: matching.length } };
      },
    };
  }

  private getTask(params: Params): Plan {
    const task = this.find(params);
    if (!("id" in task)) return task;
    return { after: this.options.latency.get, answer: () => ({ result: taskJson(task, this.version) }) };
  }

  private cancelTask(params: Params): Plan {
    const task = this.find(params);
    if (!("id" in task)) return task;
    const answer = () => ({ result: taskJson(task, this.version) });
    if (task.state === "TASK_STATE_CANCELED") return { after: this.options.latency.other, answer };
    if (TERMINAL_STATES.has(task.state)) return this.error(-32002, `Task not cancelable: ${task.id}`);
    if ((this.options.cancel ?? "honour") === "honour" && !task.ending) {
      const { cancel, drain } = this.options.latency;
      task.ending = true;
      this.schedule(cancel, () => this.end(task, "TASK_STATE_CANCELED"));
      this.schedule(Math.max(cancel, drain), () => this.unreport(task));
    }
    return { until: task, answer };
  }

  private sendMessage(params: Params): Plan {
    const message = params.message as { messageId?: unknown; parts?: { text?: unknown }[] } | undefined;
    if (typeof message !== "object" || message === null) return this.error(-32602, "message is required");
    const text = message.parts?.find((part) => typeof part?.text === "string")?.text as string | undefined;
    const task = this.begin(text ?? "", typeof message.messageId === "string" ? message.messageId : randomUUID());
    const json = taskJson(task, this.version);
    return { after: this.options.latency.send, answer: () => ({ result: this.version === "1.0" ? { task: json } : json }) };
  }

  /** The task `params.id` names, or the plan of the error that says why there is none. */
  private find(params: Params): LightTask | Plan {
    if (typeof params.id !== "string" || params.id === "") return this.error(-32602, "Task ID is required");
    return this.byId.get(params.id) ?? this.error(-32001, `Task not found: ${params.id}`);
  }

  private error(code: number, message: string): Plan {
    return { after: this.options.latency.other, answer: () => ({ error: rpcError(this.version, code, message) }) };
  }

  private begin(text: string, messageId: string): LightTask {
    const task: LightTask = { id: randomUUID(), contextId: randomUUID(), messageId, text, state: "TASK_STATE_WORKING", timestamp: new Date().toISOString(), reported: true, ending: false, waiters: new Set() };
    this.list.push(task);
    this.byId.set(task.id, task);
    this.options.onChange();
    return task;
  }

  private end(task: LightTask, state: TaskStateName): void {
    task.state = state;
    task.timestamp = new Date().toISOString();
    for (const done of [...task.waiters]) done();
  }

  private unreport(task: LightTask): void {
    task.reported = false;
    this.options.onChange();
  }

  private schedule(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private delay(ms: number, done: () => void): () => void {
    const timer = setTimeout(done, ms);
    return () => clearTimeout(timer);
  }

  private onEnd(task: LightTask, done: () => void): () => void {
    if (TERMINAL_STATES.has(task.state)) queueMicrotask(done);
    else task.waiters.add(done);
    return () => task.waiters.delete(done);
  }

  /** Resolves true when `arm`'s event happens, false if the agent closes or the caller leaves first. */
  private hold(arm: (done: () => void) => () => void, caller: Caller): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.closed || caller.gone) return resolve(false);
      let disarm = () => {};
      let stopWatching = () => {};
      let settled = false;
      const finish = (ok: boolean) => {
        if (settled) return;
        settled = true;
        disarm();
        this.pending.delete(lost);
        stopWatching();
        resolve(ok);
      };
      const lost = () => finish(false);
      this.pending.add(lost);
      stopWatching = caller.onGone(lost);
      disarm = arm(() => finish(true));
    });
  }
}
