import { startTask } from "./agent-tasks";
import type { SimContext } from "./context";
import { isAlive, runningTasks, type SimWorkspace } from "./workspace-state";

/**
 * After a cancel drained `ws`: the work the platform hands it at once, as
 * its behaviour says (a queued message on the next heartbeat, an idle
 * prompt some time later while it is still idle). Each is a long task, so
 * it stays until it is stopped again. Nothing once it was restarted or
 * removed in the meantime (its epoch moved on).
 */
export function scheduleComeBack(ctx: SimContext, ws: SimWorkspace): void {
  const comesBack = ws.behaviour.comesBack;
  if (!comesBack || runningTasks(ws).length > 0) return;
  const epoch = ws.epoch;
  const deliver = (task: string, onlyIfIdle: boolean) => {
    if (ws.epoch !== epoch || ws.removed || !isAlive(ws)) return;
    if (onlyIfIdle && runningTasks(ws).length > 0) return;
    startTask(ctx, ws, task, true);
  };
  if (comesBack.queuedMessage) ctx.scheduler.after(comesBack.queuedMessage.heartbeatMs, () => deliver(comesBack.queuedMessage!.task, false));
  if (comesBack.idlePrompt) ctx.scheduler.after(comesBack.idlePrompt.afterMs, () => deliver(comesBack.idlePrompt!.task, true));
}
