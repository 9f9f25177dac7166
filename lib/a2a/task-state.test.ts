import { describe, expect, it } from "vitest";
import { isOpenTaskState, toTaskState } from "./task-state";

describe("toTaskState", () => {
  it.each([
    ["TASK_STATE_SUBMITTED", "submitted", true],
    ["TASK_STATE_WORKING", "working", true],
    ["TASK_STATE_INPUT_REQUIRED", "input-required", true],
    ["TASK_STATE_AUTH_REQUIRED", "auth-required", true],
    ["TASK_STATE_COMPLETED", "completed", false],
    ["TASK_STATE_CANCELED", "canceled", false],
    ["TASK_STATE_FAILED", "failed", false],
    ["TASK_STATE_REJECTED", "rejected", false],
    ["working", "working", true],
    ["input-required", "input-required", true],
    ["auth-required", "auth-required", true],
    ["canceled", "canceled", false],
    [2, "working", true],
    [8, "auth-required", true],
    [5, "canceled", false],
    ["TASK_STATE_UNSPECIFIED", "unknown", false],
    ["toString", "unknown", false],
    [99, "unknown", false],
    [null, "unknown", false],
  ] as const)("%j → %s (open: %s)", (raw, state, open) => {
    expect(toTaskState(raw)).toBe(state);
    expect(isOpenTaskState(toTaskState(raw))).toBe(open);
  });
});
