"use client";

import { describeAge } from "@/lib/stop-all-host/byline";
import { ShortList } from "./ShortList";
import { useStopAllClock, useStopAllInfo } from "./StopAllProvider";
import { useNow } from "./use-now";

/**
 * Live mode: who started the shown Stop All, how long ago and why, and the
 * confirmed workspaces the server left out (no longer busy, gone). Renders
 * nothing for an operation that runs in the page.
 */
export function OperationByline({ running }: { running: boolean }) {
  const info = useStopAllInfo();
  const clock = useStopAllClock();
  const now = useNow(info !== undefined && running, clock, 1000);
  if (!info) return null;
  return (
    <div className="mt-1 text-xs text-slate-700" data-testid="stop-all-byline">
      <p>
        Started by <span className="font-semibold">{info.actor}</span>, {describeAge(now - info.startedAt)}
      </p>
      {info.reason && <p data-testid="stop-all-reason">Reason: {info.reason}</p>}
      {info.leftOut.length > 0 && (
        <details className="mt-0.5">
          <summary>
            {info.leftOut.length} confirmed {info.leftOut.length === 1 ? "workspace" : "workspaces"} left out
          </summary>
          <ShortList className="ml-4 list-disc" items={info.leftOut} keyOf={(entry) => entry.workspaceId} render={(entry) => `${entry.workspaceId}: ${entry.why}`} />
        </details>
      )}
    </div>
  );
}
