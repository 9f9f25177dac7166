import { describe, expect, it } from "vitest";
import { PHASE1_START_BATCH } from "./orchestrator";
import { reply, sequence } from "../platform/testing/fake-platform";
import { stopAllHarness } from "./testing/harness";
import { workspace } from "../fleet/testing/workspaces";
import { targetOf } from "./targets";

const DEADLINE = 8000;

describe("phase 1: cancel", () => {
  it("lists open tasks of a 1.0 agent and cancels each of them", async () => {
    const h = stopAllHarness([workspace("lists-two-tasks")]);
    h.platform.onA2A("lists-two-tasks", (request) =>
      request.method === "ListTasks"
        ? reply.result({ tasks: [{ id: "t1", status: { state: "TASK_STATE_WORKING" } }, { id: "t2", status: { state: "TASK_STATE_SUBMITTED" } }, { id: "t3", status: { state: "TASK_STATE_COMPLETED" } }] })(request)
        : reply.canceledTask()(request),
    );
    await h.start();
    expect(h.platform.requests.map((request) => [request.method, request.params?.id])).toEqual([
      ["ListTasks", undefined],
      ["CancelTask", "t1"],
      ["CancelTask", "t2"],
    ]);
    const { finding, times, phase } = targetOf(h.state(), "lists-two-tasks")!;
    expect(phase).toEqual({ kind: "watching" });
    expect(finding).toMatchObject({ idSource: "list-tasks", headline: { kind: "delivered", tasks: 2, of: 2 } });
    expect(times.cancelSentAt).toBe(h.state().startedAt);
    expect(times.cancelAnsweredAt).toBe(h.state().startedAt);
  });

  it("uses the task ids the canvas has seen for a 0.3 agent (no ListTasks)", async () => {
    const h = stopAllHarness([workspace("speaks-0-3", { protocol: "0.3" })]);
    h.fleet.setKnownTaskIds("speaks-0-3", ["old", "new"]);
    await h.start();
    expect(h.platform.requests.map((request) => [request.method, request.params?.id])).toEqual([
      ["tasks/cancel", "old"],
      ["tasks/cancel", "new"],
    ]);
    expect(targetOf(h.state(), "speaks-0-3")?.finding).toMatchObject({ idSource: "known-ids", headline: { kind: "delivered", tasks: 2 } });
  });

  it("falls back to the seen ids when ListTasks finds nothing or is not supported", async () => {
    const h = stopAllHarness([workspace("lists-nothing"), workspace("no-list-tasks", { protocol: "unknown" })]);
    h.fleet.setKnownTaskIds("lists-nothing", ["seen-1"]);
    h.fleet.setKnownTaskIds("no-list-tasks", ["seen-2"]);
    h.platform.onA2A("no-list-tasks", (request) => (request.method === "ListTasks" ? reply.error(-32601)(request) : reply.canceledTask("canceled")(request)));
    await h.start();
    expect(h.platform.of("a2a", "lists-nothing").map((request) => request.method)).toEqual(["ListTasks", "CancelTask"]);
    // -32601 on ListTasks says the agent speaks 0.3: its cancel uses the 0.3 name first.
    expect(h.platform.of("a2a", "no-list-tasks").map((request) => request.method)).toEqual(["ListTasks", "tasks/cancel"]);
  });

  it("sends no cancel when no task id can be found, and goes straight to the watch", async () => {
    const h = stopAllHarness([workspace("no-task-id", { protocol: "0.3" })]);
    await h.start();
    expect(h.platform.requests).toHaveLength(0);
    expect(targetOf(h.state(), "no-task-id")).toMatchObject({ phase: { kind: "watching" }, finding: { idSource: "none", headline: { kind: "no-task-id" } } });
    await h.advance(DEADLINE);
    expect(h.restarts("no-task-id")).toHaveLength(1);
  });

  it("after the first cancel, the others use the method name that worked", async () => {
    const h = stopAllHarness([workspace("card-says-1-0-agent-says-0-3", { protocol: "1.0" })]);
    h.platform.onA2A("card-says-1-0-agent-says-0-3", (request) =>
      request.method === "ListTasks"
        ? reply.result({ tasks: ["a", "b", "c"].map((id) => ({ id, status: { state: "working" } })) })(request)
        : request.method === "CancelTask"
          ? reply.error(-32601)(request)
          : reply.canceledTask("canceled")(request),
    );
    await h.start();
    expect(h.platform.requests.map((request) => request.method)).toEqual(["ListTasks", "CancelTask", "tasks/cancel", "tasks/cancel", "tasks/cancel"]);
  });

});

