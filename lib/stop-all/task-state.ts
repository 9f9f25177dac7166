/** A task state in one spelling, whatever the agent's A2A version wrote. */
export type TaskState =
  | "submitted"
  | "working"
  | "input-required"
  | "auth-required"
  | "completed"
  | "canceled"
  | "failed"
  | "rejected"
  | "unknown";

// 1.0 enum names and numbers, 0.3 kebab-case names.
const SPELLINGS: Record<string, TaskState> = {
  TASK_STATE_SUBMITTED: "submitted",
  TASK_STATE_WORKING: "working",
  TASK_STATE_COMPLETED: "completed",
  TASK_STATE_FAILED: "failed",
  TASK_STATE_CANCELED: "canceled",
  TASK_STATE_CANCELLED: "canceled",
  TASK_STATE_INPUT_REQUIRED: "input-required",
  TASK_STATE_REJECTED: "rejected",
  TASK_STATE_AUTH_REQUIRED: "auth-required",
  submitted: "submitted",
  working: "working",
  completed: "completed",
  failed: "failed",
  canceled: "canceled",
  cancelled: "canceled",
  "input-required": "input-required",
  rejected: "rejected",
  "auth-required": "auth-required",
};

const NUMBERS: readonly TaskState[] = [
  "unknown",
  "submitted",
  "working",
  "completed",
  "failed",
  "canceled",
  "input-required",
  "rejected",
  "auth-required",
];

/** Reads a task state written as a 1.0 enum name, a 1.0 enum number or a 0.3 name. */
export function toTaskState(value: unknown): TaskState {
  if (typeof value === "number") return (Number.isInteger(value) && NUMBERS[value]) || "unknown";
  if (typeof value !== "string") return "unknown";
  return Object.hasOwn(SPELLINGS, value) ? (SPELLINGS[value] ?? "unknown") : "unknown";
}

const OPEN: ReadonlySet<TaskState> = new Set(["submitted", "working", "input-required", "auth-required"]);

/** Open (non-terminal) tasks are the ones worth a cancel. */
export function isOpenTaskState(state: TaskState): boolean {
  return OPEN.has(state);
}
