import type { SimProtocol } from "./behaviour";
import { toEnumState, type TaskState } from "../../platform/task-states";

/** A task as the simulated agent holds it. */
export interface SimTask {
  id: string;
  contextId: string;
  description: string;
  /** What A2A reports (`canceled` as soon as a cancel is accepted). */
  state: TaskState;
  /** Clock ms of the last state change. */
  stateAt: number;
  /** Whether work is really going on: counts in `active_tasks`. A stuck agent keeps it after `canceled`. */
  running: boolean;
  /** Long tasks run until cancelled; short ones (ambient) finish by themselves. */
  long: boolean;
  /** Progress counter shown in `current_task` of long tasks. */
  step: number;
  /** Order of last activity (start or progress): `current_task` shows the most recent running task. */
  touched: number;
}

/** The task as the agent's protocol serializes it. */
export function taskJson(task: SimTask, protocol: SimProtocol): Record<string, unknown> {
  const timestamp = new Date(task.stateAt).toISOString();
  if (protocol === "1.0") {
    return { id: task.id, contextId: task.contextId, status: { state: toEnumState(task.state), timestamp } };
  }
  return { kind: "task", id: task.id, contextId: task.contextId, status: { state: task.state, timestamp } };
}

/** What `current_task` shows for a task (long tasks count their steps). */
export function describeTask(task: SimTask): string {
  return task.long && task.step > 0 ? `${task.description} (step ${task.step})` : task.description;
}
