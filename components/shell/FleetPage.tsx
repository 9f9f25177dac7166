"use client";

import { FleetCanvas } from "@/components/canvas/FleetCanvas";
import { ScenarioPicker } from "@/components/mock/ScenarioPicker";
import { StopAllControls } from "@/components/stop-all/StopAllControls";
import { StopAllPanel } from "@/components/stop-all/StopAllPanel";
import { StopScopeProvider } from "@/components/stop-all/StopScopeProvider";
import { useStopAllNotice, useStopAllPhase, useStopAllStartedAt } from "@/components/stop-all/StopAllProvider";
import { useState } from "react";
import { ConnectionBadge } from "@/components/fleet/ConnectionBadge";
import { FleetCounts } from "@/components/fleet/FleetCounts";
import { useFleet } from "@/components/fleet/FleetStoreProvider";
import { PlatformErrorPanel } from "@/components/fleet/PlatformErrorPanel";
import { RowWarnings } from "@/components/fleet/RowWarnings";
import { useLiveEvents } from "@/components/fleet/use-live-events";
import { rowsRefreshMs, useWorkspaceRows } from "@/components/fleet/use-workspace-rows";

/** Live mode: the canvas server runs Stop All (and watches its drain); mock mode: the page. */
const OPERATION_ON_SERVER = process.env.NEXT_PUBLIC_PLATFORM_MODE === "live";

/** The fleet page: its canvas selection and requested Stop All live in one scope store. */
export function FleetPage() {
  return (
    <StopScopeProvider>
      <FleetPageView />
    </StopScopeProvider>
  );
}

function FleetPageView() {
  useLiveEvents();
  const live = useFleet((s) => s.connection === "live");
  // Narrow selectors: the page must not re-render for each of an operation's events.
  const operationPhase = useStopAllPhase();
  const operationStartedAt = useStopAllStartedAt();
  const operationRunning = operationPhase !== undefined && operationPhase !== "finished";
  const rows = useWorkspaceRows(rowsRefreshMs({ live, operationRunning, operationInPage: !OPERATION_ON_SERVER }));
  // The panel stays until the operator closes it; a new operation brings it back.
  const [dismissedStart, setDismissedStart] = useState<number | undefined>();
  const showPanel = operationStartedAt !== undefined && operationStartedAt !== dismissedStart;
  const stopAllNotice = useStopAllNotice();
  const loaded = useFleet((s) => s.loaded);
  const empty = useFleet((s) => s.loaded && s.ids.length === 0);

  return (
    <div className="flex h-dvh flex-col">
      <header className="flex flex-wrap items-center gap-x-6 gap-y-2 border-b border-slate-200 bg-white px-4 py-2">
        <h1 className="text-base font-semibold">Fleet canvas</h1>
        <FleetCounts />
        <ConnectionBadge />
        <div className="ml-auto flex items-center gap-3">
          <ScenarioPicker />
          <StopAllControls />
        </div>
      </header>
      <RowWarnings />
      {stopAllNotice && (
        <p role="alert" className="border-b border-amber-300 bg-amber-50 px-4 py-1.5 text-sm text-amber-950">
          {stopAllNotice}
        </p>
      )}
      {rows.isError && loaded && (
        <p role="alert" className="border-b border-red-300 bg-red-50 px-4 py-1.5 text-sm text-red-900">
          Showing the last known state: {rows.error.message}
        </p>
      )}
      <main className="relative min-h-0 flex-1">
        {rows.isError && !loaded ? (
          <PlatformErrorPanel message={rows.error.message} onRetry={() => void rows.refetch()} retrying={rows.isFetching} />
        ) : !loaded ? (
          <p role="status" className="p-6 text-sm text-slate-600">
            Loading workspaces…
          </p>
        ) : empty ? (
          <p role="status" className="p-6 text-sm text-slate-600">
            No workspaces yet. The platform reports an empty fleet.
          </p>
        ) : (
          <FleetCanvas />
        )}
        {showPanel && <StopAllPanel onDismiss={() => setDismissedStart(operationStartedAt)} />}
      </main>
    </div>
  );
}