describe("phase 1: bounds", () => {
  it("runs targets in parallel with at most maxInFlight requests at once", async () => {
    const targets = Array.from({ length: 20 }, (_, i) => workspace(`slow-cancel-${i}`, { protocol: "0.3" }));
    const h = stopAllHarness(targets, { maxInFlight: 4 });
    for (const target of targets) {
      h.fleet.setKnownTaskIds(target.id, ["t"]);
      h.platform.onA2A(target.id, reply.after(500, reply.canceledTask("canceled")));
    }
    await h.start();
    await h.advance(3000);
    expect(h.platform.of("a2a")).toHaveLength(20);
    expect(h.platform.peakInFlight()).toBe(4);
    expect(Object.values(h.state().targets).every((target) => target.finding?.headline.kind === "delivered")).toBe(true);
  });

  it("a cancel that blocks is cut at the deadline at the latest", async () => {
    const h = stopAllHarness([workspace("cancel-blocks", { protocol: "0.3" })], { requestTimeoutMs: 60_000 });
    h.fleet.setKnownTaskIds("cancel-blocks", ["t"]);
    h.platform.onA2A("cancel-blocks", reply.hang());
    await h.start();
    await h.advance(DEADLINE);
    const cancel = h.platform.of("a2a")[0]!;
    expect(cancel.signal?.aborted).toBe(true);
    expect(targetOf(h.state(), "cancel-blocks")?.finding?.headline.kind).toMatch(/^(timeout|aborted)$/);
    expect(h.restarts("cancel-blocks")).toHaveLength(1);
  });

  it("a busy agent is retried only within the deadline", async () => {
    const h = stopAllHarness([workspace("busy-agent", { protocol: "0.3" })]);
    h.fleet.setKnownTaskIds("busy-agent", ["t"]);
    h.platform.onA2A("busy-agent", reply.http(503, { busy: true, retry_after: 3 }, 3000));
    await h.start();
    await h.advance(DEADLINE + 1000);
    const cancels = h.platform.of("a2a", "busy-agent");
    // 0 s, 3 s; the next wait (to 6 s) still ends before the deadline, the one after would not.
    expect(cancels.map((request) => request.at - h.state().startedAt)).toEqual([0, 3000, 6000]);
    expect(targetOf(h.state(), "busy-agent")?.finding?.headline).toEqual({ kind: "busy", retryAfterMs: 3000 });
  });
});

