import type { FleetView } from "../fleet/view";
import type { Clock } from "../time/clock";
import { targetOf } from "./targets";
import { quietSince, quietUntil } from "./transitions";
import type { StopAllEvent, StopAllState } from "./types";

const isBusy = (snapshot: ReturnType<FleetView["get"]>) => snapshot !== undefined && snapshot.activeTasks > 0 && (snapshot.status === "online" || snapshot.status === "degraded");

/**
 * The quiet watch after a Stop All ended: until `quietUntil`, every target
 * that drained or was restarted is watched in the fleet view, and each time
 * it goes from idle to busy a `busy-again` event says when and with what
 * task (a queued message on its next heartbeat, an idle prompt, a restart's
 * context message: work the platform hands a drained workspace at once).
 * One look per changed workspace, as the drain watch does. Returns the stop.
 */
export function watchQuiet(fleet: FleetView, clock: Clock, state: () => StopAllState, dispatch: (event: StopAllEvent) => void): () => void {
  const until = quietUntil(state());
  if (until === undefined || clock.now() > until) return () => {};
  const busy = new Map<string, boolean>();
  const look = (workspaceId: string) => {
    const target = targetOf(state(), workspaceId);
    if (!target || quietSince(target) === undefined) return;
    const snapshot = fleet.get(workspaceId);
    const now = isBusy(snapshot);
    const before = busy.get(workspaceId) ?? false;
    busy.set(workspaceId, now);
    if (now && !before) dispatch({ type: "busy-again", workspaceId, at: clock.now(), task: snapshot?.currentTask ?? "" });
  };
  const lookAll = () => state().order.forEach(look);
  const unsubscribe = fleet.subscribe((changed) => (changed ? changed.forEach(look) : lookAll()));
  const timer = clock.setTimeout(() => stop(), until - clock.now());
  let stopped = false;
  function stop(): void {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    clock.clearTimeout(timer);
  }
  // Busy already when the end came (it drained, then took new work before the last target settled).
  lookAll();
  return stop;
}

/**
 * The operation's quiet watch across its ends: started each time it
 * reaches `finished` (`update`), stopped when a retry re-opens it, and for
 * good at dispose (`stop`).
 */
export function quietWatchSwitch(fleet: FleetView, clock: Clock, state: () => StopAllState, dispatch: (event: StopAllEvent) => void) {
  let stopWatch: (() => void) | undefined;
  let disposed = false;
  const stop = () => {
    stopWatch?.();
    stopWatch = undefined;
  };
  return {
    update(): void {
      if (state().phase !== "finished") return stop();
      if (stopWatch || disposed) return;
      // Set before the watch starts: its first look may dispatch, and so come back here.
      const watch: { stop?: () => void } = {};
      stopWatch = () => watch.stop?.();
      watch.stop = watchQuiet(fleet, clock, state, dispatch);
    },
    dispose(): void {
      disposed = true;
      stop();
    },
  };
}
