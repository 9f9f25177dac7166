import type { KnownWorkspaceStatus } from "../../platform/workspace";
import type { TaskState } from "../../platform/task-states";
import type { AgentBehaviour, SimProtocol } from "./behaviour";

/** A task an agent holds when the scenario starts. */
export interface TaskSpec {
  description: string;
  /** Default `working`. Non-terminal tasks count in `active_tasks`. */
  state?: TaskState;
  /** Default `task-<workspace id>-<n>`. */
  id?: string;
}

/** One workspace of a scenario, as plain data. */
export interface WorkspaceSpec {
  /** Valid per lib/platform/ids.ts; says what the workspace does (`ws-ignores-cancel`). */
  id: string;
  name: string;
  role?: string;
  tier?: number;
  /** Default `online`. */
  status?: KnownWorkspaceStatus;
  runtime?: string;
  parentId?: string | null;
  x: number;
  y: number;
  collapsed?: boolean;
  /** Which agent card the row carries; `none` gives `agent_card: null`. Default `1.0`. */
  card?: SimProtocol | "none";
  /** Tasks in flight (or finished) at the start. Running tasks are long: they end only when cancelled or restarted. */
  tasks?: TaskSpec[];
  behaviour?: Partial<AgentBehaviour>;
  uptimeSeconds?: number;
  lastErrorRate?: number;
  lastSampleError?: string;
}

/** A fleet to simulate: workspaces, behaviours and platform conditions, all plain data. */
export interface Scenario {
  name: string;
  /** One line for people picking a scenario. */
  description: string;
  /** PRNG seed; default derived from the name. */
  seed?: number;
  /** Network latency of every mocked answer, ms. Default 20. */
  latencyMs?: number;
  /** Start with `GET /workspaces` failing (503 platform_unavailable). */
  platformDown?: boolean;
  /** Start with the event stream answering 503. Default true (available). */
  eventStream?: boolean;
  workspaces: WorkspaceSpec[];
  /** Raw rows appended verbatim to `GET /workspaces` (malformed on purpose); never simulated. */
  extraRows?: unknown[];
}