describe("phase 2: the drain watch", () => {
  it("a workspace that drains before the deadline is drained: no restart", async () => {
    const h = stopAllHarness([workspace("drains-at-6s"), workspace("ignores-cancel")]);
    await h.start();
    await h.advance(6000);
    h.fleet.set("drains-at-6s", { activeTasks: 0 });
    expect(h.outcome("drains-at-6s")).toEqual({ kind: "drained" });
    expect(targetOf(h.state(), "drains-at-6s")?.times.drainedAt).toBe(h.state().startedAt + 6000);
    await h.advance(DEADLINE);
    expect(h.restarts("drains-at-6s")).toHaveLength(0);
    expect(h.outcome("ignores-cancel")).toEqual({ kind: "restarted", trigger: "deadline" });
  });

  it("drain at deadline − 1 ms → drained, no restart", async () => {
    const h = stopAllHarness([workspace("drains-just-in-time")]);
    await h.start();
    await h.advance(DEADLINE - 1);
    h.fleet.set("drains-just-in-time", { activeTasks: 0 });
    await h.advance(10_000);
    expect(h.outcome("drains-just-in-time")).toEqual({ kind: "drained" });
    expect(h.restarts()).toHaveLength(0);
  });

  it("drain at deadline + 1 ms → restarted (sent at the deadline)", async () => {
    const h = stopAllHarness([workspace("drains-too-late")]);
    await h.start();
    await h.advance(DEADLINE);
    expect(h.restarts("drains-too-late")).toHaveLength(1);
    expect(h.restarts()[0]!.at).toBe(h.state().startedAt + DEADLINE);
    await h.advance(1);
    h.fleet.set("drains-too-late", { activeTasks: 0 });
    await h.settle();
    expect(h.outcome("drains-too-late")).toEqual({ kind: "restarted", trigger: "deadline" });
    expect(h.restarts()).toHaveLength(1);
  });

  it("checks the store at the start: an already idle workspace is drained without a single request", async () => {
    const h = stopAllHarness([workspace("idle-by-now")]);
    h.fleet.set("idle-by-now", { activeTasks: 0 });
    await h.start();
    expect(h.outcome("idle-by-now")).toEqual({ kind: "drained" });
    expect(h.state().phase).toBe("finished");
    expect(h.platform.requests).toHaveLength(0);
  });

  it("a target removed mid-operation is gone: no restart", async () => {
    const h = stopAllHarness([workspace("removed-at-2s"), workspace("stays-busy")]);
    await h.start();
    await h.advance(2000);
    h.fleet.remove("removed-at-2s");
    expect(h.outcome("removed-at-2s")).toEqual({ kind: "gone", seenIn: "store" });
    await h.advance(DEADLINE);
    expect(h.restarts("removed-at-2s")).toHaveLength(0);
    expect(h.restarts("stays-busy")).toHaveLength(1);
  });

  it("a target the store shows provisioning is being restarted by the platform: no restart", async () => {
    const h = stopAllHarness([workspace("reprovisioned-at-1s")]);
    await h.start();
    await h.advance(1000);
    h.fleet.set("reprovisioned-at-1s", { status: "provisioning" });
    expect(h.outcome("reprovisioned-at-1s")).toEqual({ kind: "platform-restarting", seenIn: "store" });
    await h.advance(DEADLINE);
    expect(h.restarts()).toHaveLength(0);
  });

  it("watches the store through subscribe, not a timer loop", async () => {
    const h = stopAllHarness([workspace("a"), workspace("b")]);
    await h.start();
    expect(h.fleet.listenerCount()).toBe(1);
    // Only the deadline timer is pending: nothing polls.
    expect(h.clock.pendingTimers()).toBe(1);
  });
});

