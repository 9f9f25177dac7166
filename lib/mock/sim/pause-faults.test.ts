import { describe, expect, it } from "vitest";
import type { AgentBehaviour, HoldBehaviour } from "./behaviour";
import { scenarioOf, startSim } from "./testing/harness";

/**
 * Fault injection on pause and resume (e2e/FAULTS.md): every kind, with
 * what happens to the fleet besides the answer, and faults per attempt.
 * A lead with one member; the member's own behaviour is left alone.
 */
const team = (behaviour: Partial<AgentBehaviour> = {}, status?: "paused") =>
  startSim(
    scenarioOf([
      { id: "ws-lead", name: "lead", behaviour, ...(status ? { status, tasks: [] } : {}) },
      { id: "ws-member", parentId: "ws-lead", ...(status ? { status, tasks: [] } : {}), behaviour: { restart: { kind: "ok", restartMs: 100 } } },
    ]),
  );

const statuses = (h: ReturnType<typeof team>) => [h.row("ws-lead")!.status, h.row("ws-member")!.status];

describe("pause fault kinds", () => {
  it.each([
    [404, { error: "workspace not found or already paused" }],
    [500, { error: "lookup failed" }],
    [418, { error: "pause failed" }],
  ])("fail %i: the contract's body (a generic one otherwise), nothing paused", async (status, body) => {
    const h = team({ pause: { kind: "fail", status } });
    expect(h.sim.handlePause("ws-lead")).toEqual({ status, body });
    await h.clock.advance(1000);
    expect(statuses(h)).toEqual(["online", "online"]);
    expect(h.events.filter((e) => e.event === "WORKSPACE_PAUSED")).toEqual([]);
  });

  it("hang: the whole cascade is paused, the answer never comes", () => {
    const h = team({ pause: { kind: "hang" } });
    expect(h.sim.handlePause("ws-lead")).toEqual({ status: 0, hang: true });
    expect(statuses(h)).toEqual(["paused", "paused"]);
  });

  it("gateway-error: the whole cascade is paused, a gateway answers its status as text", () => {
    const h = team({ pause: { kind: "gateway-error", status: 524 } });
    expect(h.sim.handlePause("ws-lead")).toEqual({ status: 524, rawBody: "error code: 524", headers: { "Content-Type": "text/plain; charset=UTF-8" } });
    expect(statuses(h)).toEqual(["paused", "paused"]);
  });

  it("connection-refused: nothing happens", async () => {
    const h = team({ pause: { kind: "connection-refused" } });
    expect(h.sim.handlePause("ws-lead")).toEqual({ status: 0, networkError: true });
    await h.clock.advance(1000);
    expect(statuses(h)).toEqual(["online", "online"]);
    expect(h.row("ws-lead")!.active_tasks).toBe(1);
  });

  it("pauseFaults per attempt: the first 500, the retry 200; later attempts go through to `pause`", () => {
    const h = team({ pauseFaults: [{ answer: { kind: "fail", status: 500 }, firstAttempts: 1 }] });
    expect(h.sim.handlePause("ws-lead").status).toBe(500);
    expect(statuses(h)).toEqual(["online", "online"]);
    expect(h.sim.handlePause("ws-lead")).toMatchObject({ status: 200, body: { paused_count: 2 } });
  });

  it("the platform's own 404 is no attempt; setBehaviour with pauseFaults restarts the count", () => {
    const h = team({ pauseFaults: [{ answer: { kind: "hang" }, attempts: [2] }] });
    expect(h.sim.handlePause("ws-lead").status).toBe(200);
    expect(h.sim.handlePause("ws-lead").status).toBe(404);
    h.sim.handleResume("ws-lead");
    expect(h.sim.handlePause("ws-lead").hang).toBe(true);
    h.sim.setBehaviour("ws-lead", { pauseFaults: [{ answer: { kind: "fail", status: 500 }, firstAttempts: 1 }] });
    h.sim.handleResume("ws-lead");
    expect(h.sim.handlePause("ws-lead").status).toBe(500);
  });
});

