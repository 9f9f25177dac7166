import { startAgent, type CancelBehaviour, type ProtocolVersion, type RunningAgent, type TaskSummary } from "./agent";

/** One workspace of the test fleet, named for what it does. */
export interface WorkspaceSpec {
  id: string;
  name: string;
  role: string;
  version: ProtocolVersion;
  /** `hibernated` workspaces have no agent until a request wakes them. */
  status: "online" | "hibernated";
  /** Tasks started when the platform boots (and on reset); each works until cancelled. */
  tasks: string[];
  /** Default `honour`; `ignore` makes an agent that only a restart stops. */
  cancel?: CancelBehaviour;
  x: number;
  y: number;
}

export type Emit = (event: string, workspaceId: string, payload: Record<string, unknown>) => void;

/**
 * A workspace's lifecycle on the test platform: its agent process, the
 * status the platform reports, and the events it emits when the agent's
 * real task state changes or it is restarted.
 */
export class Workspace {
  status: "online" | "hibernated" | "provisioning";
  agent: RunningAgent | null = null;
  private card: unknown = null;
  private startedAt = Date.now();
  private last: TaskSummary = { activeTasks: 0, currentTask: "", currentTaskId: "" };
  private generation = 0;
  private booting: Promise<void> = Promise.resolve();

  constructor(
    readonly spec: WorkspaceSpec,
    private readonly emit: Emit,
    private readonly restartDelayMs: number,
  ) {
    this.status = spec.status;
  }

  /** Starts the agent (unless hibernated) and its initial tasks. */
  async boot(): Promise<void> {
    if (this.status === "hibernated") return;
    await this.startAgent();
    for (const text of this.spec.tasks) await this.agent?.startTask(text);
  }

  summary(): TaskSummary {
    return this.agent?.summary() ?? { activeTasks: 0, currentTask: "", currentTaskId: "" };
  }

  /** The `GET /workspaces` row (PLATFORM_API.md). */
  row(): Record<string, unknown> {
    const { activeTasks, currentTask } = this.summary();
    return {
      id: this.spec.id,
      name: this.spec.name,
      role: this.spec.role,
      tier: 2,
      status: this.status,
      active_tasks: activeTasks,
      current_task: currentTask,
      agent_card: this.card,
      parent_id: null,
      runtime: "a2a-js",
      url: this.agent?.url ?? "",
      x: this.spec.x,
      y: this.spec.y,
      collapsed: false,
      last_error_rate: 0,
      last_sample_error: "",
      uptime_seconds: this.agent ? Math.floor((Date.now() - this.startedAt) / 1000) : 0,
    };
  }

  heartbeat(): void {
    if (this.status !== "online") return;
    this.emit("WORKSPACE_HEARTBEAT", this.spec.id, { active_tasks: this.summary().activeTasks, uptime_seconds: this.row().uptime_seconds });
  }

  /**
   * Stops the agent (its work is lost) and provisions a fresh one. Calls
   * while a restart is under way are coalesced, as on the real platform.
   */
  restart(): void {
    if (this.status === "provisioning") return;
    this.status = "provisioning";
    this.generation += 1;
    this.emit("WORKSPACE_PROVISIONING", this.spec.id, {});
    const old = this.agent;
    this.agent = null;
    this.booting = (async () => {
      await old?.close();
      await new Promise((resolve) => setTimeout(resolve, this.restartDelayMs));
      await this.startAgent();
      this.emit("WORKSPACE_ONLINE", this.spec.id, {});
    })();
  }

  /**
   * Back to the spec, as if the platform had just booted: the agent
   * process is replaced (its work is lost), the status is the spec's, and
   * the spec's tasks start again. Emits what a boot emits.
   */
  async reset(): Promise<void> {
    this.generation += 1;
    await this.booting.catch(() => undefined);
    const old = this.agent;
    this.agent = null;
    await old?.close();
    this.status = this.spec.status;
    this.card = null;
    this.last = { activeTasks: 0, currentTask: "", currentTaskId: "" };
    this.booting = Promise.resolve();
    await this.boot();
  }

  async close(): Promise<void> {
    this.generation += 1;
    await this.booting.catch(() => undefined);
    await this.agent?.close();
    this.agent = null;
  }

  private async startAgent(): Promise<void> {
    const generation = ++this.generation;
    this.agent = await startAgent({
      name: this.spec.name,
      version: this.spec.version,
      cancel: this.spec.cancel,
      onChange: () => {
        if (generation === this.generation) this.changed();
      },
    });
    this.card = this.agent.card;
    this.startedAt = Date.now();
    this.status = "online";
    this.changed();
  }

  /**
   * Emits TASK_UPDATED (with the current task's `task_id`, which the canvas
   * uses to cancel on 0.3 agents that cannot list tasks) and a heartbeat when
   * the agent's task count or current task changed.
   */
  private changed(): void {
    const now = this.summary();
    if (now.activeTasks === this.last.activeTasks && now.currentTaskId === this.last.currentTaskId) return;
    this.last = now;
    const taskId = now.currentTaskId ? { task_id: now.currentTaskId } : {};
    this.emit("TASK_UPDATED", this.spec.id, { active_tasks: now.activeTasks, current_task: now.currentTask, ...taskId });
    this.heartbeat();
  }
}
