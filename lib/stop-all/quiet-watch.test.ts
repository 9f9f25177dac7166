import { describe, expect, it } from "vitest";
import { workspace } from "../fleet/testing/workspaces";
import { reply } from "../platform/testing/fake-platform";
import { targetOf } from "./targets";
import { stopAllHarness } from "./testing/harness";
import { describeBusyAgain } from "./labels";
import { buildReport } from "./report";
import { applyEvent, quietUntil } from "./transitions";

const QUIET = 5000;

/** Two targets that drain 100 ms into the operation (their rows say so), one that the operator keeps. */
async function finishedOperation() {
  const h = stopAllHarness([workspace("a"), workspace("b"), workspace("kept")], { quietMs: QUIET });
  h.platform.onA2A("kept", reply.hang());
  await h.start();
  await h.advance(100);
  for (const id of ["a", "b"]) h.fleet.set(id, { activeTasks: 0 });
  h.op().keep("kept");
  await h.advance(10);
  expect(h.state().phase).toBe("finished");
  return h;
}

describe("the quiet watch", () => {
  it("flags a drained target each time it goes from idle to busy after the end: when, how long after its drain, with what task", async () => {
    const h = await finishedOperation();
    const { finishedAt } = h.state();
    expect(quietUntil(h.state())).toBe(finishedAt! + QUIET);
    await h.advance(2100);
    h.fleet.set("a", { activeTasks: 1, currentTask: "Handle queued message #7" });
    h.fleet.set("a", { activeTasks: 2, currentTask: "Handle queued message #8" }); // still busy: not again
    await h.advance(500);
    h.fleet.set("a", { activeTasks: 0 });
    h.fleet.set("a", { activeTasks: 1, currentTask: "Idle prompt: check the backlog" });
    // The one the operator kept was left running on purpose: not flagged.
    h.fleet.set("kept", { activeTasks: 3 });
    const a = targetOf(h.state(), "a")!;
    const drainedAt = a.times.drainedAt!;
    expect(a.busyAgain).toEqual([
      { at: drainedAt + 2110, afterMs: 2110, task: "Handle queued message #7" },
      { at: drainedAt + 2610, afterMs: 2610, task: "Idle prompt: check the backlog" },
    ]);
    expect(targetOf(h.state(), "b")!.busyAgain).toBeUndefined();
    expect(targetOf(h.state(), "kept")!.busyAgain).toBeUndefined();
    expect(h.state().phase).toBe("finished");
    // The report records each time: when (after the click), how long after the drain, what task.
    const report = buildReport(h.state());
    expect(report.quietWatch).toEqual({ ms: QUIET, busyAgain: 1 });
    const startedAt = h.state().startedAt;
    expect(report.targets.find((t) => t.workspaceId === "a")!.busyAgain).toEqual([
      { at: drainedAt + 2110 - startedAt, afterMs: 2110, task: "Handle queued message #7" },
      { at: drainedAt + 2610 - startedAt, afterMs: 2610, task: "Idle prompt: check the backlog" },
    ]);
    expect(describeBusyAgain(targetOf(h.state(), "a")!)).toBe("busy again 2.6 s after it drained (2 times): Idle prompt: check the backlog");
  });

  it("ends at the end of the quiet period: no timer or fleet listener is left behind", async () => {
    const h = await finishedOperation();
    await h.advance(QUIET + 1);
    h.fleet.set("b", { activeTasks: 1, currentTask: "too late" });
    expect(targetOf(h.state(), "b")!.busyAgain).toBeUndefined();
    expect(h.clock.pendingTimers()).toBe(0);
    expect(h.fleet.listenerCount()).toBe(0);
  });

  it("a target busy again before the last one settled is flagged as the watch starts", async () => {
    const h = stopAllHarness([workspace("a"), workspace("slow")], { quietMs: QUIET });
    await h.start();
    await h.advance(100);
    h.fleet.set("a", { activeTasks: 0 });
    await h.advance(300);
    h.fleet.set("a", { activeTasks: 1, currentTask: "restart context" });
    h.fleet.set("slow", { activeTasks: 0 });
    await h.advance(10);
    expect(h.state().phase).toBe("finished");
    expect(targetOf(h.state(), "a")!.busyAgain).toEqual([expect.objectContaining({ task: "restart context", afterMs: 300 })]);
  });

  it("the reducer takes busy-again only after the end and within the watch; off when quietMs is 0", async () => {
    const h = await finishedOperation();
    const state = h.state();
    const at = state.finishedAt!;
    expect(applyEvent(state, { type: "busy-again", workspaceId: "a", at: at + QUIET + 1, task: "late" })).toBe(state);
    expect(applyEvent(state, { type: "busy-again", workspaceId: "a", at: at + 1, task: "in time" })).not.toBe(state);
    const off = stopAllHarness([workspace("x")]);
    await off.start();
    off.fleet.set("x", { activeTasks: 0 });
    await off.advance(10);
    expect(off.state().phase).toBe("finished");
    expect(quietUntil(off.state())).toBeUndefined();
    expect(off.fleet.listenerCount()).toBe(0);
  });

  it("a resumed operation (a reload, a restarted server) watches on within its window, and not after it", async () => {
    const h = await finishedOperation();
    const saved = h.state();
    await h.advance(1000);
    await h.resume(saved);
    h.fleet.set("b", { activeTasks: 1, currentTask: "after the reload" });
    expect(targetOf(h.state(), "b")!.busyAgain).toEqual([expect.objectContaining({ task: "after the reload" })]);
    await h.advance(QUIET);
    await h.resume(h.state());
    expect(h.fleet.listenerCount()).toBe(0);
  });
});
