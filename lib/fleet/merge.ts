import type { PlatformEvent } from "../platform/events";
import type { Workspace } from "../platform/workspace";
import { countWorkspaces, NO_COUNTS, recount, type FleetCounts } from "./counts";

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

/**
 * The fleet as the canvas knows it.
 *
 * Every workspace object is immutable and replaced when it changes, so a
 * selector of one workspace sees exactly its own changes. The containers are
 * not: a live event updates `workspaces` (and the bookkeeping maps) in place
 * instead of copying a record of thousands of entries per event (at 5,000
 * workspaces a copy costs ~2 ms, and a Stop All brings thousands of events).
 * A poll replaces `workspaces` whole. So: select a workspace, a count or
 * `ids`, never the `workspaces` record itself; `version` says when any
 * workspace changed.
 */
export interface FleetData {
  workspaces: Record<string, Workspace>;
  /** Row order from the platform (stable node order on the canvas); a new array when it changes. */
  ids: string[];
  /** Bumped whenever a workspace is added, changed or removed. */
  version: number;
  /** Toolbar counts, kept up to date with every change. */
  counts: FleetCounts;
  clocks: Map<string, WorkspaceClock>;
  /** Workspaces a live event removed, with the sequence number of that event. */
  removedAt: Map<string, number>;
  /** Task ids seen in events, per workspace, newest last (bounded). */
  taskIds: Map<string, readonly string[]>;
  /** Sequence number of the poll whose rows are applied (older answers are ignored). */
  rowsSeq: number;
  /**
   * Events for workspaces not in the store yet (they came before the rows
   * that list them), with their sequence numbers: applied on top of those
   * rows when they are newer than the poll (bounded).
   */
  early: Map<string, { event: PlatformEvent; seq: number }[]>;
}

export const emptyFleetData = (): FleetData => ({
  workspaces: {},
  ids: [],
  version: 0,
  counts: NO_COUNTS,
  clocks: new Map(),
  removedAt: new Map(),
  taskIds: new Map(),
  rowsSeq: -1,
  early: new Map(),
});

/** Workspaces whose early events are kept, and events kept per workspace. */
const MAX_EARLY_WORKSPACES = 10_000;
const MAX_EARLY_EVENTS = 4;

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

const NO_IDS: ReadonlySet<string> = new Set();

/**
 * Applies a poll answer. `pollSeq` is the sequence number taken when the
 * poll request was sent: any event that arrived after that is newer than
 * what the poll can know, so the event's fields win. A poll answer older
 * than the rows already applied is ignored whole (the same `data` comes
 * back). Unchanged workspaces keep their object identity so the canvas
 * re-renders only what changed.
 */
export function applyRows(data: FleetData, rows: Workspace[], pollSeq: number, droppedIds: ReadonlySet<string> = NO_IDS): FleetData {
  if (pollSeq < data.rowsSeq) return data;
  const workspaces: Record<string, Workspace> = {};
  const ids: string[] = [];
  let changed = false;
  for (const row of rows) {
    const removedSeq = data.removedAt.get(row.id);
    if (removedSeq !== undefined && removedSeq > pollSeq) continue;
    const previous = data.workspaces[row.id];
    const clock = data.clocks.get(row.id) ?? NO_CLOCK;
    let next = row;
    if (previous && clock.eventSeq > pollSeq) {
      next = { ...row, activeTasks: previous.activeTasks, currentTask: previous.currentTask, status: previous.status, rawStatus: previous.rawStatus };
    }
    const kept = previous && sameWorkspace(previous, next) ? previous : next;
    if (kept !== previous) changed = true;
    workspaces[row.id] = kept;
    ids.push(row.id);
  }
  // A row that came back malformed says nothing new about its workspace: it
  // did not go away. Keep what we knew, where it was, rather than treat it as removed.
  for (const id of droppedIds) {
    const previous = data.workspaces[id];
    if (!previous || workspaces[id]) continue;
    workspaces[id] = previous;
    ids.splice(Math.min(data.ids.indexOf(id), ids.length), 0, id);
  }
  // Tombstones older than this poll have served their purpose: the poll is authoritative now.
  for (const [id, seq] of data.removedAt) if (seq <= pollSeq) data.removedAt.delete(id);
  const nextIds = sameIds(ids, data.ids) ? data.ids : ids;
  if (nextIds !== data.ids) changed = true;
  const applied: FleetData = {
    ...data,
    workspaces,
    ids: nextIds,
    version: changed ? data.version + 1 : data.version,
    counts: changed ? countWorkspaces(nextIds, workspaces) : data.counts,
    rowsSeq: pollSeq,
  };
  return applyEarlyEvents(applied, pollSeq);
}

