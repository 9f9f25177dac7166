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

  it("a lease lapses strictly after its end", () => {
    expect(hasLapsed(1000, 1000)).toBe(false);
    expect(hasLapsed(1000, 1001)).toBe(true);
  });
});

describe("the fenced client", () => {
  it("sends A2A and restarts only while the fence allows; reading rows is never fenced", async () => {
    const clock = new FakeClock();
    const platform = new FakePlatform(clock);
    const rows = { workspaces: [], warnings: [] };
    const fence = createFence(clock, clock.now());
    const client = fencedClient({ ...platform, listWorkspaces: async () => rows, postA2A: platform.postA2A.bind(platform), restart: platform.restart.bind(platform) }, fence);
    expect((await client.restart("ws-1")).ok).toBe(true);
    fence.lose();
    expect(await client.restart("ws-1")).toEqual({ ok: false, error: "network", message: "not sent: this canvas replica no longer drives the operation" });
    expect((await client.postA2A("ws-1", { jsonrpc: "2.0", id: "1", method: "CancelTask", params: { id: "t" } })).ok).toBe(false);
    expect(await client.listWorkspaces()).toBe(rows);
    expect(platform.of("restart")).toHaveLength(1);
    expect(platform.of("a2a")).toHaveLength(0);
  });
});
