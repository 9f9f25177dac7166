import { describe, expect, it } from "vitest";
import type { PlatformClient } from "../platform/client";
import { FakeClock } from "../time/fake-clock";
import { startStopAll } from "./orchestrator";
import { reply, type FakeHandler } from "../platform/testing/fake-platform";
import { stopAllHarness } from "./testing/harness";
import { fleetOf, workspace } from "../fleet/testing/workspaces";
import { targetOf } from "./targets";

const DEADLINE = 8000;
const RESTART_TIMEOUT = 10_000;

/** Every kind of answer the proxy can give, for cancels, listings and restarts alike. */
const EVERY_ANSWER: Record<string, FakeHandler> = {
  "cancel-ok": reply.canceledTask(),
  "rpc-error": reply.error(-32002, "not cancelable"),
  "method-not-found": reply.error(-32601),
  "version-not-supported": reply.error(-32009),
  "queued-poll": reply.http(200, { status: "queued", delivery_mode: "poll" }),
  "queued-busy": reply.http(202, { queued: true, queue_id: "q", queue_depth: 4 }),
  busy: reply.http(503, { busy: true }, 1000),
  waking: reply.http(503, { waking: true }, 2000),
  restarting: reply.http(503, { restarting: true }),
  unavailable: reply.http(503, { code: "platform_unavailable" }),
  unreachable: reply.http(502, { error: "failed to reach workspace agent" }),
  gone: reply.http(404, { error: "workspace not found" }),
  "http-400": reply.http(400),
  "http-401": reply.http(401),
  "http-409": reply.http(409, { error: "parent paused" }),
  "http-429": reply.http(429),
  "http-500": reply.http(500),
  "http-504": reply.http(504),
  "cf-520": reply.text(520, "<html>"),
  "cf-524": reply.text(524, "<html>"),
  network: reply.network(),
  "not-json": reply.text(200, "<html>oops</html>"),
  truncated: reply.text(200, '{"jsonrpc":"2.0","id":"stop-all-1","resu'),
  "wrong-id": () => ({ status: 200, json: { jsonrpc: "2.0", id: "nope", result: {} } }),
  slow: reply.after(20_000, reply.canceledTask()),
  hang: reply.hang(),
};

describe("never: a restart before the deadline unless the operator asked", () => {
  it("whatever phase 1 answers, no restart is sent before the deadline", async () => {
    const names = Object.keys(EVERY_ANSWER);
    const h = stopAllHarness(names.map((name) => workspace(name, { protocol: "0.3" })));
    for (const name of names) {
      h.fleet.setKnownTaskIds(name, ["t1", "t2"]);
      h.platform.onA2A(name, EVERY_ANSWER[name]!);
    }
    await h.start();
    await h.advance(DEADLINE - 1);
    expect(h.restarts()).toEqual([]);
    await h.advance(1);
    expect(h.restarts().every((request) => request.at === h.state().deadlineAt)).toBe(true);
    expect(h.restarts().length).toBeGreaterThan(0);
  });
});

describe("never: a restart of a workspace that drained, is gone, or that the platform is restarting", () => {
  it("not at the deadline, not on restartNow, not on retry", async () => {
    const h = stopAllHarness([
      workspace("drained"),
      workspace("removed"),
      workspace("answered-404", { protocol: "0.3" }),
      workspace("answered-restarting", { protocol: "0.3" }),
      workspace("shown-provisioning"),
      workspace("busy"),
    ]);
    for (const id of ["answered-404", "answered-restarting"]) h.fleet.setKnownTaskIds(id, ["t"]);
    h.platform.onA2A("answered-404", reply.http(404));
    h.platform.onA2A("answered-restarting", reply.http(503, { restarting: true }));
    const op = await h.start();
    h.fleet.set("drained", { activeTasks: 0 });
    h.fleet.remove("removed");
    h.fleet.set("shown-provisioning", { status: "provisioning" });
    op.restartNow();
    await h.advance(DEADLINE);
    op.restartNow();
    op.retryRestart();
    for (const id of h.state().order) op.retryRestart(id);
    await h.advance(DEADLINE);
    expect(h.restarts().map((request) => request.workspaceId)).toEqual(["busy"]);
  });
});

describe("never: two restarts of one workspace", () => {
  it("restartNow twice, then the deadline, then restartNow again: one restart", async () => {
    const h = stopAllHarness([workspace("hammered")]);
    h.platform.onRestart("hammered", reply.after(500, reply.http(200)));
    const op = await h.start();
    op.restartNow("hammered");
    op.restartNow("hammered");
    op.restartNow();
    await h.advance(DEADLINE + 1000);
    op.restartNow("hammered");
    op.retryRestart();
    op.retryRestart("hammered");
    await h.advance(1000);
    expect(h.restarts("hammered")).toHaveLength(1);
  });

  it("a lost answer is never re-sent on its own", async () => {
    const h = stopAllHarness([workspace("lost-by-timeout"), workspace("lost-by-network")]);
    h.platform.onRestart("lost-by-timeout", reply.hang());
    h.platform.onRestart("lost-by-network", reply.network());
    const op = await h.start();
    await h.advance(DEADLINE + RESTART_TIMEOUT + 60_000);
    op.restartNow();
    op.retryRestart();
    await h.advance(60_000);
    expect(h.restarts("lost-by-timeout")).toHaveLength(1);
    expect(h.restarts("lost-by-network")).toHaveLength(1);
  });
});