describe("resume fault kinds", () => {
  it.each([
    [404, { error: "workspace not found or not paused" }],
    [409, { error: 'parent workspace "lead" is paused — resume it first' }],
    [500, { error: "lookup failed" }],
    [503, { error: "provisioner not available" }],
    [418, { error: "resume failed" }],
  ])("fail %i: the contract's body (a generic one otherwise), nothing resumed", async (status, body) => {
    // The member is the one resumed, so an injected 409 has a parent to name.
    const h = startSim(
      scenarioOf([
        { id: "ws-lead", name: "lead" },
        { id: "ws-member", parentId: "ws-lead", status: "paused", tasks: [], behaviour: { resume: { kind: "fail", status } } },
      ]),
    );
    expect(h.sim.handleResume("ws-member")).toEqual({ status, body });
    await h.clock.advance(5000);
    expect(h.row("ws-member")!.status).toBe("paused");
    expect(h.events.filter((e) => e.event === "WORKSPACE_PROVISIONING")).toEqual([]);
  });

  it("an injected 409 on a workspace without a parent names none in particular", () => {
    const h = team({ resume: { kind: "fail", status: 409 } }, "paused");
    expect(h.sim.handleResume("ws-lead")).toEqual({ status: 409, body: { error: 'parent workspace "parent" is paused — resume it first' } });
  });

  it.each<[string, HoldBehaviour, object]>([
    ["hang", { kind: "hang" }, { status: 0, hang: true }],
    ["gateway-error", { kind: "gateway-error", status: 504 }, { status: 504, rawBody: "error code: 504" }],
  ])("%s: the whole cascade is resumed, the answer is lost", async (_name, resume, answer) => {
    const h = team({ resume, restart: { kind: "ok", restartMs: 100 } }, "paused");
    expect(h.sim.handleResume("ws-lead")).toMatchObject(answer);
    expect(statuses(h)).toEqual(["provisioning", "provisioning"]);
    await h.clock.advance(100);
    expect(statuses(h)).toEqual(["online", "online"]);
  });

  it("connection-refused: nothing happens", async () => {
    const h = team({ resume: { kind: "connection-refused" } }, "paused");
    expect(h.sim.handleResume("ws-lead")).toEqual({ status: 0, networkError: true });
    await h.clock.advance(5000);
    expect(statuses(h)).toEqual(["paused", "paused"]);
  });

  it("resumeFaults per attempt: the first 503, the second fine", () => {
    const h = team({ resumeFaults: [{ answer: { kind: "fail", status: 503 }, firstAttempts: 1 }] }, "paused");
    expect(h.sim.handleResume("ws-lead")).toEqual({ status: 503, body: { error: "provisioner not available" } });
    expect(statuses(h)).toEqual(["paused", "paused"]);
    expect(h.sim.handleResume("ws-lead")).toEqual({ status: 200, body: { status: "provisioning", resumed_count: 2 } });
  });

  it("the platform's own 404 / 409 / 503 are no attempts; setBehaviour with resumeFaults restarts the count", () => {
    const h = startSim(
      scenarioOf([
        { id: "ws-lead", name: "lead", status: "paused", tasks: [] },
        { id: "ws-member", parentId: "ws-lead", status: "paused", tasks: [], behaviour: { resumeFaults: [{ answer: { kind: "fail", status: 500 }, attempts: [1] }] } },
      ]),
    );
    expect(h.sim.handleResume("ws-member").status).toBe(409);
    h.sim.setPlatformDown(true);
    expect(h.sim.handleResume("ws-member").status).toBe(503);
    h.sim.setPlatformDown(false);
    h.sim.setBehaviour("ws-lead", { resume: { kind: "ok" } });
    expect(h.sim.handleResume("ws-lead").status).toBe(200);
    expect(h.sim.handleResume("ws-member").status).toBe(404);
    h.sim.handlePause("ws-member");
    expect(h.sim.handleResume("ws-member").status).toBe(500);
    expect(h.sim.handleResume("ws-member").status).toBe(200);
    h.sim.handlePause("ws-member");
    h.sim.setBehaviour("ws-member", { resumeFaults: [{ answer: { kind: "fail", status: 500 }, attempts: [1] }] });
    expect(h.sim.handleResume("ws-member").status).toBe(500);
  });
});
