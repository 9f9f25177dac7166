import type { StopAllState, TargetOutcome, TargetPhase, TargetState } from "./types";

/** How many targets are in each phase; kept with every change so the operation's phase costs O(1). */
export type PhaseCounts = Readonly<Record<TargetPhase["kind"], number>>;

export function countPhases(targets: readonly TargetState[]): PhaseCounts {
  const counts = { cancelling: 0, watching: 0, restarting: 0, holding: 0, settled: 0 };
  for (const target of targets) counts[target.phase.kind]++;
  return counts;
}

/** `counts` after one target moved from phase `from` to phase `to`. */
export function movePhaseCount(counts: PhaseCounts, from: TargetPhase["kind"], to: TargetPhase["kind"]): PhaseCounts {
  if (from === to) return counts;
  // `?? 0`: a snapshot journaled before a phase existed has no count for it.
  return { ...counts, [from]: (counts[from] ?? 0) - 1, [to]: (counts[to] ?? 0) + 1 };
}

// Every snapshot of one operation shares its `order` array, so the index is built once per operation.
const indexes = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

/** Where each target id sits in `order` (and so in `targets`). */
export function targetIndex(order: readonly string[]): ReadonlyMap<string, number> {
  let index = indexes.get(order);
  if (!index) {
    index = new Map(order.map((id, position) => [id, position]));
    indexes.set(order, index);
  }
  return index;
}

/** The target with this workspace id, or undefined when it is not one. */
export function targetOf(state: Pick<StopAllState, "order" | "targets">, workspaceId: string): TargetState | undefined {
  const position = targetIndex(state.order).get(workspaceId);
  return position === undefined ? undefined : state.targets[position];
}

/** A settled target's outcome; undefined while it is still in progress. */
export function outcomeOf(target: TargetState): TargetOutcome | undefined {
  return target.phase.kind === "settled" ? target.phase.outcome : undefined;
}
