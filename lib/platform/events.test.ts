import { describe, expect, it } from "vitest";
import { parsePlatformEvent } from "./events";

const msg = (event: string, payload: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
  event,
  workspace_id: "ws-1",
  timestamp: "2026-11-21T10:00:00Z",
  payload,
  ...overrides,
});

describe("parsePlatformEvent", () => {
  it("reads task updates with the task id when present", () => {
    expect(parsePlatformEvent(msg("TASK_UPDATED", { active_tasks: 2, current_task: "x", task_id: "t1" }))).toEqual({
      kind: "tasks",
      workspaceId: "ws-1",
      at: Date.parse("2026-11-21T10:00:00Z"),
      activeTasks: 2,
      currentTask: "x",
      taskId: "t1",
    });
  });

  it("reads heartbeats without touching the current task", () => {
    expect(parsePlatformEvent(JSON.stringify(msg("WORKSPACE_HEARTBEAT", { active_tasks: 0, uptime_seconds: 5 })))).toMatchObject({
      kind: "tasks",
      activeTasks: 0,
      currentTask: undefined,
    });
  });

  it("reads status events and removal", () => {
    expect(parsePlatformEvent(msg("WORKSPACE_OFFLINE", {}))).toMatchObject({ kind: "status", status: "offline" });
    expect(parsePlatformEvent(msg("WORKSPACE_REMOVED", {}))).toMatchObject({ kind: "removed" });
  });

  it.each([
    ["not JSON", "{oops"],
    ["no workspace id", msg("TASK_UPDATED", { active_tasks: 1 }, { workspace_id: undefined })],
    ["a hostile workspace id", msg("TASK_UPDATED", { active_tasks: 1 }, { workspace_id: "../x" })],
    ["a bad timestamp", msg("TASK_UPDATED", { active_tasks: 1 }, { timestamp: "yesterday" })],
    ["a negative count", msg("TASK_UPDATED", { active_tasks: -2 })],
    ["a string count", msg("WORKSPACE_HEARTBEAT", { active_tasks: "2" })],
    ["an unknown event", msg("SOMETHING_ELSE", {})],
    ["null", null],
  ])("skips %s", (_, input) => {
    expect(parsePlatformEvent(input)).toBeNull();
  });
});
