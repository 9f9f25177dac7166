import type { KnownWorkspaceStatus } from "../../platform/workspace";
import { forgetAllTasks } from "./agent-tasks";
import type { SimContext } from "./context";
import { statusEventName } from "./event-bus";
import type { SimWorkspace } from "./workspace-state";

/** Moves a workspace to `status` and broadcasts the status event (only on a real change). */
export function setStatus(ctx: SimContext, ws: SimWorkspace, status: KnownWorkspaceStatus): void {
  if (ws.removed || ws.status === status) return;
  ws.status = status;
  ctx.bus.emit(statusEventName(status), ws.spec.id, {});
}

/**
 * Tears the agent down and provisions a fresh one: in-flight work is lost
 * at once, the row says `provisioning` (its `active_tasks` stays at the
 * last report: the platform's view lags), and `readyAfterMs` later the
 * workspace is online with no tasks. A restart while one is running is
 * coalesced into it, as the platform does.
 */
export function beginRestart(ctx: SimContext, ws: SimWorkspace, readyAfterMs: number): void {
  if (ws.removed || ws.status === "provisioning") return;
  ws.epoch++;
  const epoch = ws.epoch;
  forgetAllTasks(ws);
  setStatus(ctx, ws, "provisioning");
  ctx.scheduler.after(readyAfterMs, () => {
    if (ws.epoch !== epoch || ws.removed) return;
    ws.aliveSince = ctx.clock.now();
    ws.baseUptimeSeconds = 0;
    setStatus(ctx, ws, "online");
    ws.reported = { activeTasks: 0, currentTask: "" };
    ctx.bus.emit("TASK_UPDATED", ws.spec.id, { active_tasks: 0, current_task: "" });
  });
}

/**
 * The platform stops the container and marks the workspace paused: its
 * in-flight work is lost (the row says 0 tasks at once), the agent is
 * unreachable until a resume, and every job of its previous life (a drain,
 * a restart's readiness, work that comes back after a drain) does nothing,
 * as its epoch moved on. WORKSPACE_PAUSED is broadcast.
 */
export function pauseContainer(ctx: SimContext, ws: SimWorkspace): void {
  if (ws.removed || ws.status === "paused") return;
  ws.epoch++;
  forgetAllTasks(ws);
  ws.reported = { activeTasks: 0, currentTask: "" };
  setStatus(ctx, ws, "paused");
}

/** The platform found the agent dead: it marks it offline and restarts it by itself. */
export function platformRestart(ctx: SimContext, ws: SimWorkspace, readyAfterMs: number): void {
  if (ws.removed || ws.status === "provisioning") return;
  setStatus(ctx, ws, "offline");
  beginRestart(ctx, ws, readyAfterMs);
}

/** Deletes the workspace: WORKSPACE_REMOVED, the row disappears, later requests get 404. */
export function removeWorkspace(ctx: SimContext, ws: SimWorkspace): void {
  if (ws.removed) return;
  ws.epoch++;
  forgetAllTasks(ws);
  ws.status = "removed";
  ws.removed = true;
  ctx.bus.emit("WORKSPACE_REMOVED", ws.spec.id, {});
}
