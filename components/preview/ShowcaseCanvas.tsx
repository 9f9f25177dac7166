"use client";

import { useEffect, useState } from "react";
import { FleetCanvas } from "@/components/canvas/FleetCanvas";
import { FleetStoreProvider, useFleetStoreApi } from "@/components/fleet/FleetStoreProvider";
import { useStopAllCoordinator } from "@/components/stop-all/StopAllProvider";
import { createShowcaseStore, showcaseIds } from "./showcase";

/** The canvas with a handful of the world's workspaces, each with its Stop All badge. */
export function ShowcaseCanvas() {
  const fleet = useFleetStoreApi();
  const coordinator = useStopAllCoordinator();
  const [showcase] = useState(() => createShowcaseStore(fleet, showcaseIds(fleet.getState(), coordinator.current()?.getState())));
  useEffect(() => {
    showcase.sync();
    return fleet.subscribe(showcase.sync);
  }, [fleet, showcase]);
  return (
    <div className="h-80 overflow-hidden rounded-md border border-slate-300 bg-white">
      <FleetStoreProvider store={showcase.store}>
        <FleetCanvas />
      </FleetStoreProvider>
    </div>
  );
}
