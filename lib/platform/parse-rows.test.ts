import { describe, expect, it } from "vitest";
import { parseWorkspaceRows } from "./parse-rows";

const row = (overrides: Record<string, unknown> = {}) => ({
  id: "ws-1",
  name: "alpha",
  role: "writer",
  tier: 2,
  status: "online",
  active_tasks: 1,
  current_task: "drafting",
  agent_card: { protocolVersion: "0.3.0" },
  parent_id: null,
  runtime: "langgraph",
  url: "http://agent",
  x: 10,
  y: 20,
  collapsed: false,
  ...overrides,
});

describe("parseWorkspaceRows", () => {
  it("parses a valid row into camel-cased typed data and ignores extra fields", () => {
    const { workspaces, warnings } = parseWorkspaceRows([row({ surprise: true })]);
    expect(warnings).toEqual([]);
    expect(workspaces[0]).toMatchObject({ id: "ws-1", activeTasks: 1, currentTask: "drafting", protocol: "0.3", status: "online" });
  });

  it.each([
    ["missing id", { id: undefined }],
    ["hostile id", { id: "../etc" }],
    ["numeric name", { name: 42 }],
    ["missing status", { status: undefined }],
    ["negative active_tasks", { active_tasks: -1 }],
    ["non-numeric active_tasks", { active_tasks: "3" }],
    ["fractional active_tasks", { active_tasks: 1.5 }],
  ])("drops a row with %s and says why", (_, overrides) => {
    const { workspaces, warnings } = parseWorkspaceRows([row(overrides), row({ id: "ws-2" })]);
    expect(workspaces.map((w) => w.id)).toEqual(["ws-2"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/row 0.*dropped/);
  });

  it("drops rows that are not objects", () => {
    const { workspaces, warnings } = parseWorkspaceRows([null, 7, "x", row()]);
    expect(workspaces).toHaveLength(1);
    expect(warnings).toHaveLength(3);
  });

  it("keeps the first of duplicate ids", () => {
    const { workspaces, warnings } = parseWorkspaceRows([row({ name: "first" }), row({ name: "second" })]);
    expect(workspaces.map((w) => w.name)).toEqual(["first"]);
    expect(warnings[0]?.message).toMatch(/duplicate id/);
  });

  it("falls back on optional fields with a wrong type", () => {
    const { workspaces } = parseWorkspaceRows([row({ tier: "high", current_task: 5, parent_id: "../x", collapsed: "yes" })]);
    expect(workspaces[0]).toMatchObject({ tier: 1, currentTask: "", parentId: null, collapsed: false });
  });

  it("maps unknown statuses to unknown but keeps the raw value", () => {
    const { workspaces } = parseWorkspaceRows([row({ status: "exploded" })]);
    expect(workspaces[0]).toMatchObject({ status: "unknown", rawStatus: "exploded" });
  });

  it("reads the protocol version of 1.0 cards from supportedInterfaces", () => {
    const { workspaces } = parseWorkspaceRows([
      row({ agent_card: { supportedInterfaces: [{ url: "x", protocolVersion: "1.0" }] } }),
      row({ id: "ws-2", agent_card: null }),
    ]);
    expect(workspaces.map((w) => w.protocol)).toEqual(["1.0", "unknown"]);
  });

  it("refuses a body that is not an array", () => {
    expect(() => parseWorkspaceRows({ error: "nope" })).toThrow(/JSON array/);
  });
});

describe("parseWorkspaceRows with minimal rows", () => {
  it("accepts a row carrying only the required fields", () => {
    const { workspaces, warnings } = parseWorkspaceRows([{ id: "ws-min", name: "min", status: "online", active_tasks: 0 }]);
    expect(warnings).toEqual([]);
    expect(workspaces[0]).toMatchObject({ id: "ws-min", protocol: "unknown", currentTask: "", parentId: null });
  });
});
