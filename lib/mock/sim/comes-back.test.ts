import { describe, expect, it } from "vitest";
import { rpc, scenarioOf, startSim } from "./testing/harness";

describe("work that comes back after a drain", () => {
  it("a queued message arrives on the first heartbeat after the drain, as a task that stays", async () => {
    const h = startSim(scenarioOf([{ id: "ws-q", behaviour: { cancel: { kind: "honour", drainAfterMs: 500 }, comesBack: { queuedMessage: { task: "queued #7", heartbeatMs: 2000 } } } }]));
    h.sim.handleA2A("ws-q", rpc("CancelTask", { id: "task-ws-q-1" }));
    await h.clock.advance(500);
    expect(h.row("ws-q")?.active_tasks).toBe(0);
    await h.clock.advance(1999);
    expect(h.row("ws-q")?.active_tasks).toBe(0);
    await h.clock.advance(1);
    expect(h.row("ws-q")).toMatchObject({ active_tasks: 1, current_task: "queued #7" });
    await h.clock.advance(60_000);
    expect(h.row("ws-q")?.active_tasks).toBe(1);
  });

  it("an idle prompt comes afterMs after the drain, only if the workspace is still idle; none after a restart", async () => {
    const behaviour = { cancel: { kind: "honour" as const, drainAfterMs: 100 }, comesBack: { idlePrompt: { task: "idle prompt", afterMs: 3000 } } };
    const h = startSim(scenarioOf([{ id: "ws-i", behaviour }, { id: "ws-r", behaviour }]));
    h.sim.handleA2A("ws-i", rpc("CancelTask", { id: "task-ws-i-1" }));
    h.sim.handleA2A("ws-r", rpc("CancelTask", { id: "task-ws-r-1" }));
    await h.clock.advance(200);
    h.sim.handleRestart("ws-r");
    await h.clock.advance(3000);
    expect(h.row("ws-i")).toMatchObject({ active_tasks: 1, current_task: "idle prompt" });
    expect(h.row("ws-r")?.active_tasks).toBe(0);
  });
});
