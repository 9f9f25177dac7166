/**
 * A target that settles (drains, is kept) while its phase-1 requests are in
 * flight: phase 1 sends it nothing new, but what was already sent runs to
 * its answer (bounded by its timeout and the deadline), and the finding and
 * the report say what the platform answered. Departures that make the
 * answer moot (gone, platform-restarting, a restart) abandon the requests:
 * see "fault matrix: a target settles while its cancel is in flight".
 */
import { describe, expect, it } from "vitest";
import { reply, type FakeHandler } from "../platform/testing/fake-platform";
import { describeFinding } from "./labels";
import { buildReport } from "./report";
import { stopAllHarness } from "./testing/harness";
import { storeHarness, wireEvent, wireRow } from "./testing/store-harness";
import { workspace } from "../fleet/testing/workspaces";
import { targetOf } from "./targets";

const DEADLINE = 8000;
const ID = "drains-before-cancel-answer";

const listing = (...ids: string[]) => reply.result({ tasks: ids.map((id) => ({ id, status: { state: "TASK_STATE_WORKING" } })) });

/** ListTasks lists `ids` at once; every CancelTask answers `cancel`. */
function agent(cancel: FakeHandler, ...ids: string[]): FakeHandler {
  const list = listing(...(ids.length > 0 ? ids : ["t1"]));
  return (request) => (request.method === "ListTasks" ? list(request) : cancel(request));
}

const methodsSent = (h: { platform: { of: (kind: "a2a", id?: string) => { method?: string }[] } }, id = ID) =>
  h.platform.of("a2a", id).map((request) => request.method);