describe("outcomes from phase-1 answers", () => {
  it("503 restarting on a cancel → platform-restarting, never restarted", async () => {
    const h = stopAllHarness([workspace("platform-restarts-it", { protocol: "0.3" })]);
    h.fleet.setKnownTaskIds("platform-restarts-it", ["t1", "t2"]);
    h.platform.onA2A("platform-restarts-it", reply.http(503, { restarting: true }));
    await h.start();
    expect(h.outcome("platform-restarts-it")).toEqual({ kind: "platform-restarting", seenIn: "a2a-answer" });
    // The first answer said it all: the second task was not even sent.
    expect(h.platform.of("a2a")).toHaveLength(1);
    await h.advance(DEADLINE * 2);
    expect(h.restarts()).toHaveLength(0);
  });

  it("503 restarting on ListTasks → platform-restarting with no cancel", async () => {
    const h = stopAllHarness([workspace("restarting-at-list")]);
    h.fleet.setKnownTaskIds("restarting-at-list", ["t1"]);
    h.platform.onA2A("restarting-at-list", reply.http(503, { restarting: true }));
    await h.start();
    expect(h.platform.requests.map((request) => request.method)).toEqual(["ListTasks"]);
    expect(h.outcome("restarting-at-list")).toEqual({ kind: "platform-restarting", seenIn: "a2a-answer" });
  });

  it("404 on a cancel → gone, never restarted", async () => {
    const h = stopAllHarness([workspace("deleted-under-us", { protocol: "0.3" })]);
    h.fleet.setKnownTaskIds("deleted-under-us", ["t1"]);
    h.platform.onA2A("deleted-under-us", reply.http(404, { error: "workspace not found" }));
    await h.start();
    expect(h.outcome("deleted-under-us")).toEqual({ kind: "gone", seenIn: "a2a-answer" });
    await h.advance(DEADLINE * 2);
    expect(h.restarts()).toHaveLength(0);
  });

  it("503 waking: nothing more is sent to that workspace in phase 1", async () => {
    const h = stopAllHarness([workspace("waking-up", { protocol: "0.3" })]);
    h.fleet.setKnownTaskIds("waking-up", ["t1", "t2", "t3"]);
    h.platform.onA2A("waking-up", reply.http(503, { waking: true }, 5000));
    await h.start();
    await h.advance(DEADLINE - 1);
    expect(h.platform.of("a2a")).toHaveLength(1);
    expect(targetOf(h.state(), "waking-up")?.finding?.headline).toEqual({ kind: "waking" });
  });

  it.each([
    ["refused", reply.error(-32002, "not cancelable"), { kind: "refused", code: -32002, refusal: "task-not-cancelable" }],
    ["queued (poll)", reply.http(200, { status: "queued", delivery_mode: "poll", method: "tasks/cancel" }), { kind: "queued-poll" }],
    ["queued (busy)", reply.http(202, { queued: true, queue_id: "q", queue_depth: 2 }), { kind: "queued-busy", queueDepth: 2 }],
    ["unreachable", reply.http(502, { error: "failed to reach workspace agent" }), { kind: "unreachable", status: 502 }],
    ["platform unavailable", reply.http(503, { code: "platform_unavailable" }), { kind: "platform-unavailable" }],
    ["Cloudflare 522", reply.text(522, "<html>"), { kind: "http-error", status: 522 }],
    ["network error", reply.network(), { kind: "network-error" }],
    ["truncated body", reply.text(200, '{"jsonrpc":"2.0","id":'), { kind: "bad-body", problem: "not-json" }],
  ] as const)("a %s cancel is recorded as the finding and the target still restarts at the deadline", async (_, handler, headline) => {
    const h = stopAllHarness([workspace("answers-oddly", { protocol: "0.3" })]);
    h.fleet.setKnownTaskIds("answers-oddly", ["t1"]);
    h.platform.onA2A("answers-oddly", handler);
    await h.start();
    expect(targetOf(h.state(), "answers-oddly")?.finding?.headline).toMatchObject(headline);
    await h.advance(DEADLINE);
    expect(h.restarts("answers-oddly")).toHaveLength(1);
  });

  it("an answer for another JSON-RPC id is not proof of delivery", async () => {
    const h = stopAllHarness([workspace("echoes-wrong-id", { protocol: "0.3" })]);
    h.fleet.setKnownTaskIds("echoes-wrong-id", ["t1"]);
    h.platform.onA2A("echoes-wrong-id", () => ({ status: 200, json: { jsonrpc: "2.0", id: "someone-else", result: { status: { state: "canceled" } } } }));
    await h.start();
    expect(targetOf(h.state(), "echoes-wrong-id")?.finding?.headline).toEqual({ kind: "id-mismatch" });
  });
});

