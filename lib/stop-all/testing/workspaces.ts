import type { Workspace } from "../../platform/workspace";
import { FakeFleet } from "./fake-fleet";

/** A workspace row for tests; the id should say what the workspace does (`ignores-cancel`, `drains-at-6s`). */
export function workspace(id: string, patch: Partial<Workspace> = {}): Workspace {
  return {
    id,
    name: id,
    role: "",
    tier: 1,
    status: "online",
    rawStatus: patch.status ?? "online",
    activeTasks: 1,
    currentTask: "working",
    protocol: "1.0",
    parentId: null,
    runtime: "claude-code",
    x: 0,
    y: 0,
    collapsed: false,
    ...patch,
  };
}

/** A fleet whose rows match the given workspaces. */
export function fleetOf(workspaces: readonly Workspace[]): FakeFleet {
  return new FakeFleet(Object.fromEntries(workspaces.map((ws) => [ws.id, { activeTasks: ws.activeTasks, status: ws.status }])));
}
