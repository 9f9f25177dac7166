import { describe, expect, it } from "vitest";
import { workspace } from "../fleet/testing/workspaces";
import { createOperationStore } from "./operation-store";
import { browserTabs } from "./testing/browser-tabs";
import { FakeStorage } from "./testing/fake-browser";
import { applyEvent, initialState } from "./transitions";

const DEADLINE = 8000;
const targets = [workspace("drains"), workspace("stuck")];
const seeds = targets.map((ws) => ({ workspaceId: ws.id, name: ws.name, protocol: "1.0" as const }));

/** Both targets drained at once: the operation is over. */
async function finishOn(b: ReturnType<typeof browserTabs>, tab: Awaited<ReturnType<ReturnType<typeof browserTabs>["openTab"]>>, fleet = "default") {
  expect(await tab.session.start(targets)).toMatchObject({ kind: "started" });
  b.fleetNamed(fleet).set("drains", { activeTasks: 0 });
  b.fleetNamed(fleet).set("stuck", { activeTasks: 0 });
  await b.advance(10);
  expect(tab.session.current()?.getState().phase).toBe("finished");
}

describe("an operation belongs to its fleet: the operation store", () => {
  it("what one fleet saved, another fleet does not load, and clearing one leaves the other", () => {
    const storage = new FakeStorage();
    const ofDefault = createOperationStore(storage, { fleet: "default", owner: "tab-a" });
    const ofLarge = createOperationStore(storage, { fleet: "large", owner: "tab-b" });
    ofDefault.save(initialState(seeds, 1_000, 1_000 + DEADLINE));
    expect(ofLarge.load()).toEqual({ kind: "none" });
    ofLarge.save(initialState(seeds, 2_000, 2_000 + DEADLINE));
    ofDefault.markRestartSent(1_000, "stuck", 1_000 + DEADLINE);
    ofLarge.clear();
    expect(ofLarge.load()).toEqual({ kind: "none" });
    const loaded = ofDefault.load();
    expect(loaded).toMatchObject({ kind: "found", owner: "tab-a", state: { startedAt: 1_000 } });
    expect(loaded.kind === "found" && loaded.state.targets[1]?.times.restartSentAt).toBe(1_000 + DEADLINE);
  });

  it("a restart marked sent for one fleet does not mark another fleet's operation", () => {
    const storage = new FakeStorage();
    const ofDefault = createOperationStore(storage, { fleet: "default" });
    const ofLarge = createOperationStore(storage, { fleet: "large" });
    // Same click time in both fleets: only the fleet in the key tells the marks apart.
    const watching = applyEvent(initialState(seeds, 1_000, 1_000 + DEADLINE), { type: "drained", workspaceId: "drains", at: 1_100 });
    ofDefault.save(watching);
    ofLarge.save(watching);
    ofDefault.markRestartSent(1_000, "stuck", 1_000 + DEADLINE);
    const loaded = ofLarge.load();
    expect(loaded.kind === "found" && loaded.state.targets[1]?.phase).toEqual(watching.targets[1]!.phase);
    expect(loaded.kind === "found" && loaded.state.targets[1]?.times.restartSentAt).toBeUndefined();
  });
});

describe("an operation belongs to its fleet: sessions", () => {
  it("a finished operation of one fleet is not shown on another, even in the same tab after a navigation", async () => {
    const b = browserTabs(targets);
    const onDefault = await b.openTab({ fleet: "default" });
    await finishOn(b, onDefault);
    onDefault.session.dispose(); // the tab navigates to ?scenario=large
    const onLarge = await b.openTab({ fleet: "large" });
    expect(onLarge.session.role()).toBe("none");
    expect(onLarge.session.current()).toBeUndefined();
    // Its own fleet still shows it.
    const backOnDefault = await b.openTab({ fleet: "default" });
    expect(backOnDefault.session.role()).toBe("observer");
    expect(backOnDefault.session.current()?.getState().phase).toBe("finished");
  });

  it("an operation running on one fleet does not block another fleet's Stop All: their locks are apart", async () => {
    const b = browserTabs(targets);
    const onDefault = await b.openTab({ fleet: "default" });
    const onLarge = await b.openTab({ fleet: "large" });
    expect(await onDefault.session.start(targets)).toMatchObject({ kind: "started" });
    await b.advance(300);
    expect(await onLarge.session.start(targets)).toMatchObject({ kind: "started" });
    await b.advance(300);
    expect(onLarge.session.role()).toBe("owner");
    expect(onDefault.session.role()).toBe("owner");
    expect(onLarge.platform.of("a2a").filter((r) => r.method === "ListTasks")).toHaveLength(2);
    // And the default fleet's tab still refuses a second one of its own.
    expect(await onDefault.session.start(targets)).toMatchObject({ kind: "already-running" });
  });

  it("an operation running on one fleet is not shown on another", async () => {
    const b = browserTabs(targets);
    const onDefault = await b.openTab({ fleet: "default" });
    const onLarge = await b.openTab({ fleet: "large" });
    await onDefault.session.start(targets);
    await b.advance(300);
    expect(onLarge.session.role()).toBe("none");
    expect(onLarge.session.current()).toBeUndefined();
    const openedLater = await b.openTab({ fleet: "large" });
    expect(openedLater.session.current()).toBeUndefined();
  });

  it("a page of another fleet never takes over a running operation whose owner closed; a page of its fleet does", async () => {
    const b = browserTabs(targets);
    const onDefault = await b.openTab({ fleet: "default" });
    const onLarge = await b.openTab({ fleet: "large" });
    await onDefault.session.start(targets);
    await b.advance(1000);
    onDefault.session.dispose();
    await b.advance(10);
    expect(onLarge.session.role()).toBe("none");
    const reopened = await b.openTab({ fleet: "default" });
    expect(reopened.session.role()).toBe("owner");
    b.fleet.set("drains", { activeTasks: 0 });
    await b.advance(DEADLINE + 20_000);
    expect(onLarge.platform.requests).toEqual([]);
    expect(reopened.platform.of("restart").map((r) => r.workspaceId)).toEqual(["stuck"]);
  });
});