describe("phase 3: the fallback restart", () => {
  it("restart accepted → restarted; refused → restart-failed with the error", async () => {
    const h = stopAllHarness([workspace("restart-ok"), workspace("restart-409")]);
    h.platform.onRestart("restart-409", reply.http(409, { error: "parent workspace is paused" }));
    await h.start();
    await h.advance(DEADLINE);
    expect(h.outcome("restart-ok")).toEqual({ kind: "restarted", trigger: "deadline" });
    expect(h.outcome("restart-409")).toEqual({ kind: "restart-failed", status: 409, message: "parent workspace is paused" });
    expect(h.state().phase).toBe("finished");
    const times = targetOf(h.state(), "restart-ok")!.times;
    expect([times.restartSentAt, times.restartAnsweredAt]).toEqual([h.state().deadlineAt, h.state().deadlineAt]);
  });

  it("a restart whose answer is lost is unknown and is not sent again", async () => {
    const h = stopAllHarness([workspace("restart-answer-lost")]);
    h.platform.onRestart("restart-answer-lost", reply.network("connection reset"));
    await h.start();
    await h.advance(DEADLINE + 60_000);
    expect(h.outcome("restart-answer-lost")).toEqual({ kind: "unknown", reason: "network", message: "connection reset" });
    expect(h.restarts()).toHaveLength(1);
  });

  it("a hanging restart is abandoned after 10 s as unknown, and the operation ends", async () => {
    const h = stopAllHarness([workspace("restart-hangs")]);
    h.platform.onRestart("restart-hangs", reply.hang());
    await h.start();
    await h.advance(DEADLINE + 9999);
    expect(h.state().phase).toBe("restarting");
    await h.advance(1);
    expect(h.outcome("restart-hangs")).toMatchObject({ kind: "unknown", reason: "timeout" });
    expect(h.state()).toMatchObject({ phase: "finished", finishedAt: h.state().startedAt + DEADLINE + 10_000 });
    expect(h.restarts()[0]!.signal?.aborted).toBe(true);
    expect(h.restarts()).toHaveLength(1);
  });

  it("404 or 503 restarting on the restart itself → gone / platform-restarting", async () => {
    const h = stopAllHarness([workspace("gone-at-restart"), workspace("restarting-at-restart")]);
    h.platform.onRestart("gone-at-restart", reply.http(404, { error: "workspace not found" }));
    h.platform.onRestart("restarting-at-restart", reply.http(503, { restarting: true }));
    await h.start();
    await h.advance(DEADLINE);
    expect(h.outcome("gone-at-restart")).toEqual({ kind: "gone", seenIn: "restart-answer" });
    expect(h.outcome("restarting-at-restart")).toEqual({ kind: "platform-restarting", seenIn: "restart-answer" });
  });

  it("honours a configurable deadline", async () => {
    const h = stopAllHarness([workspace("short-deadline")], { deadlineMs: 3000 });
    await h.start();
    expect(h.state().deadlineAt - h.state().startedAt).toBe(3000);
    await h.advance(2999);
    expect(h.restarts()).toHaveLength(0);
    await h.advance(1);
    expect(h.restarts()).toHaveLength(1);
  });
});

describe("early finish", () => {
  it("ends as soon as every target is settled: deadline timer cleared, store unwatched; a cancel already sent runs to its own timeout", async () => {
    const h = stopAllHarness([workspace("blocks-then-drains", { protocol: "0.3" }), workspace("drains-fast")]);
    h.fleet.setKnownTaskIds("blocks-then-drains", ["t1"]);
    h.platform.onA2A("blocks-then-drains", reply.hang());
    await h.start();
    await h.advance(500);
    h.fleet.set("drains-fast", { activeTasks: 0 });
    expect(h.state().phase).not.toBe("finished");
    await h.advance(700);
    h.fleet.set("blocks-then-drains", { activeTasks: 0 });
    await h.settle();
    expect(h.state()).toMatchObject({ phase: "finished", finishedAt: h.state().startedAt + 1200, deadlinePassed: false });
    // A drain ends phase 1 without abandoning what was sent (orchestrator.in-flight.test.ts): only its timeout is left.
    const cancel = h.platform.of("a2a", "blocks-then-drains")[0]!;
    expect(cancel.signal?.aborted).toBe(false);
    expect(h.clock.pendingTimers()).toBe(1);
    expect(h.fleet.listenerCount()).toBe(0);
    await h.advance(5000 - 1200);
    expect(cancel.signal?.aborted).toBe(true);
    expect(targetOf(h.state(), "blocks-then-drains")).toMatchObject({ phase: { kind: "settled", outcome: { kind: "drained" } }, finding: { headline: { kind: "timeout" } } });
    expect(h.clock.pendingTimers()).toBe(0);
    await h.advance(DEADLINE * 2);
    expect(h.restarts()).toHaveLength(0);
    expect(h.state().finishedAt).toBe(h.state().startedAt + 1200);
  });
});

