import { isValidWorkspaceId } from "../../platform/ids";
import { isStopTarget, type Workspace } from "../../platform/workspace";
import type { LeftOutTarget } from "../../stop-all-host/wire";

export type RecheckResult =
  | { ok: true; targets: Workspace[]; leftOut: LeftOutTarget[] }
  | { ok: false; error: string };

function whyNot(workspace: Workspace | undefined): string {
  if (!workspace || workspace.status === "removed") return "not in the fleet any more (removed)";
  if (workspace.status !== "online" && workspace.status !== "degraded") return `status is ${workspace.rawStatus || workspace.status}, not online or degraded`;
  return "idle now (0 active tasks)";
}

/**
 * The ids an operator confirmed, checked against the server's own current
 * rows by the same rule as the browser's (busy, online or degraded): the
 * targets, and every id left out with why. Ids must be well formed and the
 * list no longer than the fleet (a bound on what a request can make the
 * server do).
 */
export function recheckTargets(confirmed: readonly string[], rows: readonly Workspace[]): RecheckResult {
  if (confirmed.length > Math.max(rows.length, 1)) {
    return { ok: false, error: `targets names ${confirmed.length} workspaces, more than the fleet's ${rows.length}` };
  }
  const bad = confirmed.findIndex((id) => !isValidWorkspaceId(id));
  if (bad >= 0) return { ok: false, error: `targets[${bad}] is not a workspace id (1-128 letters, digits, _ or -)` };
  const byId = new Map(rows.map((row) => [row.id, row]));
  const targets: Workspace[] = [];
  const leftOut: LeftOutTarget[] = [];
  for (const id of new Set(confirmed)) {
    const workspace = byId.get(id);
    if (workspace && isStopTarget(workspace)) targets.push(workspace);
    else leftOut.push({ workspaceId: id, why: whyNot(workspace) });
  }
  return { ok: true, targets, leftOut };
}
