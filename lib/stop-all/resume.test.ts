import { describe, expect, it } from "vitest";
import { reply } from "../platform/testing/fake-platform";
import { stopAllHarness } from "./testing/harness";
import { workspace } from "../fleet/testing/workspaces";
import { targetOf } from "./targets";

const DEADLINE = 8000;
const twoTargets = () => [workspace("drains"), workspace("stuck")];

/** A snapshot as storage would hold it: plain JSON, no shared references. */
const saved = (state: unknown) => JSON.parse(JSON.stringify(state));

describe("resume after the page went away", () => {
  it("re-sends nothing from phase 1 and restarts at the original deadline, once", async () => {
    const h = stopAllHarness(twoTargets());
    h.platform.onA2A("drains", reply.hang());
    h.platform.onA2A("stuck", reply.hang());
    await h.start();
    await h.advance(3000);
    const snapshot = saved(h.state());
    const before = h.platform.requests.length;

    await h.resume(snapshot);
    expect(h.platform.requests).toHaveLength(before);
    expect(targetOf(h.state(), "stuck")).toMatchObject({ phase: { kind: "watching" }, finding: { headline: { kind: "interrupted" } } });
    expect(h.state().deadlineAt).toBe(snapshot.deadlineAt);

    h.fleet.set("drains", { activeTasks: 0 });
    await h.advance(DEADLINE - 3000 - 1);
    expect(h.restarts()).toEqual([]);
    await h.advance(1);
    expect(h.restarts().map((r) => r.workspaceId)).toEqual(["stuck"]);
    expect(h.outcome("drains")).toEqual({ kind: "drained" });
    await h.advance(20_000);
    expect(h.restarts()).toHaveLength(1);
    expect(h.state().phase).toBe("finished");
  });

  it("reports a restart that was sent before the reload as unknown and never sends it again", async () => {
    const h = stopAllHarness([workspace("stuck")]);
    h.platform.onRestart("stuck", reply.hang());
    await h.start();
    await h.advance(DEADLINE + 100);
    expect(h.restarts()).toHaveLength(1);
    await h.resume(saved(h.state()));
    expect(h.outcome("stuck")).toMatchObject({ kind: "unknown", reason: "interrupted" });
    expect(h.state().phase).toBe("finished");
    await h.advance(30_000);
    expect(h.restarts()).toHaveLength(1);
  });

  it("sends a restart that was queued but not yet sent, once", async () => {
    const h = stopAllHarness([workspace("stuck")]);
    await h.start();
    await h.advance(DEADLINE - 10);
    // The snapshot of a restart the operator queued, before the request left.
    const snapshot = saved(h.state());
    snapshot.targets[0].phase = { kind: "restarting", trigger: "operator" };
    snapshot.targets[0].restartAttempts = 1;
    h.op().dispose();
    await h.resume(snapshot);
    expect(h.restarts().map((r) => r.workspaceId)).toEqual(["stuck"]);
    await h.advance(DEADLINE);
    expect(h.restarts()).toHaveLength(1);
    expect(h.outcome("stuck")).toEqual({ kind: "restarted", trigger: "operator" });
  });

  it("restarts at once, once, when the deadline passed while the page was away", async () => {
    const h = stopAllHarness(twoTargets());
    await h.start();
    await h.advance(2000);
    const snapshot = saved(h.state());
    h.op().dispose();
    await h.advance(DEADLINE); // the page is gone past the deadline
    h.fleet.set("drains", { activeTasks: 0 });
    await h.resume(snapshot);
    expect(h.restarts().map((r) => r.workspaceId)).toEqual(["stuck"]);
    expect(h.outcome("drains")).toEqual({ kind: "drained" });
    await h.advance(20_000);
    expect(h.restarts()).toHaveLength(1);
  });

  it("sends nothing when the saved operation had finished", async () => {
    const h = stopAllHarness([workspace("drains")]);
    await h.start();
    h.fleet.set("drains", { activeTasks: 0 });
    await h.settle();
    expect(h.state().phase).toBe("finished");
    const before = h.platform.requests.length;
    await h.resume(saved(h.state()));
    await h.advance(DEADLINE * 2);
    expect(h.platform.requests).toHaveLength(before);
    expect(h.outcome("drains")).toEqual({ kind: "drained" });
  });
});

describe("a deadline timer that fires late (hidden tab)", () => {
  it("restarts on the first store change past the deadline", async () => {
    const h = stopAllHarness([workspace("stuck")]);
    await h.start();
    // Throttling stand-in: the timer has not fired, time has moved on.
    const late = h.state().deadlineAt + 300;
    h.clock.jump(late - h.clock.now());
    expect(h.restarts()).toEqual([]);
    h.fleet.notify(); // the next poll lands
    await h.settle();
    expect(h.restarts().map((r) => r.at)).toEqual([late]);
    await h.advance(DEADLINE);
    expect(h.restarts()).toHaveLength(1);
  });

  it("restarts when the page asks, e.g. when it becomes visible again", async () => {
    const h = stopAllHarness([workspace("stuck")]);
    await h.start();
    h.clock.jump(h.state().deadlineAt + 1 - h.clock.now());
    h.op().checkDeadline();
    await h.settle();
    expect(h.restarts()).toHaveLength(1);
  });
});
