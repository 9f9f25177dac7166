import type { Workspace } from "@/lib/platform/workspace";

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 112;
const GAP = 24;

/**
 * Where a workspace sits on the canvas: its saved position when it has one,
 * otherwise a slot in a grid so rows without positions never pile up.
 */
export function positionOf(ws: Workspace | undefined, index: number, columns: number): { x: number; y: number } {
  if (ws && Number.isFinite(ws.x) && Number.isFinite(ws.y)) return { x: ws.x, y: ws.y };
  return { x: (index % columns) * (NODE_WIDTH + GAP), y: Math.floor(index / columns) * (NODE_HEIGHT + GAP) };
}
