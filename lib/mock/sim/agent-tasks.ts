import type { SimContext } from "./context";
import type { TaskState } from "../../platform/task-states";
import type { SimTask } from "./tasks";
import { currentTaskText, isAlive, runningTasks, trimHistory, type SimWorkspace } from "./workspace-state";

/**
 * The agent reports its work to the platform (a TASK_UPDATED event and a
 * fresh row) whenever its task count or current task changed. `taskId`
 * names the task that started or changed, so a 0.3 agent's ids can be
 * learned from events. A dead agent reports nothing: its row goes stale.
 */
export function reportTasks(ctx: SimContext, ws: SimWorkspace, taskId?: string): void {
  if (!isAlive(ws)) return;
  const activeTasks = runningTasks(ws).length;
  const currentTask = currentTaskText(ws);
  if (activeTasks === ws.reported.activeTasks && currentTask === ws.reported.currentTask) return;
  ws.reported = { activeTasks, currentTask };
  ctx.bus.emit("TASK_UPDATED", ws.spec.id, { active_tasks: activeTasks, current_task: currentTask, ...(taskId ? { task_id: taskId } : {}) });
}

/** Starts a new task on the agent and reports it. */
export function startTask(ctx: SimContext, ws: SimWorkspace, description: string, long: boolean): SimTask {
  const number = ws.nextTaskNumber++;
  const task: SimTask = {
    id: `task-${ws.spec.id}-${number}`,
    contextId: `ctx-${ws.spec.id}-${number}`,
    description,
    state: "working",
    stateAt: ctx.clock.now(),
    running: true,
    long,
    step: 0,
    touched: ws.touchCounter++,
  };
  ws.tasks.push(task);
  reportTasks(ctx, ws, task.id);
  return task;
}

/** Moves a task to `state` (terminal or not) without touching whether its work runs. */
export function setTaskState(ctx: SimContext, task: SimTask, state: TaskState): void {
  if (task.state === state) return;
  task.state = state;
  task.stateAt = ctx.clock.now();
}

/** The task's work stops (finished, or drained after a cancel) and the agent reports it. */
export function stopTaskWork(ctx: SimContext, ws: SimWorkspace, task: SimTask, finalState: TaskState): void {
  if (!task.running) return;
  task.running = false;
  setTaskState(ctx, task, finalState);
  trimHistory(ws);
  reportTasks(ctx, ws, task.id);
}

/** A restart or wake loses whatever the agent had: a fresh container knows no tasks. */
export function forgetAllTasks(ws: SimWorkspace): void {
  ws.tasks = [];
}
