"use client";

import { useFleet } from "@/components/fleet/FleetStoreProvider";
import { busyAmong } from "@/lib/stop-all/scope";
import { useStopAllPhase } from "./StopAllProvider";
import { useHasStopScope, useStopScope } from "./StopScopeProvider";

/**
 * A team lead's "Stop team": asks for a Stop All on the busy ones among the
 * lead and everything below it (the same operation, one per fleet). Counts
 * over the team only, so a store change costs this node O(team).
 */
export function StopTeamButton({ leadId, name, team }: { leadId: string; name: string; team: readonly string[] }) {
  const hasScope = useHasStopScope();
  const request = useStopScope((s) => s.request);
  const busy = useFleet((s) => busyAmong(team, s.workspaces));
  const phase = useStopAllPhase();
  if (!hasScope) return null;
  const running = phase !== undefined && phase !== "finished";
  return (
    <button
      type="button"
      aria-label={`Stop team ${name} (${busy} busy)`}
      title={running ? "A Stop All is running" : busy === 0 ? "No workspace in this team is busy" : undefined}
      disabled={busy === 0 || running}
      onClick={(event) => {
        // Not a click on the node: the selection stays as it is.
        event.stopPropagation();
        request({ kind: "team", leadId });
      }}
      // Enter or Space on the button is not the node's (React Flow would select the lead).
      onKeyDown={(event) => event.stopPropagation()}
      className="nodrag absolute top-8 right-2 rounded border border-red-300 bg-white px-1.5 py-0.5 text-xs font-medium text-red-800 hover:bg-red-50 disabled:cursor-not-allowed disabled:border-slate-200 disabled:text-slate-500"
    >
      Stop team
    </button>
  );
}