describe("snapshots and listeners", () => {
  it("onEvent hears every change in order, and restart-sent before the restart request leaves", async () => {
    const h = stopAllHarness([workspace("drains"), workspace("stuck")]);
    const op = await h.start();
    const heard: string[] = [];
    op.onEvent((event, state) => {
      heard.push("workspaceId" in event ? `${event.type} ${event.workspaceId}` : event.type);
      expect(state).toBe(op.getState());
      if (event.type === "restart-sent") expect(h.restarts(event.workspaceId)).toEqual([]);
    });
    h.fleet.set("drains", { activeTasks: 0 });
    await h.advance(DEADLINE);
    expect(heard).toContain("drained drains");
    expect(heard.slice(heard.indexOf("deadline-passed"))).toEqual(["deadline-passed", "restart-queued stuck", "restart-sent stuck", "restart-answered stuck"]);
    expect(h.restarts("stuck")).toHaveLength(1);
  });

  it("emits a new immutable snapshot on each change", async () => {
    const h = stopAllHarness([workspace("a"), workspace("b")]);
    await h.start();
    const before = h.state();
    h.fleet.set("a", { activeTasks: 0 });
    const after = h.state();
    expect(after).not.toBe(before);
    expect(targetOf(before, "a")?.phase.kind).not.toBe("settled");
    expect(Object.isFrozen(after)).toBe(true);
    expect(h.states.at(-1)).toBe(after);
    expect(new Set(h.states).size).toBe(h.states.length);
  });

  it("unsubscribe stops the calls; a throwing listener does not stop the operation", async () => {
    const h = stopAllHarness([workspace("a"), workspace("b")]);
    const op = await h.start();
    let calls = 0;
    const unsubscribe = op.subscribe(() => calls++);
    op.subscribe(() => {
      throw new Error("listener bug");
    });
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on("uncaughtException", onError);
    try {
      h.fleet.set("a", { activeTasks: 0 });
      unsubscribe();
      h.fleet.set("b", { activeTasks: 0 });
      await h.settle();
    } finally {
      process.off("uncaughtException", onError);
    }
    expect(calls).toBe(1);
    expect(errors).toEqual([new Error("listener bug"), new Error("listener bug")]);
    expect(h.state().phase).toBe("finished");
  });

  it("dispose stops timers, requests and the watch", async () => {
    const h = stopAllHarness([workspace("blocks", { protocol: "0.3" })]);
    h.fleet.setKnownTaskIds("blocks", ["t"]);
    h.platform.onA2A("blocks", reply.hang());
    const op = await h.start();
    op.dispose();
    await h.settle();
    expect(op.isDisposed()).toBe(true);
    expect(h.platform.of("a2a")[0]!.signal?.aborted).toBe(true);
    expect(h.clock.pendingTimers()).toBe(0);
    expect(h.fleet.listenerCount()).toBe(0);
    await h.advance(DEADLINE * 3);
    expect(h.restarts()).toHaveLength(0);
  });

  it("sequence() helper sanity: answers in order", async () => {
    const h = stopAllHarness([workspace("two-answers", { protocol: "0.3" })]);
    h.fleet.setKnownTaskIds("two-answers", ["t1", "t2"]);
    h.platform.onA2A("two-answers", sequence(reply.error(-32001), reply.canceledTask("canceled")));
    await h.start();
    expect(targetOf(h.state(), "two-answers")?.finding?.headline).toEqual({ kind: "delivered", tasks: 1, of: 2 });
  });
});

describe("phase 1 at fleet scale", () => {
  it("starts in batches, one task each, so no task sends every request at once", async () => {
    const count = PHASE1_START_BATCH * 2 + 10;
    const targets = Array.from({ length: count }, (_, i) => workspace(`busy-${i}`, { protocol: "0.3" }));
    const h = stopAllHarness(targets, { maxInFlight: 1000 });
    for (const target of targets) h.fleet.setKnownTaskIds(target.id, [`task-${target.id}`]);
    const sentTo = () => new Set(h.platform.requests.map((r) => r.workspaceId)).size;
    await h.start();
    expect(sentTo()).toBe(PHASE1_START_BATCH);
    // The rest follow in later tasks (zero-delay timers), at the same clock time.
    await h.advance(0);
    expect(sentTo()).toBe(count);
    expect(h.platform.requests.every((r) => r.at === h.state().startedAt)).toBe(true);
  });
});
