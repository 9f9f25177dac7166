import type { Workspace } from "../../platform/workspace";
import { workspace as testWorkspace } from "./rows";
import { FakeFleet } from "./fake-fleet";

/** A busy workspace row for tests; the id should say what the workspace does (`ignores-cancel`, `drains-at-6s`). */
export function workspace(id: string, patch: Partial<Workspace> = {}): Workspace {
  return testWorkspace(id, { activeTasks: 1, currentTask: "working", role: "", runtime: "claude-code", ...patch });
}

/** A fleet whose rows match the given workspaces. */
export function fleetOf(workspaces: readonly Workspace[]): FakeFleet {
  return new FakeFleet(Object.fromEntries(workspaces.map((ws) => [ws.id, { activeTasks: ws.activeTasks, status: ws.status }])));
}
