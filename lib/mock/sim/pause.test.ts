import { describe, expect, it } from "vitest";
import { HEARTBEAT_MS } from "./ambient";
import { bodyOf, rpc, scenarioOf, startSim, type SimHarness } from "./testing/harness";

const nonHeartbeats = (h: SimHarness) => h.events.filter((e) => e.event !== "WORKSPACE_HEARTBEAT").map((e) => `${e.event} ${e.workspace_id}`);
const removeNow = (h: SimHarness, id: string) => {
  h.sim.setBehaviour(id, { faults: [{ answer: { kind: "not-found" } }] });
  expect(h.sim.handleA2A(id, rpc("GetTask", { id: "x" })).status).toBe(404);
};

/**
 * lead ─┬─ member ─┬─ grandchild
 *       │          └─ grandchild-removed (removed before the pause)
 *       ├─ member-paused (paused already) ── below-paused
 *       └─ member-idle
 * plus a workspace outside the team.
 */
const team = () =>
  scenarioOf([
    { id: "ws-lead" },
    { id: "ws-member", parentId: "ws-lead" },
    { id: "ws-grandchild", parentId: "ws-member" },
    { id: "ws-grandchild-removed", parentId: "ws-member" },
    { id: "ws-member-paused", parentId: "ws-lead", status: "paused", tasks: [] },
    { id: "ws-below-paused", parentId: "ws-member-paused" },
    { id: "ws-member-idle", parentId: "ws-lead", tasks: [] },
    { id: "ws-outsider" },
  ]);

describe("pause", () => {
  it("pauses the workspace and every descendant not removed or paused, level by level, one WORKSPACE_PAUSED each", () => {
    const h = startSim(team());
    removeNow(h, "ws-grandchild-removed");
    h.events.length = 0;
    expect(h.sim.handlePause("ws-lead")).toEqual({ status: 200, body: { status: "paused", paused_count: 4 } });
    expect(nonHeartbeats(h)).toEqual(["WORKSPACE_PAUSED ws-lead", "WORKSPACE_PAUSED ws-member", "WORKSPACE_PAUSED ws-member-idle", "WORKSPACE_PAUSED ws-grandchild"]);
    for (const id of ["ws-lead", "ws-member", "ws-grandchild", "ws-member-idle"]) {
      expect(h.row(id), id).toMatchObject({ status: "paused", active_tasks: 0, current_task: "", uptime_seconds: 0 });
    }
    expect(h.row("ws-grandchild-removed")).toBeUndefined();
    expect(h.row("ws-member-paused")!.status).toBe("paused");
    // The platform's recursive query goes down only through workspaces it pauses.
    expect(h.row("ws-below-paused")).toMatchObject({ status: "online", active_tasks: 1 });
    expect(h.row("ws-outsider")).toMatchObject({ status: "online", active_tasks: 1 });
  });

  it("a paused workspace's agent is unreachable and its work is lost", async () => {
    const h = startSim(team());
    h.sim.handlePause("ws-lead");
    expect(h.sim.handleA2A("ws-member", rpc("GetTask", { id: "task-ws-member-1" }))).toMatchObject({ status: 503, body: { status: "paused" } });
    h.sim.handleResume("ws-lead");
    await h.clock.advance(3000);
    expect(h.row("ws-member")).toMatchObject({ status: "online", active_tasks: 0 });
    expect((bodyOf(h.sim.handleA2A("ws-member", rpc("GetTask", { id: "task-ws-member-1" }))).error as { code: number }).code).toBe(-32001);
  });

  it("404 for an unknown, removed or already paused workspace; nothing changes", () => {
    const h = startSim(team());
    removeNow(h, "ws-grandchild-removed");
    const notFound = { status: 404, body: { error: "workspace not found or already paused" } };
    expect(h.sim.handlePause("ws-ghost")).toEqual(notFound);
    expect(h.sim.handlePause("ws-grandchild-removed")).toEqual(notFound);
    expect(h.sim.handlePause("ws-member-paused")).toEqual(notFound);
    expect(h.row("ws-below-paused")!.status).toBe("online");
    expect(h.sim.handlePause("ws-lead").status).toBe(200);
    expect(h.sim.handlePause("ws-lead")).toEqual(notFound);
    expect(h.sim.handlePause("ws-member")).toEqual(notFound);
  });

  it("500 lookup failed while the datastore is down; nothing changes", () => {
    const h = startSim(team());
    h.sim.setPlatformDown(true);
    expect(h.sim.handlePause("ws-lead")).toEqual({ status: 500, body: { error: "lookup failed" } });
    h.sim.setPlatformDown(false);
    expect(h.row("ws-lead")!.status).toBe("online");
  });

  it("a hibernated workspace can be paused: its stale count goes, it does not wake", async () => {
    const h = startSim(scenarioOf([{ id: "ws-h", status: "hibernated", tasks: [{ description: "stale" }] }]));
    expect(h.sim.handlePause("ws-h")).toMatchObject({ status: 200, body: { paused_count: 1 } });
    await h.clock.advance(60_000);
    expect(h.row("ws-h")).toMatchObject({ status: "paused", active_tasks: 0 });
    expect(nonHeartbeats(h)).toEqual(["WORKSPACE_PAUSED ws-h"]);
  });

  it("a pause during a restart wins: the restart's readiness does nothing", async () => {
    const h = startSim(scenarioOf([{ id: "ws-r", behaviour: { restart: { kind: "ok", restartMs: 2000 } } }]));
    h.sim.handleRestart("ws-r");
    await h.clock.advance(500);
    expect(h.sim.handlePause("ws-r").status).toBe(200);
    await h.clock.advance(5000);
    expect(h.row("ws-r")!.status).toBe("paused");
    expect(nonHeartbeats(h)).toEqual(["WORKSPACE_PROVISIONING ws-r", "WORKSPACE_PAUSED ws-r"]);
  });

  it("a descendant's own pause faults do not touch a cascade from above", () => {
    const h = startSim(scenarioOf([{ id: "ws-lead" }, { id: "ws-m", parentId: "ws-lead", behaviour: { pause: { kind: "fail", status: 500 } } }]));
    expect(h.sim.handlePause("ws-lead")).toMatchObject({ status: 200, body: { paused_count: 2 } });
    expect(h.row("ws-m")!.status).toBe("paused");
  });
});

