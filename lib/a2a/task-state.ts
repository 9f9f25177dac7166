import { isTerminalTaskState, TASK_STATE_ENUM, toEnumState, type TaskState } from "../platform/task-states";

/** A task state as read from an agent's answer: one spelling whatever its A2A version wrote, `unknown` when unreadable. */
export type ReadTaskState = TaskState | "unknown";

const STATES: readonly TaskState[] = ["submitted", "working", "input-required", "auth-required", "completed", "canceled", "failed", "rejected"];

// 1.0 enum names, 0.3 kebab-case names, and the British spellings some agents write.
const SPELLINGS: Record<string, TaskState> = {
  ...Object.fromEntries(STATES.flatMap((state) => [[state, state], [toEnumState(state), state]])),
  TASK_STATE_CANCELLED: "canceled",
  cancelled: "canceled",
};

const BY_NUMBER: readonly ReadTaskState[] = TASK_STATE_ENUM.map((name) => SPELLINGS[name] ?? "unknown");

/** Reads a task state written as a 1.0 enum name, a 1.0 enum number or a 0.3 name. */
export function toTaskState(value: unknown): ReadTaskState {
  if (typeof value === "number") return (Number.isInteger(value) && BY_NUMBER[value]) || "unknown";
  if (typeof value !== "string") return "unknown";
  return Object.hasOwn(SPELLINGS, value) ? (SPELLINGS[value] ?? "unknown") : "unknown";
}

/** Open (non-terminal) tasks are the ones worth a cancel. */
export function isOpenTaskState(state: ReadTaskState): boolean {
  return state !== "unknown" && !isTerminalTaskState(state);
}
