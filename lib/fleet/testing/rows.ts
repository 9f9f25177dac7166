import type { Workspace } from "../../platform/workspace";

/** A valid parsed workspace for tests; override what the test is about. */
export function workspace(id: string, overrides: Partial<Workspace> = {}): Workspace {
  return {
    id,
    name: id,
    role: "worker",
    tier: 1,
    status: "online",
    rawStatus: "online",
    activeTasks: 0,
    currentTask: "",
    protocol: "1.0",
    parentId: null,
    runtime: "langgraph",
    x: 0,
    y: 0,
    collapsed: false,
    ...overrides,
    ...(overrides.status && !overrides.rawStatus ? { rawStatus: overrides.status } : {}),
  };
}
