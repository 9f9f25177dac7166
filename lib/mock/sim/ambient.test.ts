import { describe, expect, it } from "vitest";
import { FakeClock } from "../../time/fake-clock";
import { bodyOf, rpc, scenarioOf, startSim } from "./testing/harness";

const chattyFleet = () =>
  scenarioOf([
    { id: "ws-chatty", tasks: [], behaviour: { chatty: { idleMs: [4000, 9000], taskMs: [2000, 4000], tasks: ["Reviewing a PR", "Labelling tickets"] } } },
    { id: "ws-busy", behaviour: { progressEveryMs: 2000 } },
  ]);

describe("ambient life", () => {
  it("a chatty agent starts and finishes short tasks on its own, with task ids in TASK_UPDATED", async () => {
    const h = startSim(chattyFleet());
    await h.clock.advance(3999);
    expect(h.eventsOf("TASK_UPDATED", "ws-chatty")).toHaveLength(0);
    await h.clock.advance(60_000);
    const updates = h.eventsOf("TASK_UPDATED", "ws-chatty").map((e) => e.payload);
    expect(updates.length).toBeGreaterThanOrEqual(6);
    expect(updates.filter((p) => p.active_tasks === 1).length).toBeGreaterThanOrEqual(3);
    expect(updates.every((p) => typeof p.task_id === "string")).toBe(true);
  });

  it("a busy agent's long task never ends by itself but reports progress naming its task", async () => {
    const h = startSim(chattyFleet());
    await h.clock.advance(300_000);
    expect(h.row("ws-busy")!.active_tasks).toBe(1);
    const progress = h.eventsOf("TASK_UPDATED", "ws-busy");
    expect(progress.length).toBe(150);
    expect(progress[0]!.payload).toEqual({ active_tasks: 1, current_task: "Long job of ws-busy (step 1)", task_id: "task-ws-busy-1" });
  });

  it("chatter can be switched on at runtime", async () => {
    const h = startSim(scenarioOf([{ id: "ws-quiet", tasks: [] }]));
    await h.clock.advance(30_000);
    expect(h.eventsOf("TASK_UPDATED", "ws-quiet")).toHaveLength(0);
    h.sim.setBehaviour("ws-quiet", { chatty: { idleMs: [1000, 1000], taskMs: [500, 500], tasks: ["ping"] } });
    await h.clock.advance(1000);
    expect(h.row("ws-quiet")).toMatchObject({ active_tasks: 1, current_task: "ping" });
    await h.clock.advance(500);
    expect(h.row("ws-quiet")!.active_tasks).toBe(0);
  });
});

describe("determinism", () => {
  it("same scenario and same clock: same rows and the same events", async () => {
    const run = async () => {
      const h = startSim(chattyFleet(), new FakeClock(1_700_000_000_000));
      const snapshots: unknown[] = [];
      for (let i = 0; i < 10; i++) {
        await h.clock.advance(7_000);
        snapshots.push(h.sim.listRows());
      }
      return { snapshots, events: h.events };
    };
    const [a, b] = [await run(), await run()];
    expect(a.snapshots).toEqual(b.snapshots);
    expect(a.events).toEqual(b.events);
  });

  it("reset goes back to the start: fleet, behaviours, switches and log", async () => {
    const h = startSim(chattyFleet());
    const start = h.sim.listRows();
    h.sim.handleRestart("ws-busy");
    h.sim.setBehaviour("ws-busy", { cancel: { kind: "ignore" } });
    h.sim.setPlatformDown(true);
    h.sim.eventStream.setAvailable(false);
    h.sim.log.open({ at: 0, method: "GET", path: "/x" });
    const signal = h.sim.resetSignal();
    h.sim.reset();
    expect(signal.aborted).toBe(true);
    expect(h.sim.listRows()).toEqual(start);
    expect(h.sim.behaviourOf("ws-busy")!.cancel).toEqual({ kind: "honour", drainAfterMs: 1000 });
    expect(h.sim.isPlatformDown()).toBe(false);
    expect(h.sim.eventStream.isAvailable()).toBe(true);
    expect(h.sim.log.entries()).toEqual([]);
    expect(bodyOf(h.sim.handleA2A("ws-busy", rpc("GetTask", { id: "task-ws-busy-1" }))).result).toBeDefined();
  });

  it("the event stream switch drops open streams when turned off", () => {
    const h = startSim(chattyFleet());
    let drops = 0;
    h.sim.eventStream.onDrop(() => drops++);
    h.sim.eventStream.drop();
    h.sim.eventStream.setAvailable(false);
    expect(drops).toBe(2);
    expect(h.sim.eventStream.isAvailable()).toBe(false);
  });
});
