import type { Workspace } from "@/lib/platform/workspace";
import type { FleetLayout } from "./fleet-layout";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout";
import { BUSY_COLOR, STATUS_STYLES } from "./status-styles";

/** The part of CanvasRenderingContext2D the overview uses (a fake one in tests). */
export interface OverviewContext {
  fillStyle: string | CanvasGradient | CanvasPattern;
  strokeStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  clearRect(x: number, y: number, width: number, height: number): void;
  fillRect(x: number, y: number, width: number, height: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
}

/** React Flow's viewport (`transform` = [x, y, zoom]) and the canvas's size in CSS pixels. */
export interface OverviewView {
  x: number;
  y: number;
  zoom: number;
  width: number;
  height: number;
  /** Device pixels per CSS pixel. */
  dpr: number;
}

const EDGE_COLOR = "#cbd5e1";
const IDLE_FILL = "#ffffff";

/**
 * Draws the fleet as it is now: each workspace a box in its status colour,
 * filled orange while it has active tasks and white when idle, team edges as
 * hairlines. Only what is in view is drawn; one fillStyle change per colour.
 * Returns how many workspaces were drawn.
 */
export function drawOverview(ctx: OverviewContext, layout: FleetLayout, workspaceOf: (id: string) => Workspace | undefined, view: OverviewView): number {
  const { x, y, zoom, width, height, dpr } = view;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, width * dpr, height * dpr);
  ctx.setTransform(dpr * zoom, 0, 0, dpr * zoom, dpr * x, dpr * y);
  const left = -x / zoom;
  const top = -y / zoom;
  const right = left + width / zoom;
  const bottom = top + height / zoom;
  const { nodes, links } = layout;
  const inView = (px: number, py: number) => px + NODE_WIDTH >= left && px <= right && py + NODE_HEIGHT >= top && py <= bottom;

  ctx.beginPath();
  for (const [from, to] of links) {
    const a = nodes[from]!.position;
    const b = nodes[to]!.position;
    if (!inView(a.x, a.y) && !inView(b.x, b.y)) continue;
    ctx.moveTo(a.x + NODE_WIDTH / 2, a.y + NODE_HEIGHT);
    ctx.lineTo(b.x + NODE_WIDTH / 2, b.y);
  }
  ctx.strokeStyle = EDGE_COLOR;
  ctx.lineWidth = 1 / zoom;
  ctx.stroke();

  // Bucket by colour: a fillStyle change costs more than a rectangle.
  const outer = new Map<string, { x: number; y: number }[]>();
  const busy: { x: number; y: number }[] = [];
  const idle: { x: number; y: number }[] = [];
  let drawn = 0;
  for (const node of nodes) {
    const p = node.position;
    if (!inView(p.x, p.y)) continue;
    const ws = workspaceOf(node.id);
    if (!ws) continue;
    const color = STATUS_STYLES[ws.status].color;
    const bucket = outer.get(color);
    if (bucket) bucket.push(p);
    else outer.set(color, [p]);
    (ws.activeTasks > 0 ? busy : idle).push(p);
    drawn++;
  }
  for (const [color, boxes] of outer) {
    ctx.fillStyle = color;
    for (const p of boxes) ctx.fillRect(p.x, p.y, NODE_WIDTH, NODE_HEIGHT);
  }
  // The status colour stays visible as a border of about 1.5 screen pixels.
  const inset = Math.min(NODE_HEIGHT * 0.3, Math.max(8, 1.5 / zoom));
  for (const [color, boxes] of [[BUSY_COLOR, busy], [IDLE_FILL, idle]] as const) {
    ctx.fillStyle = color;
    for (const p of boxes) ctx.fillRect(p.x + inset, p.y + inset, NODE_WIDTH - 2 * inset, NODE_HEIGHT - 2 * inset);
  }
  return drawn;
}
