import type { Edge, Rect } from "@xyflow/react";
import { membersByLead, teamOf } from "@/lib/fleet/team-tree";
import type { Workspace } from "@/lib/platform/workspace";
import { NODE_HEIGHT, NODE_WIDTH, positionOf } from "./layout";
import type { WorkspaceFlowNode } from "./WorkspaceNode";

/** Where every workspace sits, computed once per set of workspaces: what both the detailed canvas and the overview draw. */
export interface FleetLayout {
  /** React Flow nodes, in row order, each with its fixed size. */
  nodes: WorkspaceFlowNode[];
  /** Team edges (lead → member). */
  edges: Edge[];
  /** [lead index, member index] for each edge, into `nodes`. */
  links: [number, number][];
  /** The box around every node. */
  bounds: Rect;
}

/** Lays the fleet out: saved positions where rows have them, a grid slot otherwise. */
export function layoutFleet(ids: readonly string[], workspaces: Readonly<Record<string, Workspace>>): FleetLayout {
  const columns = Math.max(4, Math.ceil(Math.sqrt(ids.length)));
  const index = new Map<string, number>();
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const nodes: WorkspaceFlowNode[] = ids.map((id, i) => {
    const position = positionOf(workspaces[id], i, columns);
    index.set(id, i);
    minX = Math.min(minX, position.x);
    minY = Math.min(minY, position.y);
    maxX = Math.max(maxX, position.x + NODE_WIDTH);
    maxY = Math.max(maxY, position.y + NODE_HEIGHT);
    return {
      id,
      type: "workspace",
      position,
      data: {},
      // A fixed size: what a node shows can change, its box never does, so
      // React Flow's resize observer has nothing to re-measure mid-operation.
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      draggable: false,
      connectable: false,
    };
  });
  const edges: Edge[] = [];
  const links: [number, number][] = [];
  ids.forEach((id, i) => {
    const parent = workspaces[id]?.parentId;
    const parentIndex = parent ? index.get(parent) : undefined;
    if (parent && parentIndex !== undefined) {
      edges.push({ id: `team-${parent}-${id}`, source: parent, target: id, focusable: false });
      links.push([parentIndex, i]);
    }
  });
  // A lead's node offers "Stop team" and counts its team's busy workspaces.
  const members = membersByLead(ids, workspaces);
  for (const lead of members.keys()) {
    const at = index.get(lead);
    if (at !== undefined) nodes[at]!.data = { team: teamOf(lead, members) };
  }
  const bounds = nodes.length === 0 ? { x: 0, y: 0, width: 0, height: 0 } : { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
  return { nodes, edges, links, bounds };
}
