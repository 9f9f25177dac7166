import { targetsAbove } from "./parents-first";

/** The team tree among one operation's targets, through members that are not targets. */
export interface TargetTree {
  /** The targets above `id`, nearest first. */
  above(id: string): readonly string[];
  /** The targets below `id`, at any depth. */
  below(id: string): readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);

/** Built once per operation from `parentOf` (the rows at the click, else the store). */
export function targetTreeOf(ids: readonly string[], parentOf: (id: string) => string | null | undefined): TargetTree {
  const targets = new Set(ids);
  const above = new Map(ids.map((id) => [id, targetsAbove(id, parentOf, (other) => targets.has(other))]));
  const below = new Map<string, string[]>();
  for (const [id, parents] of above) {
    for (const parent of parents) {
      const list = below.get(parent);
      if (list) list.push(id);
      else below.set(parent, [id]);
    }
  }
  return { above: (id) => above.get(id) ?? NONE, below: (id) => below.get(id) ?? NONE };
}
