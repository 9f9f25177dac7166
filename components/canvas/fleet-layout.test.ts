import { describe, expect, it } from "vitest";
import { workspace } from "@/lib/fleet/testing/rows";
import { layoutFleet } from "./fleet-layout";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout";

describe("layoutFleet", () => {
  it("places saved positions, gives every node its fixed size, and bounds them all", () => {
    const rows = [workspace("lead", { x: 0, y: 0 }), workspace("a", { x: 300, y: 200, parentId: "lead" })];
    const layout = layoutFleet(["lead", "a"], Object.fromEntries(rows.map((ws) => [ws.id, ws])));
    expect(layout.nodes.map((n) => [n.id, n.position, n.width, n.height])).toEqual([
      ["lead", { x: 0, y: 0 }, NODE_WIDTH, NODE_HEIGHT],
      ["a", { x: 300, y: 200 }, NODE_WIDTH, NODE_HEIGHT],
    ]);
    expect(layout.bounds).toEqual({ x: 0, y: 0, width: 300 + NODE_WIDTH, height: 200 + NODE_HEIGHT });
  });

  it("links a member to its lead only when the lead is on the canvas", () => {
    const rows = [workspace("lead"), workspace("a", { parentId: "lead", x: 300 }), workspace("b", { parentId: "gone", x: 600 })];
    const layout = layoutFleet(["lead", "a", "b"], Object.fromEntries(rows.map((ws) => [ws.id, ws])));
    expect(layout.edges.map((e) => e.id)).toEqual(["team-lead-a"]);
    expect(layout.links).toEqual([[0, 1]]);
  });

  it("gives each lead's node its team (itself first, then everything below it): the nodes that offer Stop team", () => {
    const rows = [workspace("lead"), workspace("a", { parentId: "lead", x: 300 }), workspace("a1", { parentId: "a", x: 600 }), workspace("solo", { x: 900 })];
    const layout = layoutFleet(["lead", "a", "a1", "solo"], Object.fromEntries(rows.map((ws) => [ws.id, ws])));
    expect(layout.nodes.map((n) => [n.id, n.data.team ?? null])).toEqual([
      ["lead", ["lead", "a", "a1"]],
      ["a", ["a", "a1"]],
      ["a1", null],
      ["solo", null],
    ]);
  });

  it("puts rows without a position on a grid, never on top of each other", () => {
    const rows = ["a", "b", "c", "d", "e"].map((id) => workspace(id, { x: Number.NaN, y: Number.NaN }));
    const layout = layoutFleet(rows.map((ws) => ws.id), Object.fromEntries(rows.map((ws) => [ws.id, ws])));
    expect(new Set(layout.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(5);
  });
});
