import type { FleetView } from "../fleet/view";

/** What the store says about a watched workspace, when it says something final. */
export type DrainObservation = "drained" | "removed" | "provisioning";

/** What the store shows for one workspace right now, or undefined when nothing decides its fate yet. */
export function observe(fleet: FleetView, workspaceId: string): DrainObservation | undefined {
  const snapshot = fleet.get(workspaceId);
  if (!snapshot || snapshot.status === "removed") return "removed";
  // A (re)start began: its work is gone and another restart would be a second teardown.
  if (snapshot.status === "provisioning") return "provisioning";
  return snapshot.activeTasks === 0 ? "drained" : undefined;
}

/** The workspaces a drain watch looks at: all of them, or whether one is among them. */
export interface WatchedTargets {
  ids(): readonly string[];
  has(workspaceId: string): boolean;
}

/**
 * Watches the store for the drain of the `watched` workspaces: checks them
 * all at once, then after every store change only those it touched (a live
 * event touches one; a poll may touch all), never on a timer. So a change
 * costs O(1), not O(targets), even with thousands of targets. Returns the
 * function that stops watching.
 */
export function watchDrain(
  fleet: FleetView,
  watched: WatchedTargets,
  onObservation: (workspaceId: string, observation: DrainObservation) => void,
  afterCheck: () => void = () => {},
): () => void {
  const look = (workspaceId: string) => {
    const observation = observe(fleet, workspaceId);
    if (observation) onObservation(workspaceId, observation);
  };
  const check = (changed: readonly string[] | undefined) => {
    if (changed === undefined) for (const workspaceId of watched.ids()) look(workspaceId);
    else for (const workspaceId of changed) if (watched.has(workspaceId)) look(workspaceId);
    afterCheck();
  };
  const unsubscribe = fleet.subscribe(check);
  check(undefined);
  return unsubscribe;
}
