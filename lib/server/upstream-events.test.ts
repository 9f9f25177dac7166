import { once } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeClock } from "../time/fake-clock";
import { HUB_FAST, TOKEN, heartbeat } from "./testing/events";
import { startUpstream } from "./testing/upstream";
import type { UpstreamEvents, UpstreamEventsConfig, UpstreamState } from "./upstream-events";

vi.mock("server-only", () => ({}));
const { backoffDelay, createUpstreamEvents } = await import("./upstream-events");

// The hub as server code uses it: subscribe, read text or parsed values, follow the state.
// Time is a FakeClock (backoff, idle close, liveness); the sockets are real.
let upstream: Awaited<ReturnType<typeof startUpstream>>;
let clock: FakeClock;
let hub: UpstreamEvents;
beforeEach(async () => {
  upstream = await startUpstream();
  clock = new FakeClock();
  hub = makeHub();
});
afterEach(async () => {
  hub.close();
  await upstream.close();
});

function makeHub(options: Partial<UpstreamEventsConfig> = {}) {
  return createUpstreamEvents({ url: `${upstream.url.replace("http", "ws")}ws`, token: TOKEN, ...HUB_FAST, timers: clock, random: () => 0, ...options });
}

/** A subscriber that records what it is told and can wait for a state. */
function record(target = hub) {
  const seen = { states: [] as UpstreamState[], texts: [] as string[], values: [] as unknown[] };
  const waiters: { state: UpstreamState; resolve: () => void }[] = [];
  const unsubscribe = target.subscribe({
    onMessage: (text, value) => {
      seen.texts.push(text);
      seen.values.push(value);
    },
    onState: (state) => {
      seen.states.push(state);
      for (const waiter of waiters.filter((entry) => entry.state === state)) waiter.resolve();
    },
  });
  const reached = (state: UpstreamState) => (target.state() === state ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ state, resolve })));
  return { ...seen, unsubscribe, reached };
}