describe("resume", () => {
  it("re-provisions the workspace and every paused descendant (whoever paused them): PROVISIONING each, then ONLINE after each one's restart time, idle", async () => {
    const h = startSim(
      scenarioOf([
        { id: "ws-lead", behaviour: { restart: { kind: "ok", restartMs: 1000 } } },
        { id: "ws-member", parentId: "ws-lead", behaviour: { restart: { kind: "ok", restartMs: 2000 } } },
        { id: "ws-grandchild", parentId: "ws-member", behaviour: { restart: { kind: "fail", status: 500 } } },
        { id: "ws-member-2", parentId: "ws-lead", behaviour: { restart: { kind: "ok", restartMs: 500 } } },
      ]),
    );
    // The member is paused on its own first; the lead's pause then takes the rest.
    expect(h.sim.handlePause("ws-member")).toMatchObject({ body: { paused_count: 2 } });
    expect(h.sim.handlePause("ws-lead")).toMatchObject({ body: { paused_count: 2 } });
    h.events.length = 0;
    expect(h.sim.handleResume("ws-lead")).toEqual({ status: 200, body: { status: "provisioning", resumed_count: 4 } });
    expect(nonHeartbeats(h)).toEqual(["WORKSPACE_PROVISIONING ws-lead", "WORKSPACE_PROVISIONING ws-member", "WORKSPACE_PROVISIONING ws-member-2", "WORKSPACE_PROVISIONING ws-grandchild"]);
    expect(h.row("ws-grandchild")!.status).toBe("provisioning");
    await h.clock.advance(3000);
    expect(nonHeartbeats(h).slice(4)).toEqual([
      "WORKSPACE_ONLINE ws-member-2",
      "TASK_UPDATED ws-member-2",
      "WORKSPACE_ONLINE ws-lead",
      "TASK_UPDATED ws-lead",
      "WORKSPACE_ONLINE ws-member",
      "TASK_UPDATED ws-member",
      // A `restart` that fails on request still has the platform's default time (3 s) to come up.
      "WORKSPACE_ONLINE ws-grandchild",
      "TASK_UPDATED ws-grandchild",
    ]);
    for (const id of ["ws-lead", "ws-member", "ws-grandchild", "ws-member-2"]) expect(h.row(id), id).toMatchObject({ status: "online", active_tasks: 0, current_task: "" });
    expect(h.eventsOf("TASK_UPDATED", "ws-lead")[0]!.payload).toEqual({ active_tasks: 0, current_task: "" });
  });

  it("goes down only through paused workspaces: a paused one below a running one stays paused", () => {
    const h = startSim(
      scenarioOf([
        { id: "ws-top", status: "paused", tasks: [] },
        { id: "ws-mid", parentId: "ws-top" },
        { id: "ws-leaf", parentId: "ws-mid", status: "paused", tasks: [] },
      ]),
    );
    expect(h.sim.handleResume("ws-top")).toMatchObject({ status: 200, body: { resumed_count: 1 } });
    expect(h.row("ws-leaf")!.status).toBe("paused");
  });

  it("404 for an unknown, removed or not paused workspace (hibernated and provisioning included)", () => {
    const h = startSim(scenarioOf([{ id: "ws-a" }, { id: "ws-h", status: "hibernated" }, { id: "ws-gone" }]));
    removeNow(h, "ws-gone");
    const notPaused = { status: 404, body: { error: "workspace not found or not paused" } };
    for (const id of ["ws-ghost", "ws-gone", "ws-a", "ws-h"]) expect(h.sim.handleResume(id), id).toEqual(notPaused);
    h.sim.handlePause("ws-a");
    expect(h.sim.handleResume("ws-a").status).toBe(200);
    expect(h.sim.handleResume("ws-a")).toEqual(notPaused);
  });

  it("409 under a paused ancestor, naming the nearest one; the operator resumes top-down", async () => {
    const h = startSim(
      scenarioOf([
        { id: "ws-top", name: "top" },
        { id: "ws-mid", name: "mid", parentId: "ws-top" },
        { id: "ws-leaf", name: "leaf", parentId: "ws-mid" },
      ]),
    );
    h.sim.handlePause("ws-top");
    expect(h.sim.handleResume("ws-leaf")).toEqual({ status: 409, body: { error: 'parent workspace "mid" is paused — resume it first' } });
    expect(h.sim.handleResume("ws-mid")).toEqual({ status: 409, body: { error: 'parent workspace "top" is paused — resume it first' } });
    expect(h.row("ws-leaf")!.status).toBe("paused");
    expect(h.sim.handleResume("ws-top")).toMatchObject({ status: 200, body: { resumed_count: 3 } });
  });

  it("409 passes over a running parent to a paused grandparent", () => {
    const h = startSim(
      scenarioOf([
        { id: "ws-top", name: "top", status: "paused", tasks: [] },
        { id: "ws-mid", name: "mid", parentId: "ws-top" },
        { id: "ws-leaf", name: "leaf", parentId: "ws-mid", status: "paused", tasks: [] },
      ]),
    );
    expect(h.sim.handleResume("ws-leaf")).toMatchObject({ status: 409, body: { error: 'parent workspace "top" is paused — resume it first' } });
  });

  it("503 provisioner not available while the platform is down; nothing changes", () => {
    const h = startSim(scenarioOf([{ id: "ws-a", status: "paused", tasks: [] }]));
    h.sim.setPlatformDown(true);
    expect(h.sim.handleResume("ws-a")).toEqual({ status: 503, body: { error: "provisioner not available" } });
    expect(h.row("ws-a")!.status).toBe("paused");
  });

  it("a cycle in parent ids ends the walks", () => {
    const h = startSim(scenarioOf([{ id: "ws-a", parentId: "ws-b" }, { id: "ws-b", parentId: "ws-a" }]));
    expect(h.sim.handlePause("ws-a")).toMatchObject({ status: 200, body: { paused_count: 2 } });
    expect(h.sim.handleResume("ws-a")).toMatchObject({ status: 409, body: { error: 'parent workspace "ws-b" is paused — resume it first' } });
  });
});

