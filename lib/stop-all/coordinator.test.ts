import { describe, expect, it } from "vitest";
import { FakeClock, flushMicrotasks } from "../time/fake-clock";
import { createStopAllCoordinator } from "./coordinator";
import { FakePlatform } from "../platform/testing/fake-platform";
import { fleetOf, workspace } from "../fleet/testing/workspaces";

function setup() {
  const clock = new FakeClock();
  const platform = new FakePlatform(clock);
  const busy = [workspace("busy-1"), workspace("busy-2")];
  const fleet = fleetOf(busy);
  const coordinator = createStopAllCoordinator({ client: platform, fleet, clock });
  return { clock, platform, fleet, busy, coordinator };
}

describe("createStopAllCoordinator", () => {
  it("starts one operation; a second start while it runs returns the same one and sends nothing more", async () => {
    const { coordinator, busy, platform } = setup();
    const first = coordinator.start(busy);
    expect(first.kind).toBe("started");
    await flushMicrotasks();
    const requestsAfterFirst = platform.requests.length;
    const second = coordinator.start(busy);
    const third = coordinator.start([workspace("someone-else")]);
    expect(second).toEqual({ kind: "already-running", operation: first.kind === "started" ? first.operation : undefined });
    expect(third.kind).toBe("already-running");
    await flushMicrotasks();
    expect(platform.requests).toHaveLength(requestsAfterFirst);
    expect(platform.requests.every((request) => request.workspaceId.startsWith("busy-"))).toBe(true);
    expect(coordinator.isRunning()).toBe(true);
  });

  it("refuses to start without a busy workspace", () => {
    const { coordinator } = setup();
    expect(coordinator.start([workspace("idle", { activeTasks: 0 }), workspace("asleep", { status: "hibernated" })])).toEqual({ kind: "no-targets" });
    expect(coordinator.current()).toBeUndefined();
  });

  it("allows a new operation once the current one has finished; current() is the last one until then", async () => {
    const { coordinator, busy, fleet, clock } = setup();
    const first = coordinator.start(busy);
    await clock.advance(8000);
    expect(coordinator.isRunning()).toBe(false);
    expect(first.kind === "started" && coordinator.current()).toBe(first.kind === "started" ? first.operation : undefined);
    fleet.set("busy-1", { activeTasks: 1 });
    const second = coordinator.start(busy);
    expect(second.kind).toBe("started");
    expect(coordinator.current()).not.toBe(first.kind === "started" ? first.operation : undefined);
  });

  it("a disposed operation no longer blocks a new one", () => {
    const { coordinator, busy } = setup();
    const first = coordinator.start(busy);
    if (first.kind !== "started") throw new Error("expected a start");
    first.operation.dispose();
    expect(coordinator.start(busy).kind).toBe("started");
  });

  it("notifies subscribers when an operation starts and when its state changes", async () => {
    const { coordinator, busy, fleet } = setup();
    let calls = 0;
    const unsubscribe = coordinator.subscribe(() => calls++);
    coordinator.start(busy);
    expect(calls).toBe(1);
    fleet.set("busy-1", { activeTasks: 0 });
    expect(calls).toBeGreaterThan(1);
    const seen = calls;
    unsubscribe();
    fleet.set("busy-2", { activeTasks: 0 });
    expect(calls).toBe(seen);
  });

  it("dispose ends the current operation", async () => {
    const { coordinator, busy, clock, platform } = setup();
    coordinator.start(busy);
    coordinator.dispose();
    await clock.advance(20_000);
    expect(platform.of("restart")).toHaveLength(0);
    expect(coordinator.current()?.isDisposed()).toBe(true);
  });
});
