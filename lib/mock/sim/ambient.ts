import { reportTasks, startTask, stopTaskWork } from "./agent-tasks";
import type { SimContext } from "./context";
import { isAlive, uptimeSeconds, type SimWorkspace } from "./workspace-state";

/** The platform's heartbeat period per online workspace. */
export const HEARTBEAT_MS = 30_000;

export interface Ambient {
  /** Starts the background life of a workspace: heartbeats, plus chatter and progress if its behaviour asks. */
  start(ws: SimWorkspace): void;
  /** Call after a behaviour change: starts chatter or progress loops that are now wanted. */
  refresh(ws: SimWorkspace): void;
  /** Forgets every loop (their jobs are cleared with the scheduler). */
  clear(): void;
}

/** Round robin for progress reports: the long task idle the longest moves on, so every task id shows up in events. */
function longTaskIdleLongest(ws: SimWorkspace) {
  return ws.tasks.filter((task) => task.running && task.long).sort((a, b) => a.touched - b.touched)[0];
}

/**
 * Background life of the fleet, all on the scheduler: a heartbeat every
 * 30 s per online workspace (phase spread by the workspace's PRNG), idle
 * "chatty" agents that start and finish short tasks, and long tasks that
 * report progress. Long tasks themselves never end on their own.
 */
export function createAmbient(ctx: SimContext): Ambient {
  const chatting = new Set<SimWorkspace>();
  const progressing = new Set<SimWorkspace>();

  const heartbeat = (ws: SimWorkspace) => {
    if (ws.removed) return;
    if (isAlive(ws)) {
      ctx.bus.emit("WORKSPACE_HEARTBEAT", ws.spec.id, {
        active_tasks: ws.reported.activeTasks,
        uptime_seconds: uptimeSeconds(ws, ctx.clock.now()),
      });
    }
    ctx.scheduler.after(HEARTBEAT_MS, () => heartbeat(ws));
  };

  const chat = (ws: SimWorkspace) => {
    const chatty = ws.behaviour.chatty;
    if (ws.removed || !chatty) {
      chatting.delete(ws);
      return;
    }
    const idle = ws.random.between(chatty.idleMs[0], chatty.idleMs[1]);
    const busyWithShortTask = ws.tasks.some((task) => task.running && !task.long);
    // Not alive (paused, provisioning, offline…): no new task, but the loop goes on, so chatter resumes once it is back online.
    if (!isAlive(ws) || busyWithShortTask || chatty.tasks.length === 0) {
      ctx.scheduler.after(idle, () => chat(ws));
      return;
    }
    const description = chatty.tasks[ws.random.between(0, chatty.tasks.length - 1)]!;
    const length = ws.random.between(chatty.taskMs[0], chatty.taskMs[1]);
    const task = startTask(ctx, ws, description, false);
    const epoch = ws.epoch;
    ctx.scheduler.after(length, () => {
      if (ws.epoch === epoch && ws.tasks.includes(task) && task.state === "working") stopTaskWork(ctx, ws, task, "completed");
    });
    ctx.scheduler.after(length + idle, () => chat(ws));
  };

  const progress = (ws: SimWorkspace) => {
    const every = ws.behaviour.progressEveryMs;
    if (ws.removed || every === null) {
      progressing.delete(ws);
      return;
    }
    if (isAlive(ws)) {
      const next = longTaskIdleLongest(ws);
      if (next) {
        next.step++;
        next.touched = ws.touchCounter++;
        reportTasks(ctx, ws, next.id);
      }
    }
    ctx.scheduler.after(every, () => progress(ws));
  };

  const refresh = (ws: SimWorkspace) => {
    const chatty = ws.behaviour.chatty;
    if (chatty && !chatting.has(ws)) {
      chatting.add(ws);
      ctx.scheduler.after(ws.random.between(chatty.idleMs[0], chatty.idleMs[1]), () => chat(ws));
    }
    const every = ws.behaviour.progressEveryMs;
    if (every !== null && !progressing.has(ws)) {
      progressing.add(ws);
      ctx.scheduler.after(every, () => progress(ws));
    }
  };

  return {
    start(ws) {
      ctx.scheduler.after(ws.random.between(0, HEARTBEAT_MS - 1), () => heartbeat(ws));
      refresh(ws);
    },
    refresh,
    clear() {
      chatting.clear();
      progressing.clear();
    },
  };
}