describe("restart under a paused parent", () => {
  it("409 while any ancestor is paused, nothing changes; fine once the ancestor is resumed", () => {
    const h = startSim(
      scenarioOf([
        { id: "ws-top", status: "paused", tasks: [] },
        { id: "ws-mid", parentId: "ws-top" },
        { id: "ws-leaf", parentId: "ws-mid", behaviour: { restart: { kind: "ok", restartMs: 100 } } },
      ]),
    );
    expect(h.sim.handleRestart("ws-leaf")).toEqual({ status: 409, body: { error: "cannot restart: parent workspace is paused" } });
    expect(h.sim.handleRestart("ws-mid").status).toBe(409);
    expect(h.row("ws-leaf")).toMatchObject({ status: "online", active_tasks: 1 });
    h.sim.handleResume("ws-top");
    expect(h.sim.handleRestart("ws-leaf")).toMatchObject({ status: 200 });
  });

  it("a 409 for a paused parent is no restart attempt: restartFaults still count from 1", () => {
    const h = startSim(scenarioOf([{ id: "ws-top" }, { id: "ws-leaf", parentId: "ws-top", behaviour: { restartFaults: [{ answer: { kind: "fail", status: 500 }, firstAttempts: 1 }] } }]));
    h.sim.handlePause("ws-top");
    expect(h.sim.handleRestart("ws-leaf").status).toBe(409);
    h.sim.handleResume("ws-top");
    expect(h.sim.handleRestart("ws-leaf").status).toBe(500);
    expect(h.sim.handleRestart("ws-leaf").status).toBe(200);
  });

  it("the paused workspace itself may be restarted, as the platform allows: it comes back online, idle", async () => {
    const h = startSim(scenarioOf([{ id: "ws-p", status: "paused", tasks: [], behaviour: { restart: { kind: "ok", restartMs: 100 } } }]));
    expect(h.sim.handleRestart("ws-p").status).toBe(200);
    await h.clock.advance(100);
    expect(h.row("ws-p")).toMatchObject({ status: "online", active_tasks: 0 });
  });
});

