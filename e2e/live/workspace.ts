import { startAgent, type CancelBehaviour, type ProtocolVersion, type RunningAgent, type TaskSummary } from "./agent";
import type { Latency } from "./latency";
import { LightAgent } from "./light-agent";

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
  /**
   * `sdk` (default): a real @a2a-js/sdk agent with its own HTTP server
   * (agent.ts). `light`: a simulated agent inside the platform's process
   * (light-agent.ts), answering after `Latency`, for fleets of thousands.
   */
  agent?: "sdk" | "light";
  x: number;
  y: number;
}

export type Emit = (event: string, workspaceId: string, payload: Record<string, unknown>) => void;

/** What a workspace needs from its platform. */
export interface WorkspaceHost {
  emit: Emit;
  /** Light agents' answer times; `online` is also the restart delay of every workspace. */
  latency: Readonly<Latency>;
  /** The agent's task count reached 0 by itself (a cancel), not by a restart or reset. */
  onDrained(workspaceId: string): void;
}

const IDLE: TaskSummary = { activeTasks: 0, currentTask: "", currentTaskId: "" };

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
  private last: TaskSummary = IDLE;
  private generation = 0;
  private booting: Promise<void> = Promise.resolve();

  constructor(
    readonly spec: WorkspaceSpec,
    private readonly host: WorkspaceHost,
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
    return this.agent?.summary() ?? IDLE;
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
      runtime: this.spec.agent === "light" ? "a2a-light" : "a2a-js",
      url: this.agent?.url ?? "",
      x: this.spec.x,
      y: this.spec.y,
      collapsed: false,
      last_error_rate: 0,
      last_sample_error: "",
      uptime_seconds: this.uptime(),
    };
  }

  heartbeat(): void {
    if (this.status !== "online") return;
    this.host.emit("WORKSPACE_HEARTBEAT", this.spec.id, { active_tasks: this.summary().activeTasks, uptime_seconds: this.uptime() });
  }

  /**
   * Stops the agent (its work is lost) and provisions a fresh one. Calls
   * while a restart is under way are coalesced, as on the real platform.
   */
  restart(): void {
    if (this.status === "provisioning") return;
    this.status = "provisioning";
    this.generation += 1;
    this.host.emit("WORKSPACE_PROVISIONING", this.spec.id, {});
    const old = this.agent;
    this.agent = null;
    const generation = this.generation;
    this.booting = (async () => {
      await old?.close();
      await new Promise((resolve) => setTimeout(resolve, this.host.latency.online));
      if (generation !== this.generation) return; // reset or closed meanwhile
      await this.startAgent();
      this.host.emit("WORKSPACE_ONLINE", this.spec.id, {});
    })();
  }

  /**
   * Back to the spec, as if the platform had just booted: the agent
   * process is replaced (its work is lost), the status is the spec's, and
   * the spec's tasks start again. Emits what a boot emits.
   */
  async reset(): Promise<void> {
    this.generation += 1;
    const wasProvisioning = this.status === "provisioning";
    await this.booting.catch(() => undefined);
    const old = this.agent;
    this.agent = null;
    await old?.close();
    this.status = this.spec.status;
    this.card = null;
    this.last = IDLE;
    this.booting = Promise.resolve();
    await this.boot();
    // A restart the reset cut short never announced its end: say it is up.
    if (wasProvisioning && this.status === "online") this.host.emit("WORKSPACE_ONLINE", this.spec.id, {});
  }

  async close(): Promise<void> {
    this.generation += 1;
    await this.booting.catch(() => undefined);
    await this.agent?.close();
    this.agent = null;
  }

  private uptime(): number {
    return this.agent ? Math.floor((Date.now() - this.startedAt) / 1000) : 0;
  }

  private async startAgent(): Promise<void> {
    const generation = ++this.generation;
    const { name, version, cancel } = this.spec;
    const onChange = () => {
      if (generation === this.generation) this.changed(true);
    };
    this.agent =
      this.spec.agent === "light"
        ? new LightAgent({ id: this.spec.id, name, version, cancel, latency: this.host.latency, onChange })
        : await startAgent({ name, version, cancel, onChange });
    this.card = this.agent.card;
    this.startedAt = Date.now();
    this.status = "online";
    this.changed(false);
  }

  /**
   * Emits TASK_UPDATED (with the current task's `task_id`, which the canvas
   * uses to cancel on 0.3 agents that cannot list tasks) and a heartbeat when
   * the agent's task count or current task changed. `byAgent`: the agent's
   * own change (a drain), not a fresh agent's first report.
   */
  private changed(byAgent: boolean): void {
    const now = this.summary();
    if (now.activeTasks === this.last.activeTasks && now.currentTaskId === this.last.currentTaskId) return;
    const drained = byAgent && now.activeTasks === 0 && this.last.activeTasks > 0;
    this.last = now;
    const taskId = now.currentTaskId ? { task_id: now.currentTaskId } : {};
    this.host.emit("TASK_UPDATED", this.spec.id, { active_tasks: now.activeTasks, current_task: now.currentTask, ...taskId });
    this.heartbeat();
    if (drained) this.host.onDrained(this.spec.id);
  }
}
