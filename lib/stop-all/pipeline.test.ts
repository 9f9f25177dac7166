import { describe, expect, it } from "vitest";
import { workspace } from "../fleet/testing/workspaces";
import { type FakeHandler, reply } from "../platform/testing/fake-platform";
import { stopAllHarness } from "./testing/harness";

/** 40 busy targets whose agents list in 40 ms and answer a cancel in 300 ms, `maxInFlight` slots. */
function fortyBusy(maxInFlight: number) {
  const targets = Array.from({ length: 40 }, (_, i) => workspace(`busy-${i}`));
  const h = stopAllHarness(targets, { maxInFlight });
  for (const { id } of targets) h.platform.onA2A(id, agent(40));
  return { h, targets };
}

/** An agent with one working task: `ListTasks` answered after `listMs`, a cancel after 300 ms. */
function agent(listMs: number): FakeHandler {
  return (request) =>
    request.method === "ListTasks"
      ? reply.after(listMs, reply.result({ tasks: [{ id: `task-${request.workspaceId}`, status: { state: "TASK_STATE_WORKING" } }] }))(request)
      : reply.after(300, reply.canceledTask())(request);
}

describe("per-target pipeline", () => {
  it("a target's cancel follows its own listing at once, not after every other target's listing", async () => {
    const { h, targets } = fortyBusy(8);
    await h.start();
    await h.clock.advance(2000);
    const startedAt = h.state().startedAt;
    const sentAt = (method: string) => h.platform.requests.filter((request) => request.method === method).map((request) => request.at - startedAt);
    expect(sentAt("CancelTask")).toHaveLength(40);
    // Each cancel leaves the moment its own listing answered (40 ms after it was sent), whatever else is queued.
    for (const { id } of targets) {
      const [listing, cancel] = h.platform.requests.filter((request) => request.workspaceId === id);
      expect([listing?.method, cancel?.method, cancel!.at - listing!.at]).toEqual(["ListTasks", "CancelTask", 40]);
    }
    expect(sentAt("CancelTask")[0]).toBe(40);
    expect(h.platform.peakInFlight()).toBeLessThanOrEqual(8);
  });

  it("with a slot for every target, every listing leaves at once: none waits for other targets' cancels to end", async () => {
    const { h } = fortyBusy(40);
    await h.start();
    await h.clock.advance(2000);
    const startedAt = h.state().startedAt;
    const sentAt = (method: string) => [...new Set(h.platform.requests.filter((request) => request.method === method).map((request) => request.at - startedAt))];
    // With a share of the slots kept back for cancels, the last listings waited for cancels to end (300 ms).
    expect(sentAt("ListTasks")).toEqual([0]);
    expect(sentAt("CancelTask")).toEqual([40]);
  });

  it("a target waiting for the targets above it holds no slot meanwhile", async () => {
    const lead = workspace("lead");
    const [m1, m2] = ["m1", "m2"].map((id) => workspace(id, { parentId: "lead" }));
    const h = stopAllHarness([lead, m1!, m2!], { maxInFlight: 2 });
    h.platform.onA2A("lead", agent(500)).onA2A("m1", agent(40)).onA2A("m2", agent(40));
    await h.start();
    await h.clock.advance(2000);
    const startedAt = h.state().startedAt;
    const listedAt = (id: string) => h.platform.requests.find((request) => request.workspaceId === id && request.method === "ListTasks")!.at - startedAt;
    // m1's listing answered at 40, and m1 then waits for its lead: its slot goes to m2's listing at once.
    expect([listedAt("lead"), listedAt("m1"), listedAt("m2")]).toEqual([0, 0, 40]);
  });
});
