"use client";

import { useFleet } from "@/components/fleet/FleetStoreProvider";
import { countBusy } from "@/components/fleet/fleet-counts";
import { InlineConfirm } from "./InlineConfirm";

/** The confirmation for the world's busy workspaces, as the Stop All button would open it. */
export function ConfirmationView() {
  const busy = useFleet(countBusy);
  return <InlineConfirm busy={busy} />;
}
