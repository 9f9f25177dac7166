/**
 * A2A's task states: the wire vocabulary that the A2A client (lib/a2a) reads
 * and the mock platform's agents (lib/mock) write. 0.3 spells them in
 * kebab-case; 1.0 as enum names (or their numbers), see TASK_STATE_ENUM.
 */
export type TaskState = "submitted" | "working" | "input-required" | "auth-required" | "completed" | "canceled" | "failed" | "rejected";

/** 1.0 enum names in protobuf order: the index is the enum number. */
export const TASK_STATE_ENUM = [
  "TASK_STATE_UNSPECIFIED",
  "TASK_STATE_SUBMITTED",
  "TASK_STATE_WORKING",
  "TASK_STATE_COMPLETED",
  "TASK_STATE_FAILED",
  "TASK_STATE_CANCELED",
  "TASK_STATE_INPUT_REQUIRED",
  "TASK_STATE_REJECTED",
  "TASK_STATE_AUTH_REQUIRED",
] as const;

export type TaskStateEnum = (typeof TASK_STATE_ENUM)[number];

/** `input-required` → `TASK_STATE_INPUT_REQUIRED`. */
export function toEnumState(state: TaskState): TaskStateEnum {
  return `TASK_STATE_${state.toUpperCase().replace("-", "_")}` as TaskStateEnum;
}

const TERMINAL: ReadonlySet<TaskState> = new Set(["completed", "canceled", "failed", "rejected"]);

/** A terminal task is over: nothing to cancel. The others (submitted, working, input- and auth-required) are open. */
export function isTerminalTaskState(state: TaskState): boolean {
  return TERMINAL.has(state);
}