describe("never: a request to a workspace that was not a target", () => {
  it("non-busy, hibernated, paused, offline, provisioning, failed, removed, unknown-status and malformed workspaces get nothing", async () => {
    const candidates = [
      workspace("busy-online"),
      workspace("busy-degraded", { status: "degraded" }),
      workspace("idle-online", { activeTasks: 0 }),
      workspace("hibernated", { status: "hibernated" }),
      workspace("paused", { status: "paused" }),
      workspace("offline", { status: "offline" }),
      workspace("provisioning", { status: "provisioning" }),
      workspace("failed", { status: "failed" }),
      workspace("removed", { status: "removed" }),
      workspace("strange-status", { status: "unknown", rawStatus: "melting" }),
      workspace("../escape"),
      workspace("busy-online", { name: "duplicate row" }),
    ];
    const h = stopAllHarness(candidates);
    for (const ws of candidates) h.fleet.setKnownTaskIds(ws.id, ["t"]);
    h.fleet.set("not-given-but-busy", { activeTasks: 3 });
    const op = await h.start();
    expect(h.state().order).toEqual(["busy-online", "busy-degraded"]);
    for (const id of ["hibernated", "not-given-but-busy", "idle-online", "../escape"]) {
      op.restartNow(id);
      op.keep(id);
      op.retryRestart(id);
    }
    await h.advance(DEADLINE + RESTART_TIMEOUT);
    op.retryRestart();
    await h.settle();
    const touched = new Set(h.platform.requests.map((request) => request.workspaceId));
    expect([...touched].sort()).toEqual(["busy-degraded", "busy-online"]);
    expect(h.platform.of("list-workspaces")).toHaveLength(0);
  });

  it("targets are fixed at the click: later changes to the input or the fleet add nobody", async () => {
    const targets = [workspace("at-click")];
    const h = stopAllHarness(targets);
    await h.start();
    targets.push(workspace("pushed-later"));
    h.fleet.set("busy-after-click", { activeTasks: 2, status: "online" });
    await h.advance(DEADLINE + 1000);
    expect(new Set(h.platform.requests.map((request) => request.workspaceId))).toEqual(new Set(["at-click"]));
    expect(h.state().order).toEqual(["at-click"]);
  });
});

describe("never: an operation that never ends, whatever the platform answers", () => {
  it.each(Object.keys(EVERY_ANSWER))("phase-1 and restart answers all '%s': ends by deadline + restart timeout, one outcome each", async (name) => {
    const handler = EVERY_ANSWER[name]!;
    const ids = ["p-1-0", "p-0-3", "p-unknown"];
    const h = stopAllHarness([workspace(ids[0]!), workspace(ids[1]!, { protocol: "0.3" }), workspace(ids[2]!, { protocol: "unknown" })]);
    for (const id of ids) {
      h.fleet.setKnownTaskIds(id, ["t1", "t2", "t3"]);
      h.platform.onA2A(id, handler);
      h.platform.onRestart(id, handler);
    }
    await h.start();
    await h.advance(DEADLINE + RESTART_TIMEOUT);
    const state = h.state();
    expect(state.phase).toBe("finished");
    expect(state.finishedAt).toBeLessThanOrEqual(state.startedAt + DEADLINE + RESTART_TIMEOUT);
    for (const id of ids) {
      expect(h.phase(id)?.kind).toBe("settled");
      expect(h.restarts(id).length).toBeLessThanOrEqual(1);
    }
    await h.advance(60_000);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("a client that throws instead of answering cannot stop the operation", async () => {
    const clock = new FakeClock();
    const broken: PlatformClient = {
      listWorkspaces: () => Promise.reject(new Error("unused")),
      postA2A: () => {
        throw new Error("boom");
      },
      restart: () => Promise.reject(new Error("kaput")),
      pause: () => Promise.reject(new Error("kaput")),
      resume: () => Promise.reject(new Error("kaput")),
    };
    const targets = [workspace("broken-client")];
    const op = startStopAll({ targets, client: broken, fleet: fleetOf(targets), clock });
    await clock.advance(DEADLINE + 1);
    expect(targetOf(op.getState(), "broken-client")).toMatchObject({
      finding: { headline: { kind: "network-error" }, listing: { kind: "network-error", message: "boom" } },
      phase: { kind: "settled", outcome: { kind: "unknown", reason: "network", message: "kaput" } },
    });
    expect(op.getState().phase).toBe("finished");
  });
});
