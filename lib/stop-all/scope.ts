import { membersByLead, teamOf } from "../fleet/team-tree";
import { isStopTarget, type Workspace } from "../platform/workspace";

/**
 * What a Stop All is started on: the whole fleet, the workspaces selected
 * on the canvas, or one team (its lead and everything below it). The
 * operation is the same either way: it targets the busy ones among these.
 */
export type StopScope = { kind: "all" } | { kind: "selected"; ids: readonly string[] } | { kind: "team"; leadId: string } | { kind: "again"; ids: readonly string[] };

/** The rows a scope covers, in the fleet's order (those no longer in the fleet drop out). */
export function rowsInScope(scope: StopScope, ids: readonly string[], workspaces: Readonly<Record<string, Workspace>>): Workspace[] {
  const rows = (wanted: ReadonlySet<string> | undefined) => ids.flatMap((id) => (wanted && !wanted.has(id) ? [] : (workspaces[id] ?? [])));
  if (scope.kind === "all") return rows(undefined);
  if (scope.kind === "selected" || scope.kind === "again") return rows(new Set(scope.ids));
  return rows(new Set(teamOf(scope.leadId, membersByLead(ids, workspaces))));
}

/** How many of a scope's rows a Stop All would target now. */
export const busyIn = (rows: readonly Workspace[]) => rows.filter(isStopTarget).length;

/** How many of `ids` a Stop All would target now: O(ids), for a selection read on every store change. */
export function busyAmong(ids: Iterable<string>, workspaces: Readonly<Record<string, Workspace>>): number {
  let busy = 0;
  for (const id of ids) {
    const row = workspaces[id];
    if (row && isStopTarget(row)) busy += 1;
  }
  return busy;
}

/** The scope in words, for the confirmation ("" for the whole fleet). */
export function scopeLine(scope: StopScope, workspaces: Readonly<Record<string, Workspace>>, rows: readonly Workspace[]): string {
  if (scope.kind === "all") return "";
  if (scope.kind === "again") return `Only the ${rows.length} ${rows.length === 1 ? "workspace" : "workspaces"} that became busy again after the last Stop All.`;
  if (scope.kind === "selected") return `Only the ${rows.length} selected ${rows.length === 1 ? "workspace" : "workspaces"} (the busy ones among them).`;
  const lead = workspaces[scope.leadId]?.name ?? scope.leadId;
  return `Only team ${lead}: ${lead} and the ${rows.length - 1} ${rows.length - 1 === 1 ? "workspace" : "workspaces"} below it (the busy ones among them).`;
}
