import { describe, expect, it } from "vitest";
import { reply, sequence } from "../platform/testing/fake-platform";
import { stopAllHarness } from "./testing/harness";
import { workspace } from "../fleet/testing/workspaces";
import { targetOf } from "./targets";

const DEADLINE = 8000;

describe("restartNow", () => {
  it("one: restarts that workspace now; the others wait for the deadline", async () => {
    const h = stopAllHarness([workspace("operator-restarts-it"), workspace("waits")]);
    const op = await h.start();
    await h.advance(1000);
    op.restartNow("operator-restarts-it");
    await h.settle();
    expect(h.restarts().map((request) => [request.workspaceId, request.at - h.state().startedAt])).toEqual([["operator-restarts-it", 1000]]);
    expect(h.outcome("operator-restarts-it")).toEqual({ kind: "restarted", trigger: "operator" });
    await h.advance(DEADLINE);
    expect(h.restarts().map((request) => request.workspaceId)).toEqual(["operator-restarts-it", "waits"]);
  });

  it("all: restarts every undrained target now, never a drained one, and nothing more at the deadline", async () => {
    const h = stopAllHarness([workspace("drained-first"), workspace("busy-1"), workspace("busy-2")]);
    const op = await h.start();
    h.fleet.set("drained-first", { activeTasks: 0 });
    await h.advance(2000);
    op.restartNow();
    await h.settle();
    expect(h.restarts().map((request) => request.workspaceId).sort()).toEqual(["busy-1", "busy-2"]);
    expect(h.state().phase).toBe("finished");
    await h.advance(DEADLINE);
    expect(h.restarts()).toHaveLength(2);
    expect(h.outcome("drained-first")).toEqual({ kind: "drained" });
  });

  it("aborts the target's phase-1 requests", async () => {
    const h = stopAllHarness([workspace("cancel-blocks", { protocol: "0.3" })]);
    h.fleet.setKnownTaskIds("cancel-blocks", ["t"]);
    h.platform.onA2A("cancel-blocks", reply.hang());
    const op = await h.start();
    op.restartNow("cancel-blocks");
    await h.settle();
    expect(h.platform.of("a2a")[0]!.signal?.aborted).toBe(true);
    expect(h.restarts()).toHaveLength(1);
  });

  it("after a drain does nothing for the drained one", async () => {
    const h = stopAllHarness([workspace("drained")]);
    const op = await h.start();
    h.fleet.set("drained", { activeTasks: 0 });
    op.restartNow("drained");
    op.restartNow();
    await h.advance(DEADLINE);
    expect(h.restarts()).toHaveLength(0);
  });

  it("after the deadline does nothing: no second restart", async () => {
    const h = stopAllHarness([workspace("restarted-at-deadline"), workspace("restart-in-flight")]);
    h.platform.onRestart("restart-in-flight", reply.after(3000, reply.http(200)));
    const op = await h.start();
    await h.advance(DEADLINE + 1);
    op.restartNow();
    op.restartNow("restarted-at-deadline");
    op.restartNow("restart-in-flight");
    await h.advance(5000);
    expect(h.restarts("restarted-at-deadline")).toHaveLength(1);
    expect(h.restarts("restart-in-flight")).toHaveLength(1);
  });
});

