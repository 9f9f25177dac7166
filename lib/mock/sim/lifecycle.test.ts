import { describe, expect, it } from "vitest";
import { HEARTBEAT_MS } from "./ambient";
import { bodyOf, rpc, scenarioOf, startSim } from "./testing/harness";

describe("restart", () => {
  it("ok: 200 provisioning, then online after restartMs with 0 tasks and the events", async () => {
    const h = startSim(scenarioOf([{ id: "ws-r", behaviour: { restart: { kind: "ok", restartMs: 2000 } } }]));
    expect(h.sim.handleRestart("ws-r")).toMatchObject({ status: 200, body: { status: "provisioning" } });
    expect(h.row("ws-r")).toMatchObject({ status: "provisioning", active_tasks: 1 });
    expect(h.eventsOf("WORKSPACE_PROVISIONING", "ws-r")).toHaveLength(1);
    // The work is lost at once: the fresh agent knows no task.
    expect(h.sim.handleA2A("ws-r", rpc("GetTask", { id: "task-ws-r-1" })).status).toBe(503);

    await h.clock.advance(1999);
    expect(h.row("ws-r")!.status).toBe("provisioning");
    await h.clock.advance(1);
    expect(h.row("ws-r")).toMatchObject({ status: "online", active_tasks: 0, current_task: "" });
    const order = h.events.filter((e) => e.event !== "WORKSPACE_HEARTBEAT").map((e) => e.event);
    expect(order).toEqual(["WORKSPACE_PROVISIONING", "WORKSPACE_ONLINE", "TASK_UPDATED"]);
    expect(h.eventsOf("TASK_UPDATED", "ws-r")[0]!.payload).toMatchObject({ active_tasks: 0 });
    expect((bodyOf(h.sim.handleA2A("ws-r", rpc("GetTask", { id: "task-ws-r-1" }))).error as { code: number }).code).toBe(-32001);
  });

  it("a second restart while provisioning is coalesced", async () => {
    const h = startSim(scenarioOf([{ id: "ws-r", behaviour: { restart: { kind: "ok", restartMs: 2000 } } }]));
    h.sim.handleRestart("ws-r");
    await h.clock.advance(1000);
    expect(h.sim.handleRestart("ws-r")).toMatchObject({ status: 200 });
    await h.clock.advance(1000);
    expect(h.row("ws-r")!.status).toBe("online");
    expect(h.eventsOf("WORKSPACE_PROVISIONING", "ws-r")).toHaveLength(1);
  });

  it.each([404, 409, 500, 503])("fail with %i: nothing changes", async (status) => {
    const h = startSim(scenarioOf([{ id: "ws-r", behaviour: { restart: { kind: "fail", status } } }]));
    const answer = h.sim.handleRestart("ws-r");
    expect(answer.status).toBe(status);
    expect(bodyOf(answer)).toHaveProperty("error");
    await h.clock.advance(10_000);
    expect(h.row("ws-r")).toMatchObject({ status: "online", active_tasks: 1 });
  });

  it("hang: the answer is lost but the restart happens", async () => {
    const h = startSim(scenarioOf([{ id: "ws-r", behaviour: { restart: { kind: "hang", restartMs: 1000 } } }]));
    expect(h.sim.handleRestart("ws-r")).toMatchObject({ hang: true });
    await h.clock.advance(1000);
    expect(h.row("ws-r")).toMatchObject({ status: "online", active_tasks: 0 });
  });
});

describe("hibernation", () => {
  it("a request to a hibernated workspace answers 503 waking and wakes it (provisioning → online)", async () => {
    const h = startSim(scenarioOf([{ id: "ws-h", status: "hibernated", tasks: [{ description: "stale" }, { description: "stale 2" }], behaviour: { wakeMs: 4000 } }]));
    expect(h.row("ws-h")).toMatchObject({ status: "hibernated", active_tasks: 2, uptime_seconds: 0 });
    const answer = h.sim.handleA2A("ws-h", rpc("ListTasks", {}));
    expect(answer).toMatchObject({ status: 503, headers: { "Retry-After": "15" }, body: { waking: true } });
    expect(h.row("ws-h")!.status).toBe("provisioning");
    await h.clock.advance(4000);
    expect(h.row("ws-h")).toMatchObject({ status: "online", active_tasks: 0 });
    expect(h.events.filter((e) => e.workspace_id === "ws-h" && e.event !== "WORKSPACE_HEARTBEAT").map((e) => e.event)).toEqual([
      "WORKSPACE_PROVISIONING",
      "WORKSPACE_ONLINE",
      "TASK_UPDATED",
    ]);
  });

  it("left alone, it stays hibernated with its stale count", async () => {
    const h = startSim(scenarioOf([{ id: "ws-h", status: "hibernated" }]));
    await h.clock.advance(120_000);
    expect(h.row("ws-h")).toMatchObject({ status: "hibernated", active_tasks: 1 });
    expect(h.events.filter((e) => e.workspace_id === "ws-h")).toEqual([]);
  });
});

describe("platform conditions", () => {
  it("platform down: GET /workspaces and the proxy answer 503 platform_unavailable until it is up again", () => {
    const h = startSim(scenarioOf([{ id: "ws-a" }]));
    h.sim.setPlatformDown(true);
    expect(h.sim.answerListWorkspaces()).toMatchObject({ status: 503, body: { code: "platform_unavailable" } });
    expect(h.sim.handleA2A("ws-a", rpc("GetTask", { id: "task-ws-a-1" }))).toMatchObject({ status: 503, body: { code: "platform_unavailable" } });
    expect(h.sim.handleRestart("ws-a")).toMatchObject({ status: 503 });
    h.sim.setPlatformDown(false);
    expect(h.sim.answerListWorkspaces()).toMatchObject({ status: 200, body: [expect.objectContaining({ id: "ws-a" })] });
  });

  it("unknown workspaces: 404", () => {
    const h = startSim(scenarioOf([]));
    expect(h.sim.handleA2A("ws-ghost", rpc("GetTask", { id: "x" }))).toMatchObject({ status: 404 });
    expect(h.sim.handleRestart("ws-ghost")).toMatchObject({ status: 404 });
  });

  it("a paused or offline workspace has no agent to reach", () => {
    const h = startSim(scenarioOf([{ id: "ws-p", status: "paused" }]));
    expect(h.sim.handleA2A("ws-p", rpc("GetTask", { id: "x" }))).toMatchObject({ status: 503, body: { status: "paused" } });
  });
});

describe("heartbeats", () => {
  it("every 30 s per online workspace, with active_tasks and a growing uptime", async () => {
    const h = startSim(scenarioOf([{ id: "ws-a", uptimeSeconds: 100 }, { id: "ws-off", status: "offline" }]));
    await h.clock.advance(HEARTBEAT_MS * 3);
    const beats = h.eventsOf("WORKSPACE_HEARTBEAT", "ws-a");
    expect(beats).toHaveLength(3);
    expect(beats[0]!.payload).toMatchObject({ active_tasks: 1 });
    const uptimes = beats.map((b) => b.payload.uptime_seconds as number);
    expect(uptimes[1]! - uptimes[0]!).toBe(30);
    expect(h.eventsOf("WORKSPACE_HEARTBEAT", "ws-off")).toHaveLength(0);
  });
});
