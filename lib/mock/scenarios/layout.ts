import type { WorkspaceSpec } from "../sim/scenario";

/** A workspace before it is placed: the layout gives it x, y and its team. */
export type UnplacedWorkspace = Omit<WorkspaceSpec, "x" | "y" | "parentId">;

export interface Team {
  lead: UnplacedWorkspace;
  members: UnplacedWorkspace[];
}

// The canvas draws 220 x 96 nodes; leave room for team edges between rows.
const COLUMN = 250;
const ROW = 140;
const LEAD_GAP = 170;
const TEAM_GAP = 120;

/**
 * Places teams side by side: each lead centred above its members, members
 * in rows of `perRow` below it, `parent_id` pointing at the lead.
 */
export function layoutTeams(teams: Team[], perRow = 3): WorkspaceSpec[] {
  const placed: WorkspaceSpec[] = [];
  let left = 0;
  for (const { lead, members } of teams) {
    const columns = Math.max(1, Math.min(perRow, members.length));
    const width = columns * COLUMN;
    placed.push({ ...lead, parentId: null, x: left + (width - COLUMN) / 2, y: 0 });
    members.forEach((member, index) => {
      placed.push({
        ...member,
        parentId: lead.id,
        x: left + (index % columns) * COLUMN,
        y: LEAD_GAP + Math.floor(index / columns) * ROW,
      });
    });
    left += width + TEAM_GAP;
  }
  return placed;
}
