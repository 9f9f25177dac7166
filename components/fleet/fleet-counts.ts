import type { FleetState } from "@/lib/fleet/store";
import { isStopTarget } from "@/lib/platform/workspace";

/** Counts shown in the toolbar; each is a number so selectors stay cheap to compare. */
export const countOnline = (s: FleetState) => s.ids.filter((id) => s.workspaces[id]?.status === "online").length;
export const countOffline = (s: FleetState) => s.ids.filter((id) => s.workspaces[id]?.status === "offline").length;
export const countBusy = (s: FleetState) => s.ids.filter((id) => {
  const ws = s.workspaces[id];
  return ws !== undefined && isStopTarget(ws);
}).length;
