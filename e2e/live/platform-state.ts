import { checkFleet } from "./fleet";
import type { Latency } from "./latency";
import { LifecycleFaults, type TeamTree } from "./pause-resume";
import { PlatformMetrics } from "./platform-metrics";
import { RequestLog, type RequestLogMode } from "./request-log";
import { Workspace, type Emit, type WorkspaceSpec } from "./workspace";

/** A fleet and how it behaves: what `POST /_test/fleet` switches. */
export interface FleetConfig {
  /** For reports: a fleet.ts name, or `custom` for specs passed in. */
  name: string;
  specs: WorkspaceSpec[];
  latency: Latency;
}

/** The heartbeat visits one slice of the fleet per tick, so 5,000 workspaces do not all beat at once. */
const HEARTBEAT_SLICES = 10;

/**
 * Everything the test platform holds: the workspaces of the current fleet
 * and their team tree (the specs' `parentId`), the latencies, the request
 * log, the metrics and the forced pause/resume answers. `load` swaps the
 * fleet (and latency) at run time; requests in flight to the old fleet's
 * agents are answered as for agents that went away.
 */
export class PlatformState implements TeamTree {
  /** The heartbeat timer ticks this many times per heartbeat interval. */
  static readonly heartbeatSlices = HEARTBEAT_SLICES;
  workspaces = new Map<string, Workspace>();
  config: FleetConfig;
  log: RequestLog;
  readonly metrics = new PlatformMetrics();
  /** Forced pause/resume answers (`/_test/workspaces/:id/faults`); emptied by `load` and `reset`. */
  readonly faults = new LifecycleFaults();
  private members = new Map<string, Workspace[]>();
  private tick = 0;

  constructor(
    private readonly emit: Emit,
    config: FleetConfig,
    /** A fixed request log mode; by default `full` up to RequestLog.FULL_UP_TO workspaces, else `light`. */
    private readonly logMode?: RequestLogMode,
  ) {
    this.config = config;
    this.log = new RequestLog(this.modeFor(config));
  }

  get latency(): Readonly<Latency> {
    return this.config.latency;
  }

  /**
   * Builds and boots `config`'s workspaces, then makes them the fleet; the
   * old one is closed, log, metrics and faults emptied. Throws FleetError
   * (before booting anything) for duplicate ids or a broken team tree.
   */
  async load(config: FleetConfig): Promise<void> {
    checkFleet(config.specs, config.name);
    const host = { emit: this.emit, latency: config.latency, onDrained: (id: string) => this.metrics.drained(id) };
    const fresh = new Map(config.specs.map((spec) => [spec.id, new Workspace(spec, host)]));
    await Promise.all([...fresh.values()].map((workspace) => workspace.boot()));
    const old = this.workspaces;
    this.workspaces = fresh;
    this.members = new Map();
    for (const workspace of fresh.values()) {
      const lead = workspace.spec.parentId;
      if (lead !== undefined) this.members.set(lead, [...(this.members.get(lead) ?? []), workspace]);
    }
    this.config = config;
    this.log = new RequestLog(this.modeFor(config));
    this.metrics.reset();
    this.faults.clear();
    await Promise.all([...old.values()].map((workspace) => workspace.close()));
  }

  /** Every workspace back to its spec (fresh agents, the spec's tasks and status: paused ones resumed); log, metrics and faults emptied. */
  async reset(): Promise<void> {
    await Promise.all([...this.workspaces.values()].map((workspace) => workspace.reset()));
    this.log.clear();
    this.metrics.reset();
    this.faults.clear();
  }

  /** The workspace's team lead (its spec's `parentId`), undefined for a top-level one. */
  parentOf(workspace: Workspace): Workspace | undefined {
    const lead = workspace.spec.parentId;
    return lead === undefined ? undefined : this.workspaces.get(lead);
  }

  /** The workspace's direct members, in fleet order. */
  childrenOf(workspace: Workspace): readonly Workspace[] {
    return this.members.get(workspace.spec.id) ?? [];
  }

  /** One WORKSPACE_HEARTBEAT for each workspace of the next slice of the fleet. */
  heartbeatSlice(): void {
    const slice = this.tick++ % HEARTBEAT_SLICES;
    let index = 0;
    for (const workspace of this.workspaces.values()) if (index++ % HEARTBEAT_SLICES === slice) workspace.heartbeat();
  }

  /** The `GET /_test/fleet` document. */
  info() {
    let busy = 0;
    let ignoring = 0;
    for (const workspace of this.workspaces.values()) {
      if (workspace.summary().activeTasks === 0) continue;
      busy += 1;
      if (workspace.spec.cancel === "ignore") ignoring += 1;
    }
    return { name: this.config.name, workspaces: this.workspaces.size, busy, ignoring, latency: this.config.latency, requestLog: this.log.mode };
  }

  async close(): Promise<void> {
    await Promise.all([...this.workspaces.values()].map((workspace) => workspace.close()));
  }

  private modeFor(config: FleetConfig): RequestLogMode {
    return this.logMode ?? (config.specs.length <= RequestLog.FULL_UP_TO ? "full" : "light");
  }
}
