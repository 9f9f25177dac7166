import { describe, expect, it } from "vitest";
import { workspace } from "../fleet/testing/workspaces";
import type { Workspace } from "../platform/workspace";
import { CASCADE_NAMES_SHOWN, holdCascade } from "./hold-cascade";

const fleet = (rows: Workspace[]) => ({ ids: rows.map((row) => row.id), workspaces: Object.fromEntries(rows.map((row) => [row.id, row])) });
const idle = (id: string, parentId?: string, status: Workspace["status"] = "online") => workspace(id, { activeTasks: 0, parentId, status });

describe("what a hold's pauses also stop", () => {
  it("lists the descendants of the targets that are not targets, through idle members, skipping what is paused or removed", () => {
    const rows = [
      workspace("lead"),
      idle("idle-member", "lead"),
      workspace("busy-member", { parentId: "lead" }),
      idle("grandchild", "idle-member"),
      idle("paused-member", "lead", "paused"),
      idle("below-paused", "paused-member"),
      idle("elsewhere"),
    ];
    const { ids, workspaces } = fleet(rows);
    expect(holdCascade(rows, ids, workspaces)).toEqual({ count: 2, names: "idle-member, grandchild" });
  });

  it("a scoped stop lists the busy members outside the selection too: their work is lost", () => {
    const rows = [workspace("lead"), workspace("busy-member", { parentId: "lead" })];
    const { ids, workspaces } = fleet(rows);
    expect(holdCascade([rows[0]!], ids, workspaces)).toEqual({ count: 1, names: "busy-member" });
  });

  it("names at most CASCADE_NAMES_SHOWN, counts all, and is empty with no target", () => {
    const rows = [workspace("lead"), ...Array.from({ length: 30 }, (_, i) => idle(`m${i}`, "lead"))];
    const { ids, workspaces } = fleet(rows);
    const cascade = holdCascade(rows, ids, workspaces);
    expect(cascade.count).toBe(30);
    expect(cascade.names.split(", ")).toHaveLength(CASCADE_NAMES_SHOWN);
    expect(holdCascade(rows.slice(1), ids, workspaces)).toEqual({ count: 0, names: "" });
  });
});
