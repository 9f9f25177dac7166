import { describe, expect, it } from "vitest";
import { FakeClock } from "../time/fake-clock";
import { requestRestart } from "./restart-request";
import { FakePlatform, reply, type FakeHandler } from "../platform/testing/fake-platform";

function setup(handler: FakeHandler) {
  const clock = new FakeClock();
  const platform = new FakePlatform(clock).onRestart("ws-1", handler);
  const controller = new AbortController();
  let sentAt: number | undefined;
  const run = () => requestRestart({ platform, clock, timeoutMs: 10_000 }, "ws-1", controller.signal, () => (sentAt = clock.now()));
  return { clock, platform, controller, run, sentAt: () => sentAt };
}

describe("requestRestart", () => {
  it.each([
    [reply.http(200, { status: "provisioning" }), { kind: "accepted", status: 200 }],
    [reply.http(404, { error: "workspace not found" }), { kind: "gone" }],
    [reply.http(503, { restarting: true }), { kind: "platform-restarting" }],
    [reply.http(503, { error: "no provisioner available" }), { kind: "failed", status: 503, message: "no provisioner available" }],
    [reply.http(409, { error: "parent is paused" }), { kind: "failed", status: 409, message: "parent is paused" }],
    [reply.text(500, ""), { kind: "failed", status: 500, message: "HTTP 500" }],
    [reply.http(504), { kind: "lost", reason: "gateway" }],
    [reply.http(524), { kind: "lost", reason: "gateway" }],
    [reply.network("ECONNRESET"), { kind: "lost", reason: "network", message: "ECONNRESET" }],
  ] as const)("answer %# has its meaning, after exactly one request", async (handler, expected) => {
    const { run, platform } = setup(handler as FakeHandler);
    expect(await run()).toMatchObject(expected);
    expect(platform.of("restart")).toHaveLength(1);
  });

  it("a hanging restart is abandoned as lost 10 s after it was sent", async () => {
    const { run, clock, sentAt } = setup(reply.hang());
    const startedAt = clock.now();
    let answer: unknown;
    void run().then((value) => (answer = value));
    await clock.advance(9999);
    expect(answer).toBeUndefined();
    await clock.advance(1);
    expect(answer).toMatchObject({ kind: "lost", reason: "timeout" });
    expect(sentAt()).toBe(startedAt);
  });

  it("an abort loses the answer; nothing is sent when aborted first", async () => {
    const first = setup(reply.hang());
    const pending = first.run();
    first.controller.abort();
    expect(await pending).toMatchObject({ kind: "lost", reason: "aborted" });

    const second = setup(reply.http(200));
    second.controller.abort();
    expect(await second.run()).toEqual({ kind: "not-sent" });
    expect(second.platform.requests).toHaveLength(0);
    expect(second.sentAt()).toBeUndefined();
  });
});
