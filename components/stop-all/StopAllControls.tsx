"use client";

import { useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { useFleet, useFleetStoreApi } from "@/components/fleet/FleetStoreProvider";
import { countBusy } from "@/components/fleet/fleet-counts";
import { holdCascade, NO_HOLD_CASCADE } from "@/lib/stop-all/hold-cascade";
import { busyAmong, busyIn, rowsInScope, scopeLine, type StopScope } from "@/lib/stop-all/scope";
import type { StopMode } from "@/lib/stop-all/types";
import { ConfirmStopAll } from "./ConfirmStopAll";
import { RecentOperations } from "./RecentOperations";
import { StopAllButton } from "./StopAllButton";
import { useStartStopAll, useStopAllTakesReason } from "./StopAllProvider";
import { useStopScope } from "./StopScopeProvider";

const NO_DIALOG = { busy: 0, line: "", cascadeCount: 0, cascadeNames: "" };

/**
 * The toolbar's Stop All button (the whole fleet, or the canvas selection),
 * and the confirmation of whichever Stop All was asked for (the toolbar's,
 * or a team node's). Its selectors return numbers and text, so the toolbar
 * re-renders when a count changes, not for every fleet event.
 */
export function StopAllControls() {
  const requested = useStopScope((s) => s.requested);
  const request = useStopScope((s) => s.request);
  const closeRequest = useStopScope((s) => s.closeRequest);
  const selected = useStopScope((s) => s.selected);
  const fleet = useFleetStoreApi();
  const start = useStartStopAll();
  const takesReason = useStopAllTakesReason();
  const allBusy = useFleet(countBusy);
  const selectedBusy = useFleet((s) => busyAmong(selected, s.workspaces));
  const scoped = selected.size > 0;
  const [mode, setMode] = useState<StopMode>("stop");
  // While a confirmation is open: what it covers, as it is now (one pass over the rows per store change; the cascade only for a hold).
  const dialog = useFleet(
    useShallow((s) => {
      if (!requested) return NO_DIALOG;
      const rows = rowsInScope(requested, s.ids, s.workspaces);
      const cascade = mode === "hold" ? holdCascade(rows, s.ids, s.workspaces) : NO_HOLD_CASCADE;
      return { busy: busyIn(rows), line: scopeLine(requested, s.workspaces, rows), cascadeCount: cascade.count, cascadeNames: cascade.names };
    }),
  );
  return (
    <>
      <RecentOperations />
      <StopAllButton
        busy={scoped ? selectedBusy : allBusy}
        scoped={scoped}
        onRequest={() => request(scoped ? { kind: "selected", ids: [...selected] } : { kind: "all" })}
      />
      <ConfirmStopAll
        open={requested !== undefined}
        busy={dialog.busy}
        scopeLine={dialog.line}
        cascade={{ count: dialog.cascadeCount, names: dialog.cascadeNames }}
        mode={mode}
        onModeChange={setMode}
        takesReason={takesReason}
        onClose={closeRequest}
        onConfirm={(reason, mode) => {
          const scope: StopScope = requested ?? { kind: "all" };
          const { ids, workspaces } = fleet.getState();
          closeRequest();
          start({ ...(reason ? { reason } : {}), mode }, rowsInScope(scope, ids, workspaces));
        }}
      />
    </>
  );
}
