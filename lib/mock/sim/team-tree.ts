import type { SimWorkspace } from "./workspace-state";

/** The fleet as the team tree needs it: rows by id, and all of them (removed ones too, as the platform's table keeps them). */
export interface TeamFleet {
  find(workspaceId: string): SimWorkspace | undefined;
  all(): Iterable<SimWorkspace>;
}

const isPausedNow = (ws: SimWorkspace) => !ws.removed && ws.status === "paused";

/**
 * The nearest paused workspace above `ws` by `parent_id`, if any, as the
 * platform's `isParentPaused` walks it: a removed or running parent is
 * passed over and its own parent asked. A cycle in the ids ends the walk.
 */
export function nearestPausedAncestor(fleet: Pick<TeamFleet, "find">, ws: SimWorkspace): SimWorkspace | undefined {
  const seen = new Set<string>([ws.spec.id]);
  let parentId = ws.spec.parentId;
  while (parentId && !seen.has(parentId)) {
    seen.add(parentId);
    const parent = fleet.find(parentId);
    if (!parent) return undefined;
    if (isPausedNow(parent)) return parent;
    parentId = parent.spec.parentId;
  }
  return undefined;
}

/**
 * The descendants of `root` a cascade reaches, breadth first: children by
 * `parent_id` that pass `reached`, then theirs. Like the platform's
 * recursive query, the walk goes down only through workspaces it reaches:
 * below one that fails `reached` (already paused for a pause, not paused for
 * a resume, removed) nothing is touched.
 */
export function cascadeBelow(fleet: TeamFleet, root: SimWorkspace, reached: (ws: SimWorkspace) => boolean): SimWorkspace[] {
  const children = new Map<string, SimWorkspace[]>();
  for (const ws of fleet.all()) {
    const parentId = ws.spec.parentId;
    if (!parentId) continue;
    const siblings = children.get(parentId);
    if (siblings) siblings.push(ws);
    else children.set(parentId, [ws]);
  }
  const found: SimWorkspace[] = [];
  const visited = new Set<string>([root.spec.id]);
  const parents = [root];
  for (let index = 0; index < parents.length; index++) {
    for (const child of children.get(parents[index]!.spec.id) ?? []) {
      if (visited.has(child.spec.id) || !reached(child)) continue;
      visited.add(child.spec.id);
      found.push(child);
      parents.push(child);
    }
  }
  return found;
}