describe("a drain while the CancelTask answer is in flight", () => {
  it("the 200 canceled answer still lands: finding delivered, cancel answered at its time, report row not 'request abandoned'", async () => {
    const h = stopAllHarness([workspace(ID)]);
    h.platform.onA2A(ID, agent(reply.after(3000, reply.canceledTask())));
    await h.start();
    const startedAt = h.state().startedAt;
    await h.advance(500);
    h.fleet.set(ID, { activeTasks: 0 });
    await h.settle();
    expect(h.outcome(ID)).toEqual({ kind: "drained" });
    expect(h.state().phase).toBe("finished");
    await h.advance(2500);

    const target = targetOf(h.state(), ID)!;
    expect(target.finding?.headline).toEqual({ kind: "delivered", tasks: 1, of: 1 });
    expect(target.finding?.cancels).toEqual([
      { taskId: "t1", result: { kind: "delivered", taskState: "canceled", method: "CancelTask", version: "1.0" }, answeredAt: startedAt + 3000 },
    ]);
    expect(target.times).toMatchObject({ cancelSentAt: startedAt, cancelAnsweredAt: startedAt + 3000, drainedAt: startedAt + 500, settledAt: startedAt + 500 });
    // The drain decides the outcome; the late answer changes nothing else.
    expect(target.phase).toEqual({ kind: "settled", outcome: { kind: "drained" } });
    expect(h.state().finishedAt).toBe(startedAt + 500);

    const row = buildReport(h.state()).targets[0]!;
    expect(row.finding?.text).toBe("cancel delivered for 1 task");
    expect(describeFinding(target.finding!.headline)).not.toBe("request abandoned");
    expect(row.times).toMatchObject({ cancelAnsweredAt: 3000, drainedAt: 500 });
    expect(methodsSent(h)).toEqual(["ListTasks", "CancelTask"]);
    expect(h.platform.of("a2a", ID)[1]!.signal?.aborted).toBe(false);
    await h.advance(DEADLINE);
    expect(h.restarts()).toEqual([]);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("the same through the real store: a TASK_UPDATED event with active_tasks 0 while CancelTask is in flight", async () => {
    const h = storeHarness([wireRow(ID), wireRow("ws-other")]);
    h.platform.onA2A(ID, agent(reply.after(2000, reply.canceledTask())));
    await h.start();
    const startedAt = h.state().startedAt;
    await h.advance(700);
    expect(h.event(wireEvent("TASK_UPDATED", ID, h.clock.now(), { active_tasks: 0, current_task: "" }))).toBe(true);
    await h.settle();
    expect(h.outcome(ID)).toEqual({ kind: "drained" });
    await h.advance(1300);
    const target = targetOf(h.state(), ID)!;
    expect(target.finding?.headline).toEqual({ kind: "delivered", tasks: 1, of: 1 });
    expect(target.times.cancelAnsweredAt).toBe(startedAt + 2000);
    expect(buildReport(h.state()).targets.find((row) => row.workspaceId === ID)?.finding?.text).toBe("cancel delivered for 1 task");
    await h.advance(DEADLINE);
    expect(h.restarts(ID)).toEqual([]);
    expect(h.outcome("ws-other")).toEqual({ kind: "restarted", trigger: "deadline" });
  });

  it("a cancel answer that never comes is still cut by its own timeout, not left open", async () => {
    const h = stopAllHarness([workspace(ID)]);
    h.platform.onA2A(ID, agent(reply.hang()));
    await h.start();
    await h.advance(500);
    h.fleet.set(ID, { activeTasks: 0 });
    await h.advance(4499);
    const cancel = h.platform.of("a2a", ID)[1]!;
    expect(cancel.signal?.aborted).toBe(false);
    await h.advance(1);
    expect(cancel.signal?.aborted).toBe(true);
    const target = targetOf(h.state(), ID)!;
    expect(target.finding?.headline).toEqual({ kind: "timeout" });
    expect(target.times.cancelAnsweredAt).toBeUndefined();
    expect(h.clock.pendingTimers()).toBe(0);
  });
});

describe("after a drain, phase 1 sends nothing new", () => {
  it("the next task's cancel is not sent once the first one's answer lands", async () => {
    const h = stopAllHarness([workspace(ID)]);
    h.platform.onA2A(ID, agent(reply.after(1000, reply.canceledTask()), "t1", "t2", "t3"));
    await h.start();
    await h.advance(500);
    h.fleet.set(ID, { activeTasks: 0 });
    await h.advance(DEADLINE);
    expect(methodsSent(h)).toEqual(["ListTasks", "CancelTask"]);
    expect(targetOf(h.state(), ID)?.finding).toMatchObject({ idSource: "list-tasks", headline: { kind: "delivered", tasks: 1, of: 1 } });
  });

  it("ListTasks in flight at the drain: its answer is recorded, no cancel follows, and the finding does not say 'no task id'", async () => {
    const h = stopAllHarness([workspace(ID)]);
    h.platform.onA2A(ID, (request) => (request.method === "ListTasks" ? reply.after(1000, listing("t1", "t2"))(request) : reply.canceledTask()(request)));
    await h.start();
    await h.advance(500);
    h.fleet.set(ID, { activeTasks: 0 });
    await h.advance(DEADLINE);
    expect(methodsSent(h)).toEqual(["ListTasks"]);
    const target = targetOf(h.state(), ID)!;
    expect(target.finding).toMatchObject({ idSource: "list-tasks", listing: { kind: "listed", taskIds: ["t1", "t2"] }, cancels: [], headline: { kind: "not-sent" } });
    expect(describeFinding(target.finding!.headline)).toBe("no cancel sent: drained or kept before one went out");
    expect(target.times.cancelSentAt).toBeUndefined();
  });

  it("a method-name fallback due after the drain is not sent", async () => {
    const h = stopAllHarness([workspace(ID)]);
    h.platform.onA2A(ID, agent(reply.after(1000, reply.error(-32601, "method not found"))));
    await h.start();
    await h.advance(500);
    h.fleet.set(ID, { activeTasks: 0 });
    await h.advance(DEADLINE);
    expect(methodsSent(h)).toEqual(["ListTasks", "CancelTask"]);
    expect(h.outcome(ID)).toEqual({ kind: "drained" });
  });

  it("a busy retry due after the drain is not sent", async () => {
    const h = stopAllHarness([workspace(ID)]);
    h.platform.onA2A(ID, agent(reply.http(503, { busy: true, retry_after: 1 }, 1000)));
    await h.start();
    await h.advance(500);
    h.fleet.set(ID, { activeTasks: 0 });
    await h.advance(DEADLINE);
    expect(h.platform.of("a2a", ID).map((request) => [request.method, request.at - h.state().startedAt])).toEqual([
      ["ListTasks", 0],
      ["CancelTask", 0],
    ]);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("a request still waiting for a free slot at the drain is never sent", async () => {
    const h = stopAllHarness([workspace("holds-the-slot"), workspace(ID)], { maxInFlight: 1 });
    h.platform.onA2A("holds-the-slot", (request) => (request.method === "ListTasks" ? reply.after(1000, listing("slow"))(request) : reply.canceledTask()(request)));
    await h.start();
    expect(methodsSent(h, "holds-the-slot")).toEqual(["ListTasks"]);
    expect(methodsSent(h)).toEqual([]);
    h.fleet.set(ID, { activeTasks: 0 });
    await h.advance(DEADLINE);
    expect(methodsSent(h)).toEqual([]);
    expect(targetOf(h.state(), ID)?.finding).toMatchObject({ cancels: [], headline: { kind: "not-sent" } });
    expect(targetOf(h.state(), "holds-the-slot")?.finding?.headline).toEqual({ kind: "delivered", tasks: 1, of: 1 });
  });

  it("dispose still aborts a cancel left in flight by a drain", async () => {
    const h = stopAllHarness([workspace(ID)]);
    h.platform.onA2A(ID, agent(reply.hang()));
    const op = await h.start();
    h.fleet.set(ID, { activeTasks: 0 });
    await h.advance(100);
    const cancel = h.platform.of("a2a", ID)[1]!;
    expect(cancel.signal?.aborted).toBe(false);
    op.dispose();
    await h.settle();
    expect(cancel.signal?.aborted).toBe(true);
    expect(h.clock.pendingTimers()).toBe(0);
  });
});