/** Waits (real time) until `check` holds: the network is real even when the clock is not. */
async function eventually(check: () => boolean) {
  for (let waited = 0; !check(); waited += 5) {
    if (waited > 2_000) throw new Error("condition not met in 2 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("upstream events hub", () => {
  it("connects when server code subscribes, hands over text and parsed value, and reports each state change", async () => {
    expect(hub.state()).toBe("closed");
    const listener = record();
    await listener.reached("open");
    const socket = await upstream.nextSocket();
    socket.send(heartbeat("ws-1", 2));
    socket.send("not json {");
    socket.send(JSON.stringify({ event: "DEBUG", payload: { echoed: TOKEN } }));
    await eventually(() => listener.texts.length === 2);
    expect(listener.texts).toEqual([heartbeat("ws-1", 2), '{"event":"DEBUG","payload":{"echoed":"[redacted]"}}']);
    expect(listener.values).toEqual([JSON.parse(heartbeat("ws-1", 2)), { event: "DEBUG", payload: { echoed: "[redacted]" } }]);

    socket.terminate();
    await listener.reached("reconnecting");
    await clock.advance(HUB_FAST.backoff.initialMs / 2);
    await listener.reached("open");
    expect(listener.states).toEqual(["connecting", "open", "reconnecting", "open"]);
    expect(upstream.connections()).toBe(2);
  });

  it("shares one attempt among concurrent ensureOpen calls and, with nobody subscribed, does not retry a failure", async () => {
    upstream.acceptSocket(() => 503);
    const results = await Promise.all([hub.ensureOpen(), hub.ensureOpen(), hub.ensureOpen()]);
    expect(results).toEqual(Array(3).fill({ ok: false, error: "Unexpected server response: 503" }));
    expect(upstream.upgrades).toHaveLength(1);
    expect(hub.state()).toBe("closed");
    expect(clock.pendingTimers()).toBe(0);

    upstream.acceptSocket(() => null);
    expect(await hub.ensureOpen()).toEqual({ ok: true });
    expect(await hub.ensureOpen()).toEqual({ ok: true });
    expect(upstream.connections()).toBe(1);
  });

  it("keeps retrying with backoff while subscribed, tries at once when asked, and stops when the last listener leaves", async () => {
    upstream.acceptSocket(() => 503);
    const listener = record();
    await listener.reached("reconnecting");
    await clock.advance(HUB_FAST.backoff.initialMs / 2 - 1);
    expect(upstream.upgrades).toHaveLength(1); // still waiting out the backoff
    await clock.advance(1);
    await eventually(() => upstream.upgrades.length === 2);

    upstream.acceptSocket(() => null);
    await eventually(() => clock.pendingTimers() === 1); // the second failure scheduled the next retry
    expect(await hub.ensureOpen()).toEqual({ ok: true }); // without advancing the clock
    expect(listener.states).toEqual(["connecting", "reconnecting", "open"]);

    (await upstream.nextSocket()).terminate();
    upstream.acceptSocket(() => 503);
    await listener.reached("reconnecting");
    listener.unsubscribe();
    expect(hub.state()).toBe("closed");
    await clock.advance(60_000);
    expect(upstream.upgrades).toHaveLength(3);
  });

  it("computes capped exponential backoff with jitter in [base/2, base)", () => {
    const backoff = { initialMs: 100, maxMs: 1_000 };
    expect([0, 1, 2, 3, 4, 10].map((failures) => backoffDelay(failures, backoff, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect(backoffDelay(2, backoff, () => 0.999)).toBeCloseTo(399.8);
  });

  it("closes a socket nobody listens to after idleCloseMs, unless someone subscribes again meanwhile", async () => {
    hub.close();
    hub = makeHub({ pingMs: 1_000 * HUB_FAST.idleCloseMs }); // no liveness check while the clock jumps
    const first = record();
    await first.reached("open");
    const socket = await upstream.nextSocket();
    first.unsubscribe();
    await clock.advance(HUB_FAST.idleCloseMs - 1);
    const second = record();
    await clock.advance(HUB_FAST.idleCloseMs * 2);
    expect(hub.state()).toBe("open");

    second.unsubscribe();
    const closed = once(socket, "close");
    await clock.advance(HUB_FAST.idleCloseMs);
    await closed;
    expect(hub.state()).toBe("closed");
    expect(upstream.connections()).toBe(1);
  });

  it("treats a platform that stops answering pings as dropped", async () => {
    await upstream.close();
    upstream = await startUpstream({ autoPong: false });
    hub = makeHub();
    const listener = record();
    await listener.reached("open");
    const silent = await upstream.nextSocket();
    const pinged = once(silent, "ping");
    await clock.advance(HUB_FAST.pingMs);
    await pinged;
    await clock.advance(HUB_FAST.pingMs);
    await listener.reached("reconnecting");
  });

  it("reconnects after an oversize message instead of relaying it", async () => {
    hub.close();
    hub = makeHub({ maxMessageBytes: 64 });
    const listener = record();
    await listener.reached("open");
    (await upstream.nextSocket()).send(JSON.stringify({ event: "HUGE", payload: "x".repeat(100) }));
    await listener.reached("reconnecting");
    await clock.advance(HUB_FAST.backoff.maxMs);
    await listener.reached("open");
    expect(listener.texts).toEqual([]);
  });

  it("keeps delivering when a listener throws, and reports the error", async () => {
    const reportError = vi.fn();
    hub.close();
    hub = makeHub({ reportError });
    hub.subscribe({
      onMessage: () => {
        throw new Error("listener bug");
      },
      onState: () => undefined,
    });
    const listener = record();
    await listener.reached("open");
    (await upstream.nextSocket()).send(heartbeat("ws-1", 1));
    await eventually(() => listener.texts.length === 1);
    expect(reportError).toHaveBeenCalledWith(new Error("listener bug"));
  });

  it("close() tells every listener, drops them, and a later demand opens a new socket", async () => {
    const listener = record();
    await listener.reached("open");
    const socket = await upstream.nextSocket();
    const closed = once(socket, "close");
    hub.close();
    await closed;
    expect(listener.states).toEqual(["connecting", "open", "closed"]);
    expect(clock.pendingTimers()).toBe(0);

    expect(await hub.ensureOpen()).toEqual({ ok: true });
    expect(listener.states).toHaveLength(3);
    expect(upstream.connections()).toBe(2);
  });
});
