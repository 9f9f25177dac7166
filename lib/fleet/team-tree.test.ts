import { describe, expect, it } from "vitest";
import { workspace } from "./testing/workspaces";
import { membersByLead, teamOf } from "./team-tree";

const rows = [
  workspace("lead"),
  workspace("a", { parentId: "lead" }),
  workspace("b", { parentId: "lead" }),
  workspace("a1", { parentId: "a" }),
  workspace("other"),
  workspace("orphan", { parentId: "not-in-the-fleet" }),
  workspace("x", { parentId: "y" }),
  workspace("y", { parentId: "x" }),
];
const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
const members = membersByLead(rows.map((row) => row.id), byId);

describe("team tree", () => {
  it("knows each lead's members, and only workspaces in the fleet as leads", () => {
    expect(Object.fromEntries(members)).toEqual({ lead: ["a", "b"], a: ["a1"], y: ["x"], x: ["y"] });
  });

  it("a team is its lead and everything below it, breadth first; a cycle ends the walk", () => {
    expect(teamOf("lead", members)).toEqual(["lead", "a", "b", "a1"]);
    expect(teamOf("a", members)).toEqual(["a", "a1"]);
    expect(teamOf("other", members)).toEqual(["other"]);
    expect(teamOf("x", members)).toEqual(["x", "y"]);
  });
});
