"use client";

import { useFleet } from "@/components/fleet/FleetStoreProvider";
import { countBusy } from "@/components/fleet/fleet-counts";
import { ConfirmStopAll } from "@/components/stop-all/ConfirmStopAll";
import { DEFAULT_STOP_ALL_OPTIONS } from "@/lib/stop-all/options";

const nothing = () => {};

/** The confirmation for the world's busy workspaces, as the Stop All button would open it (preview worlds run with the default deadline). */
export function ConfirmationView() {
  const busy = useFleet(countBusy);
  return (
    <div className="rounded-md bg-slate-200/60 p-4 [&_dialog]:static">
      <ConfirmStopAll modal={false} open busy={busy} deadlineMs={DEFAULT_STOP_ALL_OPTIONS.deadlineMs} onConfirm={nothing} onClose={nothing} />
    </div>
  );
}
