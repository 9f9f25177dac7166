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

/**
 * Watches the store for the drain of the workspaces `watched()` returns:
 * checks once at once, then after every store change (live event or poll),
 * never on a timer. Returns the function that stops watching.
 */
export function watchDrain(
  fleet: FleetView,
  watched: () => readonly string[],
  onObservation: (workspaceId: string, observation: DrainObservation) => void,
  afterCheck: () => void = () => {},
): () => void {
  const check = () => {
    for (const workspaceId of watched()) {
      const observation = observe(fleet, workspaceId);
      if (observation) onObservation(workspaceId, observation);
    }
    afterCheck();
  };
  const unsubscribe = fleet.subscribe(check);
  check();
  return unsubscribe;
}
