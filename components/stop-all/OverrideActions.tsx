"use client";

import { failedForceKind } from "@/lib/stop-all/transitions";
import type { StopAllState } from "@/lib/stop-all/types";
import { useStopAllCoordinator } from "./StopAllProvider";

/**
 * The operator's say over the whole operation: while targets are still
 * open, restart them now or keep them all; once restarts have failed, retry
 * them. Nothing when the operation is shown read-only.
 */
export function OverrideActions({ state, readOnly }: { state: StopAllState; readOnly: boolean }) {
  const coordinator = useStopAllCoordinator();
  if (readOnly) return null;
  const running = state.phase !== "finished" && state.phase !== "resuming";
  const open = state.counts.cancelling + state.counts.watching;
  const hold = state.mode === "hold";
  const failedKind = failedForceKind(state.mode);
  const failed = state.targets.filter((t) => t.phase.kind === "settled" && t.phase.outcome.kind === failedKind).length;
  const verb = hold ? "pause" : "restart";
  return (
    <>
      {running && open > 0 && (
        <>
          <button type="button" onClick={() => coordinator.current()?.restartNow()} className="rounded bg-sky-700 px-2 py-1 text-white hover:bg-sky-800">
            {hold ? "Pause undrained now" : "Restart undrained now"}
          </button>
          <button type="button" onClick={() => coordinator.current()?.keep()} className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">
            Don&apos;t {verb} any
          </button>
        </>
      )}
      {failed > 0 && (
        <button type="button" onClick={() => coordinator.current()?.retryRestart()} className="rounded bg-red-700 px-2 py-1 text-white hover:bg-red-800">
          Retry failed ({failed})
        </button>
      )}
    </>
  );
}
