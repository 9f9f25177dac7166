"use client";

import { mayResume, pausedByOperation } from "@/lib/stop-all/transitions";
import type { StopAllState } from "@/lib/stop-all/types";
import { useStopAllCoordinator } from "./StopAllProvider";

/**
 * "Resume held" once a hold has ended: resumes, top-down, exactly what this
 * operation paused (each result shows in its target row). Safe to press
 * twice: a second press retries only the failed ones. Hidden when shown read-only.
 */
export function ResumeHeld({ state, readOnly }: { state: StopAllState; readOnly: boolean }) {
  const coordinator = useStopAllCoordinator();
  if (state.mode !== "hold" || (state.phase !== "finished" && state.phase !== "resuming")) return null;
  const held = state.targets.filter(pausedByOperation).length;
  if (held === 0) return null;
  const toResume = state.targets.filter(mayResume).length;
  const resuming = state.phase === "resuming";
  return (
    <div className="mt-2 flex items-center gap-2 text-sm" data-testid="stop-all-resume">
      {!readOnly && toResume > 0 && !resuming && (
        <button type="button" onClick={() => coordinator.current()?.resumeHeld()} className="rounded bg-violet-700 px-2 py-1 text-white hover:bg-violet-800">
          Resume held ({toResume})
        </button>
      )}
      <span className="text-xs text-slate-700">
        {resuming
          ? `Resuming: ${state.resumesOpen ?? 0} to go`
          : toResume === 0
            ? `Every workspace this Stop All held has been resumed or is no longer paused`
            : `${held} paused by this Stop All; a resume also resumes what is paused below it`}
      </span>
    </div>
  );
}
