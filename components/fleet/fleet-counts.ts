import type { FleetState } from "@/lib/fleet/store";

/**
 * Counts shown in the toolbar. The store keeps them up to date with every
 * change (lib/fleet/counts.ts), so these selectors are O(1): they run for
 * every store change, and a pass over 5,000 workspaces each time would not be.
 */
export const countOnline = (s: FleetState) => s.counts.online;
export const countOffline = (s: FleetState) => s.counts.offline;
export const countBusy = (s: FleetState) => s.counts.busy;
