import { describe, expect, it } from "vitest";
import { workspace } from "../fleet/testing/workspaces";
import { busyAmong, busyIn, rowsInScope, scopeLine } from "./scope";

const rows = [
  workspace("lead", { name: "platform-lead", activeTasks: 0 }),
  workspace("a", { parentId: "lead" }),
  workspace("a1", { parentId: "a", status: "hibernated" }),
  workspace("b", { parentId: "lead", activeTasks: 0 }),
  workspace("other"),
];
const ids = rows.map((row) => row.id);
const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
const idsOf = (list: { id: string }[]) => list.map((row) => row.id);

describe("Stop All scopes", () => {
  it("all: the whole fleet, in its order", () => {
    expect(idsOf(rowsInScope({ kind: "all" }, ids, byId))).toEqual(["lead", "a", "a1", "b", "other"]);
    expect(busyIn(rowsInScope({ kind: "all" }, ids, byId))).toBe(2);
  });

  it("selected: the selected rows still in the fleet, in the fleet's order", () => {
    const selected = rowsInScope({ kind: "selected", ids: ["other", "gone", "a"] }, ids, byId);
    expect(idsOf(selected)).toEqual(["a", "other"]);
    expect(busyAmong(["other", "gone", "a", "b"], byId)).toBe(2);
    expect(scopeLine({ kind: "selected", ids: ["other", "a"] }, byId, selected)).toBe("Only the 2 selected workspaces (the busy ones among them).");
  });

  it("again: the ones the quiet watch flagged, as a new operation asks", () => {
    const again = rowsInScope({ kind: "again", ids: ["other", "a"] }, ids, byId);
    expect(idsOf(again)).toEqual(["a", "other"]);
    expect(scopeLine({ kind: "again", ids: ["other", "a"] }, byId, again)).toBe("Only the 2 workspaces that became busy again after the last Stop All.");
  });

  it("team: the lead and everything below it; only the busy online ones are targets", () => {
    const team = rowsInScope({ kind: "team", leadId: "lead" }, ids, byId);
    expect(idsOf(team)).toEqual(["lead", "a", "a1", "b"]);
    expect(busyIn(team)).toBe(1);
    expect(scopeLine({ kind: "team", leadId: "lead" }, byId, team)).toBe("Only team platform-lead: platform-lead and the 3 workspaces below it (the busy ones among them).");
  });
});