/** Events that came before the rows listing their workspace, and after this poll was sent, win over its rows. */
function applyEarlyEvents(data: FleetData, pollSeq: number): FleetData {
  if (data.early.size === 0) return data;
  let next = data;
  for (const [id, events] of [...data.early]) {
    if (!next.workspaces[id]) {
      // Still not listed: keep only what this poll cannot know yet.
      const newer = events.filter((early) => early.seq > pollSeq);
      if (newer.length === 0) data.early.delete(id);
      else data.early.set(id, newer);
      continue;
    }
    data.early.delete(id);
    for (const early of events) if (early.seq > pollSeq) next = applyEvent(next, early.event, early.seq);
  }
  return next;
}

function rememberEarly(data: FleetData, event: PlatformEvent, seq: number): void {
  const kept = data.early.get(event.workspaceId);
  if (!kept && data.early.size >= MAX_EARLY_WORKSPACES) return;
  data.early.set(event.workspaceId, [...(kept ?? []), { event, seq }].slice(-MAX_EARLY_EVENTS));
}

function rememberTaskId(data: FleetData, workspaceId: string, taskId: string | undefined): void {
  if (!taskId) return;
  const known = data.taskIds.get(workspaceId) ?? [];
  if (known[known.length - 1] === taskId) return;
  data.taskIds.set(workspaceId, [...known.filter((id) => id !== taskId), taskId].slice(-MAX_TASK_IDS));
}

/** Puts `next` in place of workspace `id` (undefined: removes it) and returns the new top-level data. */
function replaceWorkspace(data: FleetData, id: string, next: Workspace | undefined): FleetData {
  const before = data.workspaces[id];
  if (next) data.workspaces[id] = next;
  else delete data.workspaces[id];
  return { ...data, version: data.version + 1, counts: recount(data.counts, before, next) };
}

/**
 * Applies one live event arriving with local sequence number `seq`. Events
 * older than the newest one already applied for the same fields are
 * dropped (events can arrive out of order or twice). Returns new top-level
 * data when a workspace changed, else `data` itself (its bookkeeping may
 * have moved on: a remembered task id, a newer clock).
 */
export function applyEvent(data: FleetData, event: PlatformEvent, seq: number): FleetData {
  const id = event.workspaceId;
  if (event.kind === "removed") {
    if (!data.workspaces[id] && data.removedAt.has(id)) return data;
    data.removedAt.set(id, seq);
    const removed = data.workspaces[id] ? replaceWorkspace(data, id, undefined) : { ...data };
    return data.ids.includes(id) ? { ...removed, ids: data.ids.filter((other) => other !== id) } : removed;
  }

  if (event.kind === "tasks") rememberTaskId(data, id, event.taskId);
  // Idle, or (re)started: the task ids seen so far are over, and a cancel for them would be noise.
  if ((event.kind === "tasks" && event.activeTasks === 0 && !event.taskId) || (event.kind === "status" && event.status === "provisioning")) data.taskIds.delete(id);
  const current = data.workspaces[id];
  if (!current) {
    rememberEarly(data, event, seq);
    return data;
  }
  const clock = data.clocks.get(id) ?? NO_CLOCK;

  let next: Workspace;
  let nextClock: WorkspaceClock;
  if (event.kind === "tasks") {
    if (event.at < clock.tasksAt) return data;
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
  data.clocks.set(id, nextClock);
  return sameWorkspace(current, next) ? data : replaceWorkspace(data, id, next);
}
