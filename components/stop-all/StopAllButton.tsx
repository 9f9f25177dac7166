"use client";

import { useFleet } from "@/components/fleet/FleetStoreProvider";
import { countBusy } from "@/components/fleet/fleet-counts";
import { useStopAllPhase, useStopAllReadOnly } from "./StopAllProvider";

/** "Stop All (N)": opens the confirmation; disabled when nothing is busy or an operation runs. */
export function StopAllButton({ onRequest }: { onRequest: () => void }) {
  const busy = useFleet(countBusy);
  const phase = useStopAllPhase();
  const readOnly = useStopAllReadOnly();
  const running = phase !== undefined && phase !== "finished";
  const disabled = busy === 0 || running;
  return (
    <button
      type="button"
      onClick={onRequest}
      disabled={disabled}
      title={running ? (readOnly ? "A Stop All is running in another tab" : "A Stop All is running") : busy === 0 ? "No workspace is busy" : undefined}
      className="rounded bg-red-700 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-red-800 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-700"
    >
      Stop All ({busy})
    </button>
  );
}
