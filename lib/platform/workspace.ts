/** The workspace statuses the platform documents; anything else is `unknown`. */
export const WORKSPACE_STATUSES = [
  "online",
  "degraded",
  "offline",
  "provisioning",
  "failed",
  "paused",
  "hibernated",
  "removed",
] as const;

export type KnownWorkspaceStatus = (typeof WORKSPACE_STATUSES)[number];
export type WorkspaceStatus = KnownWorkspaceStatus | "unknown";

/** Which A2A method names the agent answers to; `unknown` when its card says nothing usable. */
export type A2AProtocol = "0.3" | "1.0" | "unknown";

/** A workspace row as the rest of the app sees it: parsed, typed, camel-cased. */
export interface Workspace {
  id: string;
  name: string;
  role: string;
  tier: number;
  status: WorkspaceStatus;
  /** The status string as the platform sent it (kept to show unknown values). */
  rawStatus: string;
  activeTasks: number;
  currentTask: string;
  protocol: A2AProtocol;
  parentId: string | null;
  runtime: string;
  x: number;
  y: number;
  collapsed: boolean;
}

export function toWorkspaceStatus(value: string): WorkspaceStatus {
  return (WORKSPACE_STATUSES as readonly string[]).includes(value) ? (value as KnownWorkspaceStatus) : "unknown";
}

/** A workspace is busy when it reports work in flight and is in a state where it can be asked to stop. */
export function isStopTarget(ws: Pick<Workspace, "status" | "activeTasks">): boolean {
  return ws.activeTasks > 0 && (ws.status === "online" || ws.status === "degraded");
}
