import { describe, expect, it } from "vitest";
import { workspace } from "@/lib/fleet/testing/rows";
import type { Workspace } from "@/lib/platform/workspace";
import { layoutFleet } from "./fleet-layout";
import { drawOverview, type OverviewContext } from "./overview-draw";
import { BUSY_COLOR, STATUS_STYLES } from "./status-styles";

/** A 2D context that records what was drawn. */
function recordingContext() {
  const rects: { fill: string; x: number; y: number }[] = [];
  let fillChanges = 0;
  let fill = "";
  const ctx: OverviewContext = {
    get fillStyle() {
      return fill;
    },
    set fillStyle(value) {
      fill = String(value);
      fillChanges++;
    },
    strokeStyle: "",
    lineWidth: 1,
    setTransform: () => {},
    clearRect: () => {},
    fillRect: (x, y) => void rects.push({ fill, x, y }),
    beginPath: () => {},
    moveTo: () => {},
    lineTo: () => {},
    stroke: () => {},
  };
  return { ctx, rects, fillChanges: () => fillChanges };
}

function fleet(rows: Workspace[]) {
  const byId = Object.fromEntries(rows.map((ws) => [ws.id, ws]));
  return { layout: layoutFleet(rows.map((ws) => ws.id), byId), get: (id: string) => byId[id] };
}

describe("drawOverview", () => {
  it("draws each workspace in its status colour, filled orange when busy and white when idle", () => {
    const { layout, get } = fleet([workspace("busy", { activeTasks: 2, x: 0, y: 0 }), workspace("idle", { status: "offline", x: 300, y: 0 })]);
    const { ctx, rects } = recordingContext();
    expect(drawOverview(ctx, layout, get, { x: 0, y: 0, zoom: 0.1, width: 1000, height: 500, dpr: 1 })).toBe(2);
    const fillsAt = (left: number) => rects.filter((r) => r.x >= left && r.x < left + 220).map((r) => r.fill);
    expect(fillsAt(0)).toEqual([STATUS_STYLES.online.color, BUSY_COLOR]);
    expect(fillsAt(300)).toEqual([STATUS_STYLES.offline.color, "#ffffff"]);
  });

  it("draws only what is in view", () => {
    const rows = Array.from({ length: 100 }, (_, i) => workspace(`ws-${i}`, { x: i * 1000, y: 0 }));
    const { layout, get } = fleet(rows);
    const { ctx } = recordingContext();
    // 1,000 px wide at zoom 1: the first workspace, and the second starts at its right edge.
    expect(drawOverview(ctx, layout, get, { x: 0, y: 0, zoom: 1, width: 1000, height: 500, dpr: 1 })).toBe(2);
  });

  it("changes the fill colour once per colour, not once per workspace", () => {
    const rows = Array.from({ length: 500 }, (_, i) => workspace(`ws-${i}`, { x: (i % 25) * 250, y: Math.floor(i / 25) * 140, activeTasks: i % 2 }));
    const { layout, get } = fleet(rows);
    const { ctx, fillChanges } = recordingContext();
    drawOverview(ctx, layout, get, { x: 0, y: 0, zoom: 0.1, width: 1000, height: 500, dpr: 2 });
    expect(fillChanges()).toBe(3); // online border, busy fill, idle fill
  });
});
