import { describe, expect, it } from "vitest";
import { bodyOf, rpc, scenarioOf, startSim } from "./testing/harness";

describe("cancel behaviours", () => {
  it("an honoured cancel answers canceled at once and drains after drainAfterMs, with TASK_UPDATED", async () => {
    const h = startSim(scenarioOf([{ id: "ws-drains", behaviour: { cancel: { kind: "honour", drainAfterMs: 1500 } } }]));
    const answer = h.sim.handleA2A("ws-drains", rpc("CancelTask", { id: "task-ws-drains-1" }, 7));
    expect(answer.status).toBe(200);
    expect(bodyOf(answer)).toMatchObject({ jsonrpc: "2.0", id: 7, result: { id: "task-ws-drains-1", status: { state: "TASK_STATE_CANCELED" } } });
    expect(h.row("ws-drains")?.active_tasks).toBe(1);

    await h.clock.advance(1499);
    expect(h.row("ws-drains")?.active_tasks).toBe(1);
    await h.clock.advance(1);
    expect(h.row("ws-drains")).toMatchObject({ active_tasks: 0, current_task: "" });
    const updates = h.eventsOf("TASK_UPDATED", "ws-drains");
    expect(updates).toHaveLength(1);
    expect(updates[0]!.payload).toEqual({ active_tasks: 0, current_task: "", task_id: "task-ws-drains-1" });
    expect(updates[0]!.timestamp).toBe(new Date(h.clock.now()).toISOString());
  });

  it("a stuck agent says canceled but stays busy", async () => {
    const h = startSim(scenarioOf([{ id: "ws-stuck", behaviour: { cancel: { kind: "ignore" } } }]));
    const answer = h.sim.handleA2A("ws-stuck", rpc("CancelTask", { id: "task-ws-stuck-1" }));
    expect(bodyOf(answer).result).toMatchObject({ status: { state: "TASK_STATE_CANCELED" } });
    await h.clock.advance(60_000);
    expect(h.row("ws-stuck")?.active_tasks).toBe(1);
    expect(h.eventsOf("TASK_UPDATED", "ws-stuck")).toHaveLength(0);
    // Asking again returns the canceled task again.
    const again = h.sim.handleA2A("ws-stuck", rpc("CancelTask", { id: "task-ws-stuck-1" }));
    expect(bodyOf(again).result).toMatchObject({ id: "task-ws-stuck-1", status: { state: "TASK_STATE_CANCELED" } });
  });

  it("a refused cancel answers the configured JSON-RPC error and keeps the task", async () => {
    const h = startSim(scenarioOf([{ id: "ws-refuses", behaviour: { cancel: { kind: "refuse", code: -32004 } } }]));
    const answer = h.sim.handleA2A("ws-refuses", rpc("CancelTask", { id: "task-ws-refuses-1" }, "abc"));
    expect(answer.status).toBe(200);
    expect(bodyOf(answer)).toMatchObject({ id: "abc", error: { code: -32004, data: [{ reason: "UNSUPPORTED_OPERATION" }] } });
    await h.clock.advance(10_000);
    expect(h.row("ws-refuses")?.active_tasks).toBe(1);
  });

  it("cancel errors: unknown id -32001, finished -32002, missing id -32602", () => {
    const h = startSim(
      scenarioOf([
        {
          id: "ws-a",
          tasks: [{ description: "running" }, { description: "done", state: "completed", id: "done-1" }, { description: "broke", state: "failed", id: "failed-1" }],
        },
      ]),
    );
    const code = (params: unknown) => (bodyOf(h.sim.handleA2A("ws-a", rpc("CancelTask", params))).error as { code: number }).code;
    expect(code({ id: "nope" })).toBe(-32001);
    expect(code({ id: "done-1" })).toBe(-32002);
    expect(code({ id: "failed-1" })).toBe(-32002);
    expect(code({})).toBe(-32602);
    expect(code({ id: "" })).toBe(-32602);
    expect(code([])).toBe(-32602);
  });

  it("removal mid-operation: WORKSPACE_REMOVED after removeAfterCancelMs, row gone, later requests 404", async () => {
    const h = startSim(scenarioOf([{ id: "ws-vanishes", behaviour: { cancel: { kind: "ignore" }, removeAfterCancelMs: 1500 } }]));
    h.sim.handleA2A("ws-vanishes", rpc("CancelTask", { id: "task-ws-vanishes-1" }));
    await h.clock.advance(1499);
    expect(h.row("ws-vanishes")).toBeDefined();
    await h.clock.advance(1);
    expect(h.row("ws-vanishes")).toBeUndefined();
    expect(h.eventsOf("WORKSPACE_REMOVED", "ws-vanishes")).toHaveLength(1);
    expect(h.sim.handleA2A("ws-vanishes", rpc("GetTask", { id: "task-ws-vanishes-1" }))).toMatchObject({ status: 404, body: { error: "workspace not found" } });
    expect(h.sim.handleRestart("ws-vanishes")).toMatchObject({ status: 404 });
  });

  it("a drain scheduled before a restart does nothing to the fresh agent", async () => {
    const h = startSim(scenarioOf([{ id: "ws-a", behaviour: { cancel: { kind: "honour", drainAfterMs: 5000 }, restart: { kind: "ok", restartMs: 1000 } } }]));
    h.sim.handleA2A("ws-a", rpc("CancelTask", { id: "task-ws-a-1" }));
    h.sim.handleRestart("ws-a");
    await h.clock.advance(10_000);
    expect(h.eventsOf("TASK_UPDATED", "ws-a").map((e) => e.payload.active_tasks)).toEqual([0]);
  });
});
