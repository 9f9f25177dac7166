import { describe, expect, it } from "vitest";
import type { PlatformEvent } from "../platform/events";
import { createFleetStore, fleetViewOf } from "./store";
import { workspace } from "./testing/rows";

const tasks = (workspaceId: string, at: number, activeTasks: number, extra: Partial<PlatformEvent> = {}): PlatformEvent =>
  ({ kind: "tasks", workspaceId, at, activeTasks, currentTask: activeTasks ? "work" : "", ...extra }) as PlatformEvent;

function loadedStore(...rows: ReturnType<typeof workspace>[]) {
  const store = createFleetStore();
  store.getState().applyRows(rows, [], store.getState().beginPoll());
  return store;
}

describe("fleet store ordering", () => {
  it("applies rows and events", () => {
    const store = loadedStore(workspace("a", { activeTasks: 2 }));
    store.getState().applyEvent(tasks("a", 1000, 0));
    expect(store.getState().workspaces.a?.activeTasks).toBe(0);
  });

  it("never lets a poll sent before an event overwrite that event", () => {
    const store = loadedStore(workspace("a", { activeTasks: 2 }));
    const pollSeq = store.getState().beginPoll(); // poll sent...
    store.getState().applyEvent(tasks("a", 1000, 0)); // ...event arrives...
    store.getState().applyRows([workspace("a", { activeTasks: 2, name: "renamed" })], [], pollSeq); // ...stale answer lands
    expect(store.getState().workspaces.a?.activeTasks).toBe(0);
    expect(store.getState().workspaces.a?.name).toBe("renamed");
  });

  it("lets a poll sent after an event replace it", () => {
    const store = loadedStore(workspace("a", { activeTasks: 2 }));
    store.getState().applyEvent(tasks("a", 1000, 0));
    const pollSeq = store.getState().beginPoll();
    store.getState().applyRows([workspace("a", { activeTasks: 3 })], [], pollSeq);
    expect(store.getState().workspaces.a?.activeTasks).toBe(3);
  });

  it("ignores a poll answer older than the rows already applied", () => {
    const store = loadedStore(workspace("a", { activeTasks: 2 }));
    const older = store.getState().beginPoll();
    const newer = store.getState().beginPoll();
    store.getState().applyRows([workspace("a", { activeTasks: 5 })], [], newer);
    store.getState().applyRows([workspace("a", { activeTasks: 1 })], [], older);
    expect(store.getState().workspaces.a?.activeTasks).toBe(5);
  });

  it("drops out-of-order and duplicated events", () => {
    const store = loadedStore(workspace("a", { activeTasks: 2 }));
    store.getState().applyEvent(tasks("a", 2000, 0));
    store.getState().applyEvent(tasks("a", 1000, 4));
    expect(store.getState().workspaces.a?.activeTasks).toBe(0);
    const before = store.getState().workspaces;
    store.getState().applyEvent(tasks("a", 2000, 0));
    expect(store.getState().workspaces).toBe(before);
  });

  it("keeps status and task ordering apart", () => {
    const store = loadedStore(workspace("a", { activeTasks: 1 }));
    store.getState().applyEvent({ kind: "status", workspaceId: "a", at: 3000, status: "degraded" });
    store.getState().applyEvent(tasks("a", 2000, 0));
    expect(store.getState().workspaces.a).toMatchObject({ status: "degraded", activeTasks: 0 });
  });

  it("treats provisioning as the end of in-flight work", () => {
    const store = loadedStore(workspace("a", { activeTasks: 3, currentTask: "x" }));
    store.getState().applyEvent({ kind: "status", workspaceId: "a", at: 1000, status: "provisioning" });
    expect(store.getState().workspaces.a).toMatchObject({ status: "provisioning", activeTasks: 0, currentTask: "" });
  });

  it("does not resurrect a removed workspace from a poll sent before the removal", () => {
    const store = loadedStore(workspace("a"), workspace("b"));
    const pollSeq = store.getState().beginPoll();
    store.getState().applyEvent({ kind: "removed", workspaceId: "a", at: 1000 });
    store.getState().applyRows([workspace("a"), workspace("b")], [], pollSeq);
    expect(store.getState().ids).toEqual(["b"]);
    // A poll sent after the removal is authoritative again.
    store.getState().applyRows([workspace("a"), workspace("b")], [], store.getState().beginPoll());
    expect(store.getState().ids).toEqual(["a", "b"]);
  });

  it("keeps object identity for unchanged workspaces", () => {
    const store = loadedStore(workspace("a"), workspace("b"));
    const { workspaces, ids } = store.getState();
    store.getState().applyRows([workspace("a"), workspace("b", { activeTasks: 1 })], [], store.getState().beginPoll());
    expect(store.getState().workspaces.a).toBe(workspaces.a);
    expect(store.getState().workspaces.b).not.toBe(workspaces.b);
    expect(store.getState().ids).toBe(ids);
  });

  it("ignores events for workspaces it has no row for, but remembers their task ids", () => {
    const store = loadedStore(workspace("a"));
    store.getState().applyEvent(tasks("ghost", 1000, 1, { taskId: "t-1" } as Partial<PlatformEvent>));
    expect(store.getState().workspaces.ghost).toBeUndefined();
    expect(fleetViewOf(store).knownTaskIds("ghost")).toEqual(["t-1"]);
  });

  it("an event that came before the first rows listing its workspace wins over those rows when the poll was sent before it", () => {
    const store = createFleetStore();
    const pollSeq = store.getState().beginPoll(); // the first poll is sent...
    store.getState().applyEvent(tasks("late-row", 1000, 1, { taskId: "t-9" } as Partial<PlatformEvent>)); // ...work starts...
    store.getState().applyRows([workspace("late-row", { activeTasks: 0 })], [], pollSeq); // ...rows read before it land
    expect(store.getState().workspaces["late-row"]?.activeTasks).toBe(1);
    expect(store.getState().counts).toMatchObject({ busy: 1 });
    // A poll sent after the event is authoritative again.
    store.getState().applyRows([workspace("late-row", { activeTasks: 0 })], [], store.getState().beginPoll());
    expect(store.getState().workspaces["late-row"]?.activeTasks).toBe(0);
  });

  it("an early event older than the poll that lists its workspace is dropped: the poll knows better", () => {
    const store = createFleetStore();
    store.getState().applyEvent(tasks("w", 1000, 3));
    store.getState().applyRows([workspace("w", { activeTasks: 0 })], [], store.getState().beginPoll());
    expect(store.getState().workspaces.w?.activeTasks).toBe(0);
  });

  it("forgets the task ids it saw once the workspace is idle or (re)starting: they are over", () => {
    const store = loadedStore(workspace("a", { activeTasks: 1 }), workspace("b", { activeTasks: 1 }));
    store.getState().applyEvent(tasks("a", 1000, 1, { taskId: "t-1" } as Partial<PlatformEvent>));
    store.getState().applyEvent(tasks("b", 1000, 1, { taskId: "t-2" } as Partial<PlatformEvent>));
    store.getState().applyEvent(tasks("a", 2000, 0));
    store.getState().applyEvent({ kind: "status", workspaceId: "b", at: 2000, status: "provisioning" });
    expect([fleetViewOf(store).knownTaskIds("a"), fleetViewOf(store).knownTaskIds("b")]).toEqual([[], []]);
  });

  it("exposes a FleetView that reports removal and notifies subscribers", () => {
    const store = loadedStore(workspace("a", { activeTasks: 1 }));
    const view = fleetViewOf(store);
    const seen: (number | undefined)[] = [];
    const stop = view.subscribe(() => seen.push(view.get("a")?.activeTasks));
    store.getState().applyEvent(tasks("a", 1000, 0, { taskId: "t-9" } as Partial<PlatformEvent>));
    store.getState().applyEvent({ kind: "removed", workspaceId: "a", at: 2000 });
    stop();
    expect(seen).toEqual([0, undefined]);
    expect(view.knownTaskIds("a")).toEqual(["t-9"]);
  });
});

