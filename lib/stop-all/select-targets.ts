import { isValidWorkspaceId } from "../platform/ids";
import { isStopTarget, type Workspace } from "../platform/workspace";

/**
 * The workspaces a Stop All may touch: busy (`active_tasks > 0`) and online or
 * degraded, with a usable id, each once. Everything else (hibernated, paused,
 * offline, provisioning, …) is left out, so it never gets a request.
 */
export function selectStopTargets(workspaces: readonly Workspace[]): Workspace[] {
  const seen = new Set<string>();
  return workspaces.filter((workspace) => {
    if (!isStopTarget(workspace) || !isValidWorkspaceId(workspace.id) || seen.has(workspace.id)) return false;
    seen.add(workspace.id);
    return true;
  });
}
