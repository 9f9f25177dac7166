import type { PlatformEvent } from "../platform/events";
import type { Workspace } from "../platform/workspace";

/**
 * Ordering bookkeeping for one workspace. `seq` values come from one
 * counter shared by event arrivals and poll starts, so "did this event
 * arrive after that poll was sent?" is a single comparison.
 */
export interface WorkspaceClock {
  /** Platform timestamp of the newest task-count event applied. */
  tasksAt: number;
  /** Platform timestamp of the newest status event applied. */
  statusAt: number;
  /** Local sequence number of the last event applied to this workspace. */
  eventSeq: number;
}

export interface FleetData {
  workspaces: Record<string, Workspace>;
  /** Row order from the platform (stable node order on the canvas). */
  ids: string[];
  clocks: Record<string, WorkspaceClock>;
  /** Workspaces a live event removed, with the sequence number of that event. */
  removedAt: Record<string, number>;
  /** Task ids seen in events, per workspace, newest last (bounded). */
  taskIds: Record<string, string[]>;
  /** Sequence number of the poll whose rows are applied (older answers are ignored). */
  rowsSeq: number;
}

export const emptyFleetData = (): FleetData => ({ workspaces: {}, ids: [], clocks: {}, removedAt: {}, taskIds: {}, rowsSeq: -1 });

const MAX_TASK_IDS = 32;
const NO_CLOCK: WorkspaceClock = { tasksAt: -Infinity, statusAt: -Infinity, eventSeq: -1 };

function sameWorkspace(a: Workspace, b: Workspace): boolean {
  for (const key of Object.keys(a) as (keyof Workspace)[]) {
    if (!Object.is(a[key], b[key])) return false;
  }
  return true;
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * Applies a poll answer. `pollSeq` is the sequence number taken when the
 * poll request was sent: any event that arrived after that is newer than
 * what the poll can know, so the event's fields win. A poll answer older
 * than the rows already applied is ignored whole. Unchanged workspaces keep
 * their object identity so the canvas re-renders only what changed.
 */
export function applyRows(data: FleetData, rows: Workspace[], pollSeq: number): FleetData {
  if (pollSeq < data.rowsSeq) return data;
  const workspaces: Record<string, Workspace> = {};
  const ids: string[] = [];
  for (const row of rows) {
    const removedSeq = data.removedAt[row.id];
    if (removedSeq !== undefined && removedSeq > pollSeq) continue;
    const previous = data.workspaces[row.id];
    const clock = data.clocks[row.id] ?? NO_CLOCK;
    let next = row;
    if (previous && clock.eventSeq > pollSeq) {
      next = { ...row, activeTasks: previous.activeTasks, currentTask: previous.currentTask, status: previous.status, rawStatus: previous.rawStatus };
    }
    workspaces[row.id] = previous && sameWorkspace(previous, next) ? previous : next;
    ids.push(row.id);
  }
  // Tombstones older than this poll have served their purpose: the poll is authoritative now.
  const removedAt: Record<string, number> = {};
  for (const [id, seq] of Object.entries(data.removedAt)) if (seq > pollSeq) removedAt[id] = seq;
  return { ...data, workspaces, ids: sameIds(ids, data.ids) ? data.ids : ids, removedAt, rowsSeq: pollSeq };
}

function rememberTaskId(data: FleetData, workspaceId: string, taskId: string | undefined): Record<string, string[]> {
  if (!taskId) return data.taskIds;
  const known = data.taskIds[workspaceId] ?? [];
  if (known[known.length - 1] === taskId) return data.taskIds;
  const next = [...known.filter((id) => id !== taskId), taskId].slice(-MAX_TASK_IDS);
  return { ...data.taskIds, [workspaceId]: next };
}

/**
 * Applies one live event arriving with local sequence number `seq`. Events
 * older than the newest one already applied for the same fields are
 * dropped (events can arrive out of order or twice).
 */
export function applyEvent(data: FleetData, event: PlatformEvent, seq: number): FleetData {
  const id = event.workspaceId;
  if (event.kind === "removed") {
    if (!data.workspaces[id] && data.removedAt[id] !== undefined) return data;
    const workspaces = { ...data.workspaces };
    delete workspaces[id];
    return {
      ...data,
      workspaces,
      ids: data.ids.filter((other) => other !== id),
      removedAt: { ...data.removedAt, [id]: seq },
    };
  }

  const taskIds = event.kind === "tasks" ? rememberTaskId(data, id, event.taskId) : data.taskIds;
  const current = data.workspaces[id];
  if (!current) return taskIds === data.taskIds ? data : { ...data, taskIds };
  const clock = data.clocks[id] ?? NO_CLOCK;

  let next: Workspace = current;
  let nextClock: WorkspaceClock = clock;
  if (event.kind === "tasks") {
    if (event.at < clock.tasksAt) return taskIds === data.taskIds ? data : { ...data, taskIds };
    next = { ...current, activeTasks: event.activeTasks, currentTask: event.currentTask ?? current.currentTask };
    nextClock = { ...clock, tasksAt: event.at, eventSeq: seq };
  } else {
    if (event.at < clock.statusAt) return data;
    next = { ...current, status: event.status, rawStatus: event.status };
    nextClock = { ...clock, statusAt: event.at, eventSeq: seq };
    // A (re)start tears the container down: whatever was in flight is gone.
    if (event.status === "provisioning" && event.at >= clock.tasksAt) {
      next = { ...next, activeTasks: 0, currentTask: "" };
      nextClock = { ...nextClock, tasksAt: event.at };
    }
  }
  return {
    ...data,
    taskIds,
    workspaces: sameWorkspace(current, next) ? data.workspaces : { ...data.workspaces, [id]: next },
    clocks: { ...data.clocks, [id]: nextClock },
  };
}
