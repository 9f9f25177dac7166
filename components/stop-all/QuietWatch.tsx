"use client";

import { describeBusyAgain } from "@/lib/stop-all/labels";
import { quietUntil } from "@/lib/stop-all/transitions";
import type { StopAllState } from "@/lib/stop-all/types";
import { useStopAllPhase } from "./StopAllProvider";
import { ShortList } from "./ShortList";
import { useHasStopScope, useStopScope } from "./StopScopeProvider";

const clockTime = (at: number) => new Date(at).toLocaleTimeString("en-GB", { hour12: false });

/**
 * After the end: what the quiet watch covers, the targets it saw busy
 * again (the platform hands drained workspaces new work at once: a queued
 * message, an idle prompt, a restart's context; the first SHORT_LIST_SHOWN
 * are named, the rest counted), and one action that starts a new Stop All
 * on exactly those.
 */
export function QuietWatch({ state, readOnly }: { state: StopAllState; readOnly: boolean }) {
  const hasScope = useHasStopScope();
  const request = useStopScope((s) => s.request);
  const phase = useStopAllPhase();
  const until = quietUntil(state);
  if (until === undefined) return null;
  const again = state.targets.filter((target) => (target.busyAgain?.length ?? 0) > 0);
  const anotherRuns = phase !== undefined && phase !== "finished";
  return (
    <div className="mt-2 text-sm" data-testid="stop-all-quiet">
      <p className="text-xs text-slate-600">Watching the stopped workspaces for work that comes back until {clockTime(until)}.</p>
      {again.length > 0 && (
        <div role="alert" className="mt-1 rounded border border-amber-300 bg-amber-50 p-2 text-amber-950">
          <p className="font-semibold">
            {again.length} {again.length === 1 ? "workspace is" : "workspaces are"} busy again since it ended
          </p>
          <ShortList
            className="mt-1 list-disc pl-5 text-xs"
            items={again}
            keyOf={(target) => target.workspaceId}
            render={(target) => (
              <span data-testid={`busy-again-${target.workspaceId}`}>
                {target.name}: {describeBusyAgain(target)}
              </span>
            )}
          />
          {hasScope && !readOnly && (
            <button
              type="button"
              disabled={anotherRuns}
              onClick={() => request({ kind: "again", ids: again.map((target) => target.workspaceId) })}
              className="mt-2 rounded bg-red-700 px-2 py-1 text-xs font-semibold text-white hover:bg-red-800 disabled:bg-slate-300 disabled:text-slate-700"
            >
              Stop these again ({again.length})
            </button>
          )}
        </div>
      )}
    </div>
  );
}
