import { positionOf } from "@/components/canvas/layout";
import { createFleetStore, type FleetState, type FleetStore } from "@/lib/fleet/store";
import type { StopAllState } from "@/lib/stop-all/types";
import { targetOf } from "@/lib/stop-all/targets";

/**
 * A few workspaces worth showing as canvas nodes: the first target in each
 * distinct Stop All phase (or outcome), then one workspace that is not a
 * target, preferably one that looks busy but is left alone.
 */
export function showcaseIds(fleet: FleetState, operation: StopAllState | undefined, max = 6): string[] {
  const seen = new Set<string>();
  const picked: string[] = [];
  for (const id of fleet.ids) {
    const target = operation && targetOf(operation, id);
    if (!target || picked.length >= max - 1) continue;
    const key = target.phase.kind === "settled" ? target.phase.outcome.kind : target.phase.kind;
    if (seen.has(key)) continue;
    seen.add(key);
    picked.push(id);
  }
  const bystanders = fleet.ids.filter((id) => !(operation && targetOf(operation, id)));
  const bystander = bystanders.find((id) => (fleet.workspaces[id]?.activeTasks ?? 0) > 0) ?? bystanders[0];
  return bystander ? [...picked, bystander] : picked;
}

/**
 * A store holding copies of some workspaces of `source`, kept in step with
 * it by `sync`. They sit in a compact grid of `columns`, not where the
 * full fleet puts them.
 */
export function createShowcaseStore(source: FleetStore, ids: readonly string[], columns = 3): { store: FleetStore; sync(): void } {
  const store = createFleetStore();
  const sync = () => {
    const { workspaces } = source.getState();
    const rows = ids.flatMap((id, index) => {
      const ws = workspaces[id];
      return ws ? [{ ...ws, ...positionOf(undefined, index, columns) }] : [];
    });
    store.getState().applyRows(rows, [], store.getState().beginPoll());
  };
  sync();
  return { store, sync };
}
