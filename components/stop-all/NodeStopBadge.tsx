"use client";

import { describeBusyAgain } from "@/lib/stop-all/labels";
import { OUTCOME_STYLES, outcomeOf, phaseLabel } from "./describe";
import { useStopAllTarget } from "./StopAllProvider";

/** A target's Stop All phase on its canvas node; nothing for workspaces that are not targets. */
export function NodeStopBadge({ workspaceId }: { workspaceId: string }) {
  const target = useStopAllTarget(workspaceId);
  if (!target) return null;
  const outcome = outcomeOf(target);
  const again = describeBusyAgain(target);
  if (again) {
    return (
      <p className="mt-1 truncate rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-950" data-testid="node-stop-phase" title={`Stop All: ${again}`}>
        Stop All: {again}
      </p>
    );
  }
  return (
    <p className={`mt-1 rounded px-1.5 py-0.5 text-xs font-medium ${outcome ? OUTCOME_STYLES[outcome.kind] : "bg-red-50 text-red-900"}`} data-testid="node-stop-phase">
      Stop All: {phaseLabel(target.phase)}
    </p>
  );
}
