import type { KnownWorkspaceStatus } from "../../platform/workspace";
import { agentUrl, buildAgentCard } from "./agent-card";
import { defaultBehaviour, type AgentBehaviour } from "./behaviour";
import { createRandom, type Random } from "./prng";
import type { WorkspaceSpec } from "./scenario";
import { isTerminalTaskState } from "../../platform/task-states";
import { describeTask, type SimTask } from "./tasks";

/** One simulated workspace: the platform's row plus the agent behind it. */
export interface SimWorkspace {
  readonly spec: WorkspaceSpec;
  readonly url: string;
  readonly card: Readonly<Record<string, unknown>> | null;
  readonly random: Random;
  status: KnownWorkspaceStatus;
  removed: boolean;
  behaviour: AgentBehaviour;
  /** The agent's own view: what it is doing now (and a short history of finished tasks). */
  tasks: SimTask[];
  nextTaskNumber: number;
  /** Counter behind `SimTask.touched`. */
  touchCounter: number;
  /** The platform's view, from the agent's last report: what the row and events show. */
  reported: { activeTasks: number; currentTask: string };
  /** Clock ms the agent (re)started, for `uptime_seconds`. */
  aliveSince: number;
  baseUptimeSeconds: number;
  /** Bumped by every restart, wake or removal so jobs of the previous life do nothing. */
  epoch: number;
  /** Requests seen per JSON-RPC method, for fault injection by attempt. */
  attempts: Map<string, number>;
  /** Restart requests seen, for restart fault injection by attempt. */
  restartAttempts: number;
  /** Pause and resume requests for this workspace itself seen (not cascades from above), for their fault injection. */
  pauseAttempts: number;
  resumeAttempts: number;
  /** Whether the removal after a cancel is already scheduled. */
  removalScheduled: boolean;
}

/** Finished tasks kept for GetTask / ListTasks; older ones are forgotten. */
const HISTORY_LIMIT = 20;

/** Statuses in which an agent runs and reports. */
export function isAlive(ws: SimWorkspace): boolean {
  return !ws.removed && (ws.status === "online" || ws.status === "degraded");
}

export function runningTasks(ws: SimWorkspace): SimTask[] {
  return ws.tasks.filter((task) => task.running);
}

/** `current_task` as the agent would report it: its most recently active running task. */
export function currentTaskText(ws: SimWorkspace): string {
  let latest: SimTask | undefined;
  for (const task of ws.tasks) if (task.running && (!latest || task.touched > latest.touched)) latest = task;
  return latest ? describeTask(latest) : "";
}

/** Drops the oldest finished tasks beyond the history limit. */
export function trimHistory(ws: SimWorkspace): void {
  const finished = ws.tasks.filter((task) => !task.running && isTerminalTaskState(task.state));
  const excess = finished.length - HISTORY_LIMIT;
  if (excess <= 0) return;
  const drop = new Set(finished.slice(0, excess));
  ws.tasks = ws.tasks.filter((task) => !drop.has(task));
}

/** Builds a workspace's starting state from its scenario entry. */
export function createSimWorkspace(spec: WorkspaceSpec, now: number, seed: number): SimWorkspace {
  const cardProtocol = spec.card ?? "1.0";
  const url = agentUrl(spec.id);
  const card = buildAgentCard(cardProtocol, spec.name, url);
  const ws: SimWorkspace = {
    spec,
    url,
    card: card ? Object.freeze(card) : null,
    random: createRandom(seed),
    status: spec.status ?? "online",
    removed: false,
    behaviour: { ...defaultBehaviour(cardProtocol), ...spec.behaviour },
    tasks: [],
    nextTaskNumber: 1,
    touchCounter: 0,
    reported: { activeTasks: 0, currentTask: "" },
    aliveSince: now,
    baseUptimeSeconds: spec.uptimeSeconds ?? 3600,
    epoch: 0,
    attempts: new Map(),
    restartAttempts: 0,
    pauseAttempts: 0,
    resumeAttempts: 0,
    removalScheduled: false,
  };
  for (const task of spec.tasks ?? []) {
    const state = task.state ?? "working";
    const number = ws.nextTaskNumber++;
    ws.tasks.push({
      id: task.id ?? `task-${spec.id}-${number}`,
      contextId: `ctx-${spec.id}-${number}`,
      description: task.description,
      state,
      stateAt: now,
      running: !isTerminalTaskState(state),
      long: true,
      step: 0,
      touched: ws.touchCounter++,
    });
  }
  ws.reported = { activeTasks: runningTasks(ws).length, currentTask: currentTaskText(ws) };
  return ws;
}

/** The row of `GET /workspaces`, field for field as PLATFORM_API.md lists it. */
export function toWireRow(ws: SimWorkspace, now: number): Record<string, unknown> {
  const { spec } = ws;
  return {
    id: spec.id,
    name: spec.name,
    role: spec.role ?? "agent",
    tier: spec.tier ?? 2,
    status: ws.status,
    active_tasks: ws.reported.activeTasks,
    current_task: ws.reported.currentTask,
    agent_card: ws.card,
    parent_id: spec.parentId ?? null,
    runtime: spec.runtime ?? "claude-code",
    url: ws.url,
    x: spec.x,
    y: spec.y,
    collapsed: spec.collapsed ?? false,
    last_error_rate: spec.lastErrorRate ?? 0,
    last_sample_error: spec.lastSampleError ?? "",
    uptime_seconds: uptimeSeconds(ws, now),
  };
}

export function uptimeSeconds(ws: SimWorkspace, now: number): number {
  if (!isAlive(ws)) return 0;
  return ws.baseUptimeSeconds + Math.floor(Math.max(0, now - ws.aliveSince) / 1000);
}