describe("fleet store at scale", () => {
  it("tells its FleetView subscribers what a change touched: one id per event, undefined for a poll, nothing for the connection", () => {
    const store = loadedStore(workspace("a", { activeTasks: 1 }), workspace("b", { activeTasks: 1 }));
    const heard: (readonly string[] | undefined)[] = [];
    fleetViewOf(store).subscribe((changed) => heard.push(changed));
    store.getState().applyEvent(tasks("b", 1000, 0));
    store.getState().applyRows([workspace("a", { activeTasks: 0 }), workspace("b")], [], store.getState().beginPoll());
    store.getState().setConnection("live");
    expect(heard).toEqual([["b"], undefined, []]);
  });

  it("notifies nobody for an event that changes nothing (a heartbeat repeating the count)", () => {
    const store = loadedStore(workspace("a", { activeTasks: 2 }));
    let notified = 0;
    store.subscribe(() => notified++);
    store.getState().applyEvent({ kind: "tasks", workspaceId: "a", at: 1000, activeTasks: 2 });
    store.getState().applyEvent(tasks("ghost", 1000, 1));
    expect(notified).toBe(0);
    store.getState().applyEvent(tasks("a", 2000, 0));
    expect(notified).toBe(1);
  });

  it("still orders by the clock an event that changed nothing", () => {
    const store = loadedStore(workspace("a", { activeTasks: 2 }));
    store.getState().applyEvent({ kind: "tasks", workspaceId: "a", at: 2000, activeTasks: 2 });
    store.getState().applyEvent(tasks("a", 1000, 0));
    expect(store.getState().workspaces.a?.activeTasks).toBe(2);
  });

  it("bumps version only when a workspace changed, and gives the changed one a new object", () => {
    const store = loadedStore(workspace("a", { activeTasks: 2 }), workspace("b"));
    const { version, workspaces } = store.getState();
    const b = workspaces.b;
    store.getState().applyEvent(tasks("a", 1000, 0));
    expect(store.getState().version).toBe(version + 1);
    expect(store.getState().workspaces.b).toBe(b);
    store.getState().applyRows([workspace("a"), workspace("b")], [], store.getState().beginPoll());
    expect(store.getState().version).toBe(version + 1);
  });

  it("applies thousands of events to a 5,000-workspace fleet without copying the fleet per event", () => {
    const rows = Array.from({ length: 5000 }, (_, i) => workspace(`ws-${i}`, { activeTasks: i % 5 === 1 ? 1 : 0 }));
    const store = createFleetStore();
    store.getState().applyRows(rows, [], store.getState().beginPoll());
    const record = store.getState().workspaces;
    for (let i = 0; i < 5000; i++) {
      store.getState().applyEvent(tasks(`ws-${i}`, 1000 + i, 0)); // a drain, or a heartbeat repeating 0
      store.getState().applyEvent({ kind: "tasks", workspaceId: `ws-${i}`, at: 1000 + i, activeTasks: 0 });
    }
    // Copying a 5,000-entry record per event took ~2 ms each (20 s here): the record is updated in place.
    expect(store.getState().workspaces).toBe(record);
    expect(store.getState().counts.busy).toBe(0);
  });
});

describe("a row that turns malformed", () => {
  it("keeps the workspace's last known state instead of treating it as removed", () => {
    const store = createFleetStore();
    store.getState().applyRows([workspace("a", { activeTasks: 2 }), workspace("b")], [], store.getState().beginPoll());
    const before = store.getState().workspaces.a;
    store.getState().applyRows([workspace("b")], [{ index: 0, id: "a", message: "row 0 (a) dropped: active_tasks must not be negative" }], store.getState().beginPoll());
    expect(store.getState().ids).toEqual(["a", "b"]);
    expect(store.getState().workspaces.a).toBe(before);
    expect(store.getState().warnings).toHaveLength(1);
    expect(fleetViewOf(store).get("a")).toMatchObject({ activeTasks: 2, status: "online" });
  });

  it("shows new warnings even when the rows did not change", () => {
    const store = createFleetStore();
    store.getState().applyRows([workspace("a")], [], store.getState().beginPoll());
    store.getState().applyRows([workspace("a")], [{ index: 1, message: "row 1 dropped: id is not a valid workspace id" }], store.getState().beginPoll());
    expect(store.getState().warnings).toHaveLength(1);
  });
});
