import { isStopTarget, type Workspace } from "../platform/workspace";

/** The toolbar's counts, kept with the store so reading them is O(1) whatever the fleet size. */
export interface FleetCounts {
  online: number;
  offline: number;
  /** Workspaces Stop All would target now (busy and online or degraded). */
  busy: number;
}

export const NO_COUNTS: FleetCounts = Object.freeze({ online: 0, offline: 0, busy: 0 });

function add(counts: FleetCounts, ws: Workspace, sign: 1 | -1): void {
  if (ws.status === "online") counts.online += sign;
  else if (ws.status === "offline") counts.offline += sign;
  if (isStopTarget(ws)) counts.busy += sign;
}

/** Counts every workspace listed in `ids` (one pass; after a poll). */
export function countWorkspaces(ids: readonly string[], workspaces: Readonly<Record<string, Workspace>>): FleetCounts {
  const counts = { online: 0, offline: 0, busy: 0 };
  for (const id of ids) {
    const ws = workspaces[id];
    if (ws) add(counts, ws, 1);
  }
  return counts;
}

/**
 * The counts after one workspace went from `before` to `after` (undefined:
 * absent). Returns `counts` itself when no count moved, so selectors keep
 * their value.
 */
export function recount(counts: FleetCounts, before: Workspace | undefined, after: Workspace | undefined): FleetCounts {
  const next = { ...counts };
  if (before) add(next, before, -1);
  if (after) add(next, after, 1);
  return next.online === counts.online && next.offline === counts.offline && next.busy === counts.busy ? counts : next;
}
