import type { Workspace } from "./workspace";

/**
 * Pause and resume on the test platform (PLATFORM_API.md "Pause and
 * resume", as the workspace server's `workspace_restart.go` does them),
 * and the forced answers a spec can set for them through
 * `POST /_test/workspaces/:id/faults`.
 */

export type LifecycleAction = "pause" | "resume";

/** What the platform answers a pause or resume, and how many workspaces it paused or resumed. */
export interface LifecycleAnswer {
  status: number;
  body: Record<string, unknown>;
  count: number;
}

/** The team tree of the fleet, as PlatformState indexes it from the specs' `parentId`. */
export interface TeamTree {
  parentOf(workspace: Workspace): Workspace | undefined;
  childrenOf(workspace: Workspace): readonly Workspace[];
}

/** A forced answer: `remaining` attempts left, null for every attempt until cleared. */
export interface ForcedAnswer {
  status: number;
  body: Record<string, unknown>;
  remaining: number | null;
}

/** The `faults` document of one workspace: its forced pause and resume answers, null when none. */
export type WorkspaceFaults = Record<LifecycleAction, ForcedAnswer | null>;

/**
 * The nearest paused ancestor of `workspace` (its lead, its lead's lead, …),
 * undefined when none is paused.
 */
export function pausedAncestor(tree: TeamTree, workspace: Workspace): Workspace | undefined {
  const seen = new Set<Workspace>([workspace]);
  for (let up = tree.parentOf(workspace); up && !seen.has(up); up = tree.parentOf(up)) {
    if (up.status === "paused") return up;
    seen.add(up);
  }
  return undefined;
}

/**
 * `workspace` and its descendants that `through` accepts, top-down (each
 * lead before its members): a descendant `through` rejects is left out with
 * its whole subtree, as the server's recursive query does.
 */
function subtree(tree: TeamTree, workspace: Workspace, through: (member: Workspace) => boolean): Workspace[] {
  const found = [workspace];
  const seen = new Set(found);
  for (let index = 0; index < found.length; index++) {
    for (const member of tree.childrenOf(found[index]!)) {
      if (seen.has(member) || !through(member)) continue;
      seen.add(member);
      found.push(member);
    }
  }
  return found;
}

/**
 * `POST /workspaces/:id/pause`: 404 for a removed or already paused
 * workspace; else it and every descendant not removed or paused (a paused
 * or removed member's own members are not reached) are paused, each with
 * its WORKSPACE_PAUSED, lead first.
 */
export function pauseTree(tree: TeamTree, workspace: Workspace): LifecycleAnswer {
  if (workspace.status === "removed" || workspace.status === "paused") return { status: 404, body: { error: "workspace not found or already paused" }, count: 0 };
  const targets = subtree(tree, workspace, (member) => member.status !== "removed" && member.status !== "paused");
  for (const target of targets) target.pause();
  return { status: 200, body: { status: "paused", paused_count: targets.length }, count: targets.length };
}

/**
 * `POST /workspaces/:id/resume`: 404 unless paused; 409 naming the nearest
 * paused ancestor; else it and every paused descendant (through paused
 * members only) are provisioned again, each with its WORKSPACE_PROVISIONING
 * now (lead first) and WORKSPACE_ONLINE `latency.online` ms later.
 */
export function resumeTree(tree: TeamTree, workspace: Workspace): LifecycleAnswer {
  if (workspace.status !== "paused") return { status: 404, body: { error: "workspace not found or not paused" }, count: 0 };
  const ancestor = pausedAncestor(tree, workspace);
  if (ancestor) return { status: 409, body: { error: resumeConflict(ancestor.spec.name) }, count: 0 };
  const targets = subtree(tree, workspace, (member) => member.status === "paused");
  for (const target of targets) target.resume();
  return { status: 200, body: { status: "provisioning", resumed_count: targets.length }, count: targets.length };
}

function resumeConflict(parentName: string): string {
  return `parent workspace "${parentName}" is paused — resume it first`;
}

