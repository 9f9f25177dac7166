import { describe, expect, it } from "vitest";
import type { PlatformEvent } from "../platform/events";
import { countWorkspaces, recount } from "./counts";
import { createFleetStore } from "./store";
import { workspace } from "./testing/rows";

const tasks = (workspaceId: string, at: number, activeTasks: number): PlatformEvent => ({ kind: "tasks", workspaceId, at, activeTasks });

/** The counts the slow way, to check the kept ones against. */
function recomputed(store: ReturnType<typeof createFleetStore>) {
  const { ids, workspaces } = store.getState();
  return countWorkspaces(ids, workspaces);
}

describe("fleet counts", () => {
  it("counts online, offline and busy (busy = a Stop All target)", () => {
    const rows = [
      workspace("a", { activeTasks: 2 }),
      workspace("b", { status: "degraded", activeTasks: 1 }),
      workspace("c", { status: "offline" }),
      workspace("d", { status: "hibernated", activeTasks: 3 }),
      workspace("e"),
    ];
    const byId = Object.fromEntries(rows.map((ws) => [ws.id, ws]));
    expect(countWorkspaces(["a", "b", "c", "d", "e"], byId)).toEqual({ online: 2, offline: 1, busy: 2 });
  });

  it("recount keeps the same object when nothing moved", () => {
    const counts = { online: 1, offline: 0, busy: 1 };
    expect(recount(counts, workspace("a", { activeTasks: 1 }), workspace("a", { activeTasks: 5 }))).toBe(counts);
    expect(recount(counts, workspace("a", { activeTasks: 1 }), workspace("a"))).toEqual({ online: 1, offline: 0, busy: 0 });
  });

  it("the store keeps them equal to a full recount through polls, events and removals", () => {
    const store = createFleetStore();
    store.getState().applyRows([workspace("a", { activeTasks: 1 }), workspace("b"), workspace("c", { status: "offline" })], [], store.getState().beginPoll());
    expect(store.getState().counts).toEqual({ online: 2, offline: 1, busy: 1 });
    store.getState().applyEvent(tasks("b", 1000, 2));
    store.getState().applyEvent({ kind: "status", workspaceId: "c", at: 1000, status: "online" });
    expect(store.getState().counts).toEqual({ online: 3, offline: 0, busy: 2 });
    store.getState().applyEvent({ kind: "status", workspaceId: "a", at: 2000, status: "provisioning" });
    store.getState().applyEvent({ kind: "removed", workspaceId: "b", at: 3000 });
    expect(store.getState().counts).toEqual(recomputed(store));
    expect(store.getState().counts).toEqual({ online: 1, offline: 0, busy: 0 });
    store.getState().applyRows([workspace("a"), workspace("d", { activeTasks: 4 })], [], store.getState().beginPoll());
    expect(store.getState().counts).toEqual(recomputed(store));
  });
});
