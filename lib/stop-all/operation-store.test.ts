import { describe, expect, it } from "vitest";
import { createOperationStore, LEGACY_OPERATION_KEY, operationKey } from "./operation-store";
import { FakeStorage } from "./testing/fake-browser";
import { targetOf } from "./targets";
import { applyEvent, initialState } from "./transitions";
import type { StopAllState } from "./types";

const T0 = 1_000;
const fleet = "default";
const OPERATION_KEY = operationKey(fleet);
const seeds = ["a", "b", "c"].map((id) => ({ workspaceId: id, name: id, protocol: "1.0" as const }));

function running(): StopAllState {
  let state = initialState(seeds, T0, T0 + 8000);
  state = applyEvent(state, { type: "drained", workspaceId: "b", at: T0 + 100 });
  return applyEvent(state, { type: "cancel-finished", workspaceId: "c", at: T0 + 200, finding: { idSource: "none", listing: { kind: "not-supported" }, cancels: [], headline: { kind: "no-task-id" } } });
}

function load(stored: unknown) {
  const storage = new FakeStorage();
  storage.setItem(OPERATION_KEY, JSON.stringify(stored));
  return createOperationStore(storage, { fleet }).load();
}

describe("operation store", () => {
  it("gives back what it saved, targets in order, counts recomputed", () => {
    const storage = new FakeStorage();
    const store = createOperationStore(storage, { fleet });
    const state = running();
    store.save(state);
    const loaded = store.load();
    expect(loaded).toEqual({ kind: "found", state: JSON.parse(JSON.stringify(state)) });
    if (loaded.kind !== "found") return;
    expect(loaded.state.counts).toEqual({ cancelling: 1, watching: 1, restarting: 0, holding: 0, settled: 1 });
    expect(targetOf(loaded.state, "b")?.phase).toEqual({ kind: "settled", outcome: { kind: "drained" } });
  });

  it("names the tab that saved it, so other tabs can ask whether that tab still lives", () => {
    const storage = new FakeStorage();
    createOperationStore(storage, { fleet, owner: "tab-a" }).save(running());
    expect(createOperationStore(storage, { fleet, owner: "tab-b" }).load()).toMatchObject({ kind: "found", owner: "tab-a" });
    const unnamed = JSON.parse(storage.getItem(OPERATION_KEY)!) as { owner?: string };
    delete unnamed.owner;
    expect(load(unnamed)).not.toHaveProperty("owner");
    expect(load({ ...unnamed, owner: 7 })).toMatchObject({ kind: "unreadable", message: expect.stringContaining("owner") });
  });

  it("never trusts stored counts", () => {
    const state = running();
    const loaded = load({ version: 2, state: { ...state, counts: { cancelling: 0, watching: 0, restarting: 0, settled: 3 } } });
    expect(loaded.kind === "found" && loaded.state.counts).toEqual({ cancelling: 1, watching: 1, restarting: 0, holding: 0, settled: 1 });
  });

  it("still reads the version 1 shape (targets keyed by id), so an upgrade mid-operation loses nothing", () => {
    const state = running();
    const keyed = Object.fromEntries(state.targets.map((target) => [target.workspaceId, target]));
    const version1 = { ...state, targets: keyed, counts: undefined };
    const loaded = load({ version: 1, state: version1 });
    expect(loaded.kind).toBe("found");
    if (loaded.kind !== "found") return;
    expect(loaded.state.targets.map((target) => target.workspaceId)).toEqual(["a", "b", "c"]);
    expect(loaded.state.counts).toEqual(state.counts);
  });

  it.each([
    ["a target missing from the array", (s: StopAllState) => ({ version: 2, state: { ...s, targets: s.targets.slice(0, 2) } }), "no target for c"],
    ["targets out of order", (s: StopAllState) => ({ version: 2, state: { ...s, targets: [s.targets[1], s.targets[0], s.targets[2]] } }), "no target for a"],
    ["a target not in the order", (s: StopAllState) => ({ version: 2, state: { ...s, targets: [...s.targets, { ...s.targets[0]!, workspaceId: "d" }] } }), "a target not in the order"],
    ["version 1 without a target of the order", (s: StopAllState) => ({ version: 1, state: { ...s, targets: { a: s.targets[0], b: s.targets[1] } } }), "no target for c"],
    ["an unknown version", (s: StopAllState) => ({ version: 3, state: s }), "unexpected shape"],
  ])("refuses %s with a message", (_, shape, message) => {
    const loaded = load(shape(running()));
    expect(loaded.kind).toBe("unreadable");
    expect(loaded.kind === "unreadable" && loaded.message).toContain(message);
  });

  it("a restart marked sent turns its target restarting, and the counts follow", () => {
    const storage = new FakeStorage();
    const store = createOperationStore(storage, { fleet });
    store.save(running());
    store.markRestartSent(T0, "a", T0 + 8001);
    const loaded = store.load();
    expect(loaded.kind === "found" && targetOf(loaded.state, "a")).toMatchObject({ phase: { kind: "restarting", trigger: "deadline" }, times: { restartSentAt: T0 + 8001 } });
    expect(loaded.kind === "found" && loaded.state.counts).toEqual({ cancelling: 0, watching: 1, restarting: 1, holding: 0, settled: 1 });
  });

  it("an older build's record (one per browser, no fleet) is read, with its restart marks, only by the fleet it belonged to, and cleared with it", () => {
    const storage = new FakeStorage();
    storage.setItem(LEGACY_OPERATION_KEY, JSON.stringify({ version: 2, owner: "old-tab", state: running() }));
    storage.setItem(`fleet-canvas:stop-all:restart-sent:${T0}:a`, String(T0 + 8001)); // the older build's mark
    const live = createOperationStore(storage, { fleet: "live", legacy: true });
    expect(live.keys).toEqual([operationKey("live"), LEGACY_OPERATION_KEY]);
    const loaded = live.load();
    expect(loaded).toMatchObject({ kind: "found", owner: "old-tab" });
    expect(loaded.kind === "found" && targetOf(loaded.state, "a")?.times.restartSentAt).toBe(T0 + 8001);
    expect(createOperationStore(storage, { fleet: "default" }).load()).toEqual({ kind: "none" });
    expect(createOperationStore(storage, { fleet: "default" }).keys).toEqual([operationKey("default")]);

    // Its own record, once written, is the one read; clearing forgets both, marks included.
    live.save(initialState(seeds, T0 + 50_000, T0 + 58_000));
    expect(live.load()).toMatchObject({ kind: "found", state: { startedAt: T0 + 50_000 } });
    expect(storage.getItem(LEGACY_OPERATION_KEY)).not.toBeNull();
    live.clear();
    expect(live.load()).toEqual({ kind: "none" });
    expect(storage.length).toBe(0);
  });

  it("a fleet's name cannot make its keys run into another fleet's", () => {
    expect(operationKey("a:restart-sent")).toBe("fleet-canvas:stop-all:a%3Arestart-sent");
    const storage = new FakeStorage();
    createOperationStore(storage, { fleet: "a:b" }).save(running());
    createOperationStore(storage, { fleet: "a" }).clear();
    expect(createOperationStore(storage, { fleet: "a:b" }).load().kind).toBe("found");
  });
});
