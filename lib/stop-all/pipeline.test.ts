import { describe, expect, it } from "vitest";
import { workspace } from "../fleet/testing/workspaces";
import { reply } from "../platform/testing/fake-platform";
import { stopAllHarness } from "./testing/harness";

describe("per-target pipeline", () => {
  it("a target's cancel follows its own listing at once, not after every other target's listing", async () => {
    const targets = Array.from({ length: 40 }, (_, i) => workspace(`busy-${i}`));
    const h = stopAllHarness(targets, { maxInFlight: 8 });
    for (const { id } of targets) {
      h.platform.onA2A(id, (request) =>
        request.method === "ListTasks"
          ? reply.after(40, reply.result({ tasks: [{ id: `task-${id}`, status: { state: "TASK_STATE_WORKING" } }] }))(request)
          : reply.after(300, reply.canceledTask())(request),
      );
    }
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
});