/** The body of a forced answer that names none: the server's own body for that status where it has one. */
export function defaultFaultBody(action: LifecycleAction, status: number, parentName: string | undefined): Record<string, unknown> {
  if (status === 404) return { error: action === "pause" ? "workspace not found or already paused" : "workspace not found or not paused" };
  if (status === 409 && action === "resume") return { error: resumeConflict(parentName ?? "parent") };
  if (status === 500) return { error: "lookup failed" };
  if (status === 503) return { error: "provisioner not available" };
  if (status === 200) return action === "pause" ? { status: "paused", paused_count: 1 } : { status: "provisioning", resumed_count: 1 };
  return { error: `forced ${action} answer ${status}` };
}

/** Thrown for a `faults` request that cannot be used; its message says what would be right. */
export class FaultError extends Error {}

const FAULT_SHAPE = '{"pause"?: {"status": 100-599, "times"?: positive integer, "body"?: object} | null, "resume"?: … | null}';

/**
 * The forced pause and resume answers, per workspace id: the next attempt
 * to pause (resume) a workspace with one armed is answered with it, and
 * nothing is paused (resumed); after `times` attempts (never, without
 * `times`) the real behaviour applies again. Emptied by a reset.
 */
export class LifecycleFaults {
  private readonly byWorkspace = new Map<string, WorkspaceFaults>();

  /** The workspace's faults document. */
  of(workspaceId: string): WorkspaceFaults {
    const faults = this.byWorkspace.get(workspaceId);
    return { pause: faults?.pause ? { ...faults.pause } : null, resume: faults?.resume ? { ...faults.resume } : null };
  }

  /**
   * Sets a workspace's faults from a request body (module comment of
   * platform-server.ts): keys left out keep their value, null clears one.
   * Throws FaultError for a body it cannot use, before changing anything.
   */
  set(workspaceId: string, request: unknown, parentName: string | undefined): WorkspaceFaults {
    if (typeof request !== "object" || request === null || Array.isArray(request)) throw new FaultError(`body must be a JSON object ${FAULT_SHAPE}`);
    const unknown = Object.keys(request).filter((key) => key !== "pause" && key !== "resume");
    if (unknown.length > 0) throw new FaultError(`unknown fault key ${JSON.stringify(unknown[0])}; body is ${FAULT_SHAPE}`);
    const next = this.of(workspaceId);
    for (const action of ["pause", "resume"] as const) {
      const value = (request as Record<string, unknown>)[action];
      if (value !== undefined) next[action] = value === null ? null : forcedAnswer(action, value, parentName);
    }
    if (next.pause || next.resume) this.byWorkspace.set(workspaceId, next);
    else this.byWorkspace.delete(workspaceId);
    return this.of(workspaceId);
  }

  /** The forced answer for this attempt, if one is armed (one of its `times` used up). */
  take(workspaceId: string, action: LifecycleAction): LifecycleAnswer | undefined {
    const faults = this.byWorkspace.get(workspaceId);
    const forced = faults?.[action];
    if (!faults || !forced) return undefined;
    if (forced.remaining !== null) {
      forced.remaining -= 1;
      if (forced.remaining === 0) faults[action] = null;
      if (!faults.pause && !faults.resume) this.byWorkspace.delete(workspaceId);
    }
    return { status: forced.status, body: structuredClone(forced.body), count: 0 };
  }

  clear(): void {
    this.byWorkspace.clear();
  }
}

function forcedAnswer(action: LifecycleAction, value: unknown, parentName: string | undefined): ForcedAnswer {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new FaultError(`${action} must be an object {"status": …, "times"?: …, "body"?: …} or null, got ${JSON.stringify(value)}`);
  const { status, times, body, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw new FaultError(`unknown key ${JSON.stringify(extra[0])} in ${action}; known: status, times, body`);
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) throw new FaultError(`${action}.status must be an HTTP status 100-599, got ${JSON.stringify(status)}`);
  if (times !== undefined && (typeof times !== "number" || !Number.isInteger(times) || times < 1)) throw new FaultError(`${action}.times must be a positive integer (leave it out for every attempt), got ${JSON.stringify(times)}`);
  if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body))) throw new FaultError(`${action}.body must be a JSON object, got ${JSON.stringify(body)}`);
  return { status, body: (body as Record<string, unknown> | undefined) ?? defaultFaultBody(action, status, parentName), remaining: times ?? null };
}
