import type { Workspace } from "../platform/workspace";

/** Each workspace's members (the workspaces whose parent it is), from the rows as the store holds them. */
export function membersByLead(ids: readonly string[], workspaces: Readonly<Record<string, Workspace>>): ReadonlyMap<string, readonly string[]> {
  const members = new Map<string, string[]>();
  for (const id of ids) {
    const parentId = workspaces[id]?.parentId;
    if (!parentId || parentId === id || !workspaces[parentId]) continue;
    const list = members.get(parentId);
    if (list) list.push(id);
    else members.set(parentId, [id]);
  }
  return members;
}

/** The team under `leadId`: the lead, its members, theirs, and so on (each once, whatever cycles the rows hold). */
export function teamOf(leadId: string, members: ReadonlyMap<string, readonly string[]>): string[] {
  const team: string[] = [];
  const seen = new Set<string>();
  const queue = [leadId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    team.push(id);
    queue.push(...(members.get(id) ?? []));
  }
  return team;
}
