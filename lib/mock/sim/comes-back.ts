import { startTask } from "./agent-tasks";
import type { SimContext } from "./context";
import { isAlive, runningTasks, type SimWorkspace } from "./workspace-state";

/**
 * After a cancel drained `ws`: the work the platform hands it at once, as
 * its behaviour says (a queued message on the next heartbeat, an idle
 * prompt some time later while it is still idle). Each is a long task, so
 * it stays until it is stopped again. Nothing once it was restarted,
 * paused or removed in the meantime (its epoch moved on), and nothing to a
 * workspace that is not running (a paused one takes no work). A pause
 * spends it for good: after a resume the workspace comes back idle, as after
 * a restart, and only a new drain after a cancel arms it again (least
 * surprising for a test that holds, resumes and expects a quiet fleet).
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