describe("a paused workspace takes no work", () => {
  it("no queued message on the heartbeat after a drain, no idle prompt; after a resume it comes back idle and stays so", async () => {
    const comesBack = { queuedMessage: { task: "queued #7", heartbeatMs: 2000 }, idlePrompt: { task: "idle prompt", afterMs: 3000 } };
    const h = startSim(scenarioOf([{ id: "ws-q", behaviour: { cancel: { kind: "honour", drainAfterMs: 500 }, comesBack, restart: { kind: "ok", restartMs: 100 } } }]));
    h.sim.handleA2A("ws-q", rpc("CancelTask", { id: "task-ws-q-1" }));
    await h.clock.advance(500);
    expect(h.row("ws-q")!.active_tasks).toBe(0);
    h.sim.handlePause("ws-q");
    await h.clock.advance(10_000);
    expect(h.row("ws-q")).toMatchObject({ status: "paused", active_tasks: 0 });
    h.sim.handleResume("ws-q");
    await h.clock.advance(10_000);
    expect(h.row("ws-q")).toMatchObject({ status: "online", active_tasks: 0 });
    expect(h.eventsOf("TASK_UPDATED", "ws-q").every((e) => e.payload.active_tasks === 0)).toBe(true);
  });

  it("a drain in flight at the pause does nothing, and arms nothing", async () => {
    const h = startSim(scenarioOf([{ id: "ws-d", behaviour: { cancel: { kind: "honour", drainAfterMs: 1000 }, comesBack: { queuedMessage: { task: "queued", heartbeatMs: 100 } } } }]));
    h.sim.handleA2A("ws-d", rpc("CancelTask", { id: "task-ws-d-1" }));
    await h.clock.advance(500);
    h.sim.handlePause("ws-d");
    await h.clock.advance(5000);
    expect(h.eventsOf("TASK_UPDATED", "ws-d")).toEqual([]);
    expect(h.row("ws-d")).toMatchObject({ status: "paused", active_tasks: 0 });
  });

  it("a chatty agent starts nothing while paused, no progress, no heartbeat; chatter comes back once it is online again", async () => {
    const chatty = { idleMs: [1000, 1000] as [number, number], taskMs: [500, 500] as [number, number], tasks: ["ping"] };
    const h = startSim(scenarioOf([{ id: "ws-c", tasks: [], behaviour: { chatty, restart: { kind: "ok", restartMs: 100 } } }, { id: "ws-p", behaviour: { progressEveryMs: 1000 } }]));
    h.sim.handlePause("ws-c");
    h.sim.handlePause("ws-p");
    await h.clock.advance(HEARTBEAT_MS * 2);
    expect(h.events.filter((e) => e.event !== "WORKSPACE_PAUSED")).toEqual([]);
    h.sim.handleResume("ws-c");
    await h.clock.advance(3000);
    expect(h.eventsOf("TASK_UPDATED", "ws-c").some((e) => e.payload.current_task === "ping")).toBe(true);
  });

  it("a chatty short task running at the pause is gone and never reported finished", async () => {
    const chatty = { idleMs: [1000, 1000] as [number, number], taskMs: [2000, 2000] as [number, number], tasks: ["ping"] };
    const h = startSim(scenarioOf([{ id: "ws-c", tasks: [], behaviour: { chatty } }]));
    await h.clock.advance(1000);
    expect(h.row("ws-c")!.active_tasks).toBe(1);
    h.sim.handlePause("ws-c");
    const updates = h.eventsOf("TASK_UPDATED", "ws-c").length;
    await h.clock.advance(10_000);
    expect(h.eventsOf("TASK_UPDATED", "ws-c")).toHaveLength(updates);
    expect(h.row("ws-c")).toMatchObject({ status: "paused", active_tasks: 0 });
  });
});