describe("keep (don't restart)", () => {
  it("one, before the deadline: outcome kept and no restart at the deadline", async () => {
    const h = stopAllHarness([workspace("operator-keeps-it"), workspace("other")]);
    const op = await h.start();
    await h.advance(3000);
    op.keep("operator-keeps-it");
    expect(h.outcome("operator-keeps-it")).toEqual({ kind: "kept" });
    await h.advance(DEADLINE);
    expect(h.restarts().map((request) => request.workspaceId)).toEqual(["other"]);
  });

  it("all: every open target kept, the operation ends at once", async () => {
    const h = stopAllHarness([workspace("drained"), workspace("k1"), workspace("k2")]);
    const op = await h.start();
    h.fleet.set("drained", { activeTasks: 0 });
    op.keep();
    expect(h.state().phase).toBe("finished");
    expect([h.outcome("drained"), h.outcome("k1"), h.outcome("k2")]).toEqual([{ kind: "drained" }, { kind: "kept" }, { kind: "kept" }]);
    await h.advance(DEADLINE * 2);
    expect(h.platform.of("restart")).toHaveLength(0);
  });

  it("a kept workspace that drains later stays kept", async () => {
    const h = stopAllHarness([workspace("kept-then-drains"), workspace("other")]);
    const op = await h.start();
    op.keep("kept-then-drains");
    h.fleet.set("kept-then-drains", { activeTasks: 0 });
    expect(h.outcome("kept-then-drains")).toEqual({ kind: "kept" });
  });

  it("after the deadline changes nothing: a restart in flight stays a restart", async () => {
    const h = stopAllHarness([workspace("restart-slow")]);
    h.platform.onRestart("restart-slow", reply.after(2000, reply.http(200)));
    const op = await h.start();
    await h.advance(DEADLINE + 100);
    op.keep();
    op.keep("restart-slow");
    await h.advance(2000);
    expect(h.outcome("restart-slow")).toEqual({ kind: "restarted", trigger: "deadline" });
  });
});

describe("retryRestart", () => {
  it("retries restart-failed targets; not the lost ones unless named", async () => {
    const h = stopAllHarness([workspace("restart-fails-once"), workspace("restart-answer-lost"), workspace("restart-ok")]);
    h.platform.onRestart("restart-fails-once", sequence(reply.http(503, { error: "no provisioner" }), reply.http(200)));
    h.platform.onRestart("restart-answer-lost", sequence(reply.network("reset"), reply.http(200)));
    const op = await h.start();
    await h.advance(DEADLINE);
    expect(h.outcome("restart-fails-once")).toEqual({ kind: "restart-failed", status: 503, message: "no provisioner" });
    expect(h.outcome("restart-answer-lost")).toMatchObject({ kind: "unknown" });

    op.retryRestart();
    await h.settle();
    expect(h.restarts("restart-fails-once")).toHaveLength(2);
    expect(h.restarts("restart-answer-lost")).toHaveLength(1);
    expect(h.restarts("restart-ok")).toHaveLength(1);
    expect(h.outcome("restart-fails-once")).toEqual({ kind: "restarted", trigger: "retry" });
    expect(targetOf(h.state(), "restart-fails-once")?.restartAttempts).toBe(2);

    // The lost one only on the operator's explicit word for that workspace.
    op.retryRestart("restart-answer-lost");
    await h.settle();
    expect(h.restarts("restart-answer-lost")).toHaveLength(2);
    expect(h.outcome("restart-answer-lost")).toEqual({ kind: "restarted", trigger: "retry" });
    expect(h.state().phase).toBe("finished");
  });

  it("does nothing for drained, restarted, kept or still-open targets", async () => {
    const h = stopAllHarness([workspace("drained"), workspace("kept"), workspace("open"), workspace("restarted")]);
    const op = await h.start();
    h.fleet.set("drained", { activeTasks: 0 });
    op.keep("kept");
    op.restartNow("restarted");
    await h.settle();
    for (const id of ["drained", "kept", "open", "restarted"]) op.retryRestart(id);
    op.retryRestart();
    await h.settle();
    expect(h.restarts().map((request) => request.workspaceId)).toEqual(["restarted"]);
  });

  it("the operation is restarting while a retry is in flight, finished again after", async () => {
    const h = stopAllHarness([workspace("fails-then-slow")]);
    h.platform.onRestart("fails-then-slow", sequence(reply.http(500), reply.after(1000, reply.http(200))));
    const op = await h.start();
    await h.advance(DEADLINE);
    expect(h.state().phase).toBe("finished");
    op.retryRestart("fails-then-slow");
    await h.settle();
    expect(h.state().phase).toBe("restarting");
    await h.advance(1000);
    expect(h.state().phase).toBe("finished");
  });
});
