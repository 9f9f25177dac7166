"use client";

import { createContext, use, useCallback, useState, useSyncExternalStore, type ReactNode } from "react";
import { useFleetStoreApi } from "@/components/fleet/FleetStoreProvider";
import { browserPlatformClient } from "@/components/fleet/platform-client";
import { fleetViewOf } from "@/lib/fleet/store";
import { createStopAllCoordinator, type StopAllCoordinator } from "@/lib/stop-all/coordinator";
import type { OperationPhase, StopAllState, TargetState } from "@/lib/stop-all/types";
import { systemClock } from "@/lib/time/clock";

const StopAllContext = createContext<StopAllCoordinator | null>(null);

/** Holds the page's one Stop All coordinator, wired to the fleet store, the platform client and the real clock. */
export function StopAllProvider({ children }: { children: ReactNode }) {
  const fleet = useFleetStoreApi();
  const [coordinator] = useState(() =>
    createStopAllCoordinator({ client: browserPlatformClient, fleet: fleetViewOf(fleet), clock: systemClock }),
  );
  return <StopAllContext value={coordinator}>{children}</StopAllContext>;
}

/** Renders the Stop All views over a coordinator made elsewhere (previews, tests). */
export function StopAllCoordinatorProvider({ coordinator, children }: { coordinator: StopAllCoordinator; children: ReactNode }) {
  return <StopAllContext value={coordinator}>{children}</StopAllContext>;
}

export function useStopAllCoordinator(): StopAllCoordinator {
  const coordinator = use(StopAllContext);
  if (!coordinator) throw new Error("useStopAllCoordinator must be used inside <StopAllProvider>");
  return coordinator;
}

function useOperationSnapshot<T>(select: (state: StopAllState | undefined) => T): T {
  const coordinator = useStopAllCoordinator();
  const getSnapshot = useCallback(() => select(coordinator.current()?.getState()), [coordinator, select]);
  return useSyncExternalStore(coordinator.subscribe, getSnapshot, getSnapshot);
}

const selectState = (state: StopAllState | undefined) => state;
const selectPhase = (state: StopAllState | undefined) => state?.phase;

/** The current (or last) operation's snapshot. */
export function useStopAllState(): StopAllState | undefined {
  return useOperationSnapshot(selectState);
}

/** Just the overall phase: components that only need "is one running" re-render only when it changes. */
export function useStopAllPhase(): OperationPhase | undefined {
  return useOperationSnapshot(selectPhase);
}

/** One target's state (stable identity while it does not change), for its canvas node. */
export function useStopAllTarget(workspaceId: string): TargetState | undefined {
  const select = useCallback((state: StopAllState | undefined) => state?.targets[workspaceId], [workspaceId]);
  return useOperationSnapshot(select);
}

/** Starts a Stop All on the fleet as it is now (a no-op while one runs). */
export function useStartStopAll(): () => void {
  const coordinator = useStopAllCoordinator();
  const fleet = useFleetStoreApi();
  return useCallback(() => {
    const { ids, workspaces } = fleet.getState();
    coordinator.start(ids.flatMap((id) => workspaces[id] ?? []));
  }, [coordinator, fleet]);
}
