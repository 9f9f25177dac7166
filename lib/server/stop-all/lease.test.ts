import { describe, expect, it } from "vitest";

import { FakePlatform } from "../../platform/testing/fake-platform";
import { FakeClock } from "../../time/fake-clock";
import { fencedClient } from "./fenced-client";
import { createFence, FENCE_MARGIN_MS, hasLapsed, LEASE_MS } from "./lease";

describe("the fence", () => {
  it("lets a replica send until a margin before its lease could lapse, and renewals move that on", async () => {
    const clock = new FakeClock();
    const fence = createFence(clock, clock.now());
    await clock.advance(LEASE_MS - FENCE_MARGIN_MS - 1);
    expect(fence.mayAct()).toBe(true);
    await clock.advance(1);
    expect(fence.mayAct()).toBe(false);
    // A renewal that began earlier (a slow write) counts from its start.
    fence.renewed(clock.now() - 200);
    expect(fence.mayAct()).toBe(true);
    await clock.advance(LEASE_MS - FENCE_MARGIN_MS - 200);
    expect(fence.mayAct()).toBe(false);
  });

  it("a frozen replica (SIGSTOP, a long pause) finds it expired when it wakes; a lost lease never comes back", () => {
    const clock = new FakeClock();
    const fence = createFence(clock, clock.now());
    clock.jump(10_000); // no timer ran: the process was frozen
    expect(fence.mayAct()).toBe(false);
    fence.renewed(clock.now());
    expect(fence.mayAct()).toBe(true);
    fence.lose();
    fence.renewed(clock.now());
    expect([fence.mayAct(), fence.lost()]).toEqual([false, true]);
  });

  it("waitToAct: true at once while valid; a fence that ran out waits for the next renewal, and a lost lease or an abort ends the wait with false", async () => {
    const clock = new FakeClock();
    const fence = createFence(clock, clock.now());
    expect(await fence.waitToAct()).toBe(true);
    await clock.advance(LEASE_MS);
    const renewedLater = fence.waitToAct();
    const aborted = new AbortController();
    const givenUp = fence.waitToAct(aborted.signal);
    let settled = false;
    void renewedLater.then(() => (settled = true));
    await clock.advance(100);
    expect(settled).toBe(false);
    aborted.abort();
    expect(await givenUp).toBe(false);
    fence.renewed(clock.now() - 3000); // a renewal too old to make it valid again: still waiting
    await Promise.resolve();
    expect(settled).toBe(false);
    fence.renewed(clock.now());
    expect(await renewedLater).toBe(true);
    await clock.advance(LEASE_MS);
    const beforeLoss = fence.waitToAct();
    fence.lose();
    expect([await beforeLoss, await fence.waitToAct()]).toEqual([false, false]);
  });

  it("a lease lapses strictly after its end", () => {
    expect(hasLapsed(1000, 1000)).toBe(false);
    expect(hasLapsed(1000, 1001)).toBe(true);
  });
});

describe("the fenced client", () => {
  it("sends A2A, restarts, pauses and resumes only while the fence allows; reading rows is never fenced", async () => {
    const clock = new FakeClock();
    const platform = new FakePlatform(clock);
    const rows = { workspaces: [], warnings: [] };
    const fence = createFence(clock, clock.now());
    const client = fencedClient({ ...platform, listWorkspaces: async () => rows, postA2A: platform.postA2A.bind(platform), restart: platform.restart.bind(platform), pause: platform.pause.bind(platform), resume: platform.resume.bind(platform) }, fence);
    expect((await client.restart("ws-1")).ok).toBe(true);
    fence.lose();
    expect(await client.restart("ws-1")).toEqual({ ok: false, error: "network", message: "not sent: this canvas replica no longer drives the operation" });
    expect((await client.postA2A("ws-1", { jsonrpc: "2.0", id: "1", method: "CancelTask", params: { id: "t" } })).ok).toBe(false);
    expect(await client.listWorkspaces()).toBe(rows);
    expect(platform.of("restart")).toHaveLength(1);
    expect(platform.of("a2a")).toHaveLength(0);
    expect((await client.pause("ws-1")).ok).toBe(false);
    expect((await client.resume("ws-1")).ok).toBe(false);
    expect(platform.of("pause")).toHaveLength(0);
    expect(platform.of("resume")).toHaveLength(0);
  });

  it("holds a call while the fence has run out, sends it once a renewal lands, and fails it if its own signal ends first", async () => {
    const clock = new FakeClock();
    const platform = new FakePlatform(clock);
    const fence = createFence(clock, clock.now());
    const client = fencedClient({ listWorkspaces: async () => ({ workspaces: [], warnings: [] }), postA2A: platform.postA2A.bind(platform), restart: platform.restart.bind(platform), pause: platform.pause.bind(platform), resume: platform.resume.bind(platform) }, fence);
    await clock.advance(LEASE_MS);
    const held = client.restart("ws-1");
    const timedOut = new AbortController();
    const ended = client.postA2A("ws-2", { jsonrpc: "2.0", id: "1", method: "CancelTask", params: { id: "t" } }, timedOut.signal);
    await clock.advance(500);
    expect(platform.requests).toHaveLength(0);
    timedOut.abort();
    expect(await ended).toEqual({ ok: false, error: "network", message: "not sent: this canvas replica no longer drives the operation" });
    fence.renewed(clock.now());
    expect((await held).ok).toBe(true);
    expect(platform.of("restart").map((r) => r.workspaceId)).toEqual(["ws-1"]);
    expect(platform.of("a2a")).toHaveLength(0);
  });
});
