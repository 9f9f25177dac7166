import { describe, expect, it } from "vitest";
import { workspace } from "../fleet/testing/workspaces";
import { reply, type FakeHandler } from "../platform/testing/fake-platform";
import { PARENTS_FIRST_MAX_WAIT_MS } from "./parents-first";
import { stopAllHarness } from "./testing/harness";

const listing = (id: string) => reply.result({ tasks: [{ id: `task-${id}`, status: { state: "TASK_STATE_WORKING" } }] });
/** ListTasks answered after `listMs`, CancelTask after 300 ms. */
const agent = (id: string, listMs: number): FakeHandler => (request) =>
  request.method === "ListTasks" ? reply.after(listMs, listing(id))(request) : reply.after(300, reply.canceledTask())(request);

function cancelAt(h: ReturnType<typeof stopAllHarness>, id: string): number | undefined {
  return h.platform.requests.find((request) => request.workspaceId === id && request.method === "CancelTask")?.at;
}

describe("parents first", () => {
  it("a lead's cancel goes out before its members', even when the members' listings answer first", async () => {
    const lead = workspace("lead");
    const members = ["m1", "m2"].map((id) => workspace(id, { parentId: "lead" }));
    // Given children first: the order of the targets does not matter.
    const h = stopAllHarness([...members, lead]);
    h.platform.onA2A("lead", agent("lead", 120)).onA2A("m1", agent("m1", 10)).onA2A("m2", agent("m2", 10));
    await h.start();
    await h.clock.advance(1000);
    const leadAt = cancelAt(h, "lead")!;
    expect(leadAt - h.state().startedAt).toBe(120);
    for (const id of ["m1", "m2"]) expect(cancelAt(h, id)).toBe(leadAt);
    // The members' cancels are handed over after the lead's, in the same instant.
    const order = h.platform.requests.filter((request) => request.method === "CancelTask").map((request) => request.workspaceId);
    expect(order[0]).toBe("lead");
    // Listings are not held back: every target's goes out at once, leads first.
    expect(h.platform.requests.filter((request) => request.method === "ListTasks").map((r) => [r.workspaceId, r.at - h.state().startedAt])).toEqual([
      ["lead", 0],
      ["m1", 0],
      ["m2", 0],
    ]);
  });

  it("goes through members that are not targets (a grandchild waits for its grandparent), and ignores targets in other teams", async () => {
    const top = workspace("top");
    const grandchild = workspace("grandchild", { parentId: "idle-mid" });
    const other = workspace("other-team");
    const h = stopAllHarness([grandchild, other, top]);
    h.fleet.set("idle-mid", { activeTasks: 0, status: "online", parentId: "top" });
    h.platform.onA2A("top", agent("top", 200)).onA2A("grandchild", agent("grandchild", 10)).onA2A("other-team", agent("other-team", 10));
    await h.start();
    await h.clock.advance(1000);
    const startedAt = h.state().startedAt;
    expect([cancelAt(h, "top")! - startedAt, cancelAt(h, "grandchild")! - startedAt, cancelAt(h, "other-team")! - startedAt]).toEqual([200, 200, 10]);
  });

  it("a lead with nothing to cancel, or whose phase 1 failed, lets its members go at once", async () => {
    const h = stopAllHarness([workspace("lead"), workspace("m1", { parentId: "lead" })]);
    h.platform.onA2A("lead", (request) => reply.after(50, reply.result({ tasks: [] }))(request)).onA2A("m1", agent("m1", 10));
    await h.start();
    await h.clock.advance(1000);
    expect(cancelAt(h, "lead")).toBeUndefined();
    expect(cancelAt(h, "m1")! - h.state().startedAt).toBe(50);
  });

  it("a lead whose listing hangs holds its members back at most PARENTS_FIRST_MAX_WAIT_MS, and a parent cycle does not hang", async () => {
    const h = stopAllHarness([workspace("lead", { parentId: "m1" }), workspace("m1", { parentId: "lead" }), workspace("m2", { parentId: "lead" })]);
    h.platform.onA2A("lead", reply.hang()).onA2A("m1", agent("m1", 10)).onA2A("m2", agent("m2", 10));
    await h.start();
    await h.clock.advance(3000);
    const startedAt = h.state().startedAt;
    expect(cancelAt(h, "lead")).toBeUndefined();
    expect(cancelAt(h, "m2")! - startedAt).toBe(10 + PARENTS_FIRST_MAX_WAIT_MS);
    expect(cancelAt(h, "m1")! - startedAt).toBe(10 + PARENTS_FIRST_MAX_WAIT_MS);
  });

  it("a member that drains while it waits for its lead sends no cancel", async () => {
    const h = stopAllHarness([workspace("lead"), workspace("m1", { parentId: "lead" })]);
    h.platform.onA2A("lead", agent("lead", 300)).onA2A("m1", agent("m1", 10));
    await h.start();
    await h.clock.advance(100);
    h.fleet.set("m1", { activeTasks: 0 });
    h.fleet.notify(["m1"]);
    await h.clock.advance(1000);
    expect(cancelAt(h, "m1")).toBeUndefined();
    expect(cancelAt(h, "lead")! - h.state().startedAt).toBe(300);
  });
});
