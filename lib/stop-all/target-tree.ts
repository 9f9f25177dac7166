/** The team tree among one operation's targets, through members that are not targets. */
export interface TargetTree {
  /** The targets above `id`, nearest first. */
  above(id: string): readonly string[];
  /** The targets below `id`, at any depth. */
  below(id: string): readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);

/** The targets above `id`, nearest first, walking parent ids through the targets and the fleet (cycles stop the walk). */
function targetsAbove(id: string, parentOf: (id: string) => string | null | undefined, isTarget: (id: string) => boolean): string[] {
  const above: string[] = [];
  const seen = new Set([id]);
  for (let parent = parentOf(id); parent && !seen.has(parent); parent = parentOf(parent)) {
    seen.add(parent);
    if (isTarget(parent)) above.push(parent);
  }
  return above;
}

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
