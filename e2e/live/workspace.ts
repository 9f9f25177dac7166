import { startAgent, type CancelBehaviour, type ProtocolVersion, type RunningAgent, type TaskSummary } from "./agent";
import type { Latency } from "./latency";
import { LightAgent } from "./light-agent";

/** One workspace of the test fleet, named for what it does. */
export interface WorkspaceSpec {
  id: string;
  name: string;
  role: string;
  version: ProtocolVersion;
  /**
   * `hibernated` workspaces have no agent until a request wakes them;
   * `paused` ones have none until a resume; `removed` ones stay listed
   * (status `removed`) and answer every call `404`, like a deleted one.
   */
  status: "online" | "hibernated" | "paused" | "removed";
  /**
   * The team lead's id (the row's `parent_id`): pause and resume cascade
   * down these links, and a paused ancestor blocks restart and resume.
   * Must name a workspace of the same fleet; none for a top-level one.
   */
  parentId?: string;
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
  /** Light agents' answer times; `online` is also the restart (and resume) delay of every workspace. */
  latency: Readonly<Latency>;
  /** The agent's task count reached 0 by itself (a cancel), not by a restart or reset. */
  onDrained(workspaceId: string): void;
}

/** What `GET /workspaces` reports: the spec's statuses, and `provisioning` during a restart or resume. */
export type WorkspaceStatus = WorkspaceSpec["status"] | "provisioning";

const IDLE: TaskSummary = { activeTasks: 0, currentTask: "", currentTaskId: "" };

/**
 * A workspace's lifecycle on the test platform: its agent process, the
 * status the platform reports, and the events it emits when the agent's
 * real task state changes or it is restarted, paused or resumed.
 */
export class Workspace {
  status: WorkspaceStatus;
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

  /** Starts the agent (unless hibernated, paused or removed) and its initial tasks. */
  async boot(): Promise<void> {
    if (this.status !== "online") return;
    if (!(await this.startAgent())) return;
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
      parent_id: this.spec.parentId ?? null,
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
    this.provision();
  }

  /**
   * Stops the agent, as a pause does on the real platform: its in-flight
   * work is lost (its tasks end, `active_tasks` 0, `current_task` ""), calls
   * in flight to it get the platform's 502, new A2A calls a 503, and it is
   * not restarted, woken or given work until a resume. A restart under way
   * is cut short (it never comes online). Emits WORKSPACE_PAUSED.
   */
  pause(): void {
    this.generation += 1;
    this.status = "paused";
    const old = this.agent;
    this.agent = null;
    this.track(old?.close() ?? Promise.resolve());
    this.host.emit("WORKSPACE_PAUSED", this.spec.id, { name: this.spec.name });
  }

  /** A paused workspace provisioned again, like a restart: WORKSPACE_PROVISIONING now, a fresh idle agent and WORKSPACE_ONLINE `latency.online` ms later. */
  resume(): void {
    this.provision();
  }

  /** Status `provisioning` and WORKSPACE_PROVISIONING now; the old agent closed; a fresh agent and WORKSPACE_ONLINE after `latency.online`. */
  private provision(): void {
    this.status = "provisioning";
    this.generation += 1;
    this.host.emit("WORKSPACE_PROVISIONING", this.spec.id, {});
    const old = this.agent;
    this.agent = null;
    const generation = this.generation;
    this.track(
      (async () => {
        await old?.close();
        await new Promise((resolve) => setTimeout(resolve, this.host.latency.online));
        if (generation !== this.generation) return; // paused, reset or closed meanwhile
        if (await this.startAgent()) this.host.emit("WORKSPACE_ONLINE", this.spec.id, {});
      })(),
    );
  }

  /** Adds background work (an agent closing, a boot) to what reset and close wait for. */
  private track(work: Promise<unknown>): void {
    const before = this.booting;
    this.booting = Promise.all([before.catch(() => undefined), work]).then(() => undefined);
  }

  /**
   * Back to the spec, as if the platform had just booted: the agent
   * process is replaced (its work is lost), the status is the spec's, and
   * the spec's tasks start again. Emits what a boot emits.
   */
  async reset(): Promise<void> {
    this.generation += 1;
    const wasDown = this.status === "provisioning" || this.status === "paused";
    await this.booting.catch(() => undefined);
    const old = this.agent;
    this.agent = null;
    await old?.close();
    this.status = this.spec.status;
    this.card = null;
    this.last = IDLE;
    this.booting = Promise.resolve();
    await this.boot();
    // A restart the reset cut short never announced its end, a pause never its resume: say it is up.
    if (wasDown && this.status === "online") this.host.emit("WORKSPACE_ONLINE", this.spec.id, {});
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

  /** A fresh agent as this workspace's, status online; false (and the agent closed) when a pause, reset or close came first. */
  private async startAgent(): Promise<boolean> {
    const generation = ++this.generation;
    const { name, version, cancel } = this.spec;
    const onChange = () => {
      if (generation === this.generation) this.changed(true);
    };
    const agent =
      this.spec.agent === "light"
        ? new LightAgent({ id: this.spec.id, name, version, cancel, latency: this.host.latency, onChange })
        : await startAgent({ name, version, cancel, onChange });
    if (generation !== this.generation) {
      await agent.close();
      return false;
    }
    this.agent = agent;
    this.card = agent.card;
    this.startedAt = Date.now();
    this.status = "online";
    this.changed(false);
    return true;
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
