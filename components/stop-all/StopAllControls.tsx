"use client";

import { useState } from "react";
import { useFleet } from "@/components/fleet/FleetStoreProvider";
import { countBusy } from "@/components/fleet/fleet-counts";
import { ConfirmStopAll } from "./ConfirmStopAll";
import { RecentOperations } from "./RecentOperations";
import { StopAllButton } from "./StopAllButton";
import { useStartStopAll, useStopAllTakesReason } from "./StopAllProvider";

/** The toolbar's Stop All button and its confirmation. */
export function StopAllControls() {
  const [confirming, setConfirming] = useState(false);
  const busy = useFleet(countBusy);
  const start = useStartStopAll();
  const takesReason = useStopAllTakesReason();
  return (
    <>
      <RecentOperations />
      <StopAllButton onRequest={() => setConfirming(true)} />
      <ConfirmStopAll
        open={confirming}
        busy={busy}
        takesReason={takesReason}
        onClose={() => setConfirming(false)}
        onConfirm={(reason) => {
          setConfirming(false);
          start(reason ? { reason } : undefined);
        }}
      />
    </>
  );
}
