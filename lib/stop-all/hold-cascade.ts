import { membersByLead } from "../fleet/team-tree";
import { isStopTarget, type Workspace } from "../platform/workspace";

/** How many names the confirmation lists; the rest are counted. */
export const CASCADE_NAMES_SHOWN = 20;

/** What a hold's pauses also stop: the workspaces below its targets that are not targets (and not already paused or removed). */
export interface HoldCascade {
  count: number;
  /** The first CASCADE_NAMES_SHOWN names, in the fleet's order, joined for display ("" when none). */
  names: string;
}

/** A cascade that pauses nothing besides the targets. */
export const NO_HOLD_CASCADE: HoldCascade = Object.freeze({ count: 0, names: "" });

/**
 * A pause cascades to every descendant on the platform, so before a hold
 * starts the confirmation says which workspaces it will stop that are not
 * among the targets (`scoped`: the rows the stop covers). One pass over
 * the fleet's rows.
 */
export function holdCascade(scoped: readonly Workspace[], ids: readonly string[], workspaces: Readonly<Record<string, Workspace>>): HoldCascade {
  const targets = new Set(scoped.filter(isStopTarget).map((workspace) => workspace.id));
  if (targets.size === 0) return NO_HOLD_CASCADE;
  const members = membersByLead(ids, workspaces);
  const reached = new Set<string>();
  const queue = [...targets];
  while (queue.length > 0) {
    for (const member of members.get(queue.pop()!) ?? []) {
      if (reached.has(member) || targets.has(member)) continue;
      const status = workspaces[member]?.status;
      // The platform skips (and stops descending at) what is already paused or removed.
      if (status === "paused" || status === "removed") continue;
      reached.add(member);
      queue.push(member);
    }
  }
  // Targets below a non-target stay targets; only the others are listed.
  const listed = ids.filter((id) => reached.has(id));
  const names = listed.slice(0, CASCADE_NAMES_SHOWN).map((id) => workspaces[id]?.name ?? id);
  return { count: listed.length, names: names.join(", ") };
}
