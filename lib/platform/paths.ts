import { isValidWorkspaceId } from "./ids";

/**
 * The browser only ever talks to its own origin. Every platform path is
 * mounted under this prefix: MSW answers it in mock mode, the route handler
 * forwards it in live mode.
 */
export const PLATFORM_BASE = "/api/platform";

/** Server-Sent Events stream carrying the platform's live event messages. */
export const EVENTS_PATH = `${PLATFORM_BASE}/events`;

export const workspacesPath = () => `${PLATFORM_BASE}/workspaces`;

/** The workspace calls a Stop All sends (besides listing the rows). */
export type WorkspaceAction = "a2a" | "restart" | "pause" | "resume";

function workspacePath(id: string, action: WorkspaceAction): string {
  if (!isValidWorkspaceId(id)) throw new Error(`refusing invalid workspace id ${JSON.stringify(id)}`);
  return `${PLATFORM_BASE}/workspaces/${id}/${action}`;
}

export const a2aPath = (id: string) => workspacePath(id, "a2a");
export const restartPath = (id: string) => workspacePath(id, "restart");
export const pausePath = (id: string) => workspacePath(id, "pause");
export const resumePath = (id: string) => workspacePath(id, "resume");
