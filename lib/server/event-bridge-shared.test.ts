import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sseReader } from "./sse-reader";
import { BRIDGE_FAST, EVENTS, HUB_FAST, TOKEN, heartbeat } from "./testing/events";
import { startUpstream } from "./testing/upstream";
import type { UpstreamEvents } from "./upstream-events";

vi.mock("server-only", () => ({}));
const { createEventsHandler } = await import("./events-handler");
const { createUpstreamEvents } = await import("./upstream-events");
const { platformSocketUrl, platformUpstreamEvents } = await import("./shared-upstream-events");

// Many browsers, one platform socket: every stream is a subscriber of the same hub.
let upstream: Awaited<ReturnType<typeof startUpstream>>;
let hub: UpstreamEvents;
beforeEach(async () => {
  upstream = await startUpstream();
  upstream.acceptSocket((headers) => (headers.authorization === `Bearer ${TOKEN}` ? null : 401));
  hub = createUpstreamEvents({ url: platformSocketUrl(upstream.url), token: TOKEN, ...HUB_FAST });
});
afterEach(async () => {
  hub.close();
  await upstream.close();
});

async function browser(deps = {}) {
  const handler = createEventsHandler({ mode: "live", platformUrl: upstream.url, token: TOKEN }, { hub, ...BRIDGE_FAST, ...deps });
  const response = await handler(new Request(EVENTS));
  expect(response.status).toBe(200);
  const sse = sseReader(response);
  expect(await sse.next()).toBe("retry: 5000\n: connected");
  return Object.assign(sse, { response });
}

const data = (frame: string | null) => frame?.startsWith("data:") ?? false;

describe("event bridge on one shared upstream", () => {
  it("serves N browser streams, opened at once, from exactly one platform socket", async () => {
    const browsers = await Promise.all([browser(), browser(), browser(), browser(), browser()]);
    const socket = await upstream.nextSocket();
    socket.send(heartbeat("ws-1", 3));
    for (const sse of browsers) expect(await sse.until(data)).toBe(`data: ${heartbeat("ws-1", 3)}`);
    expect(upstream.connections()).toBe(1);
    expect(upstream.upgrades).toHaveLength(1);
    await Promise.all(browsers.map((sse) => sse.cancel()));
  });

  it("gives a browser that joins later the events from then on, without a new socket", async () => {
    const first = await browser();
    const socket = await upstream.nextSocket();
    socket.send(heartbeat("ws-1", 1));
    expect(await first.until(data)).toBe(`data: ${heartbeat("ws-1", 1)}`);

    const late = await browser();
    socket.send(heartbeat("ws-1", 0));
    expect(await late.until(data)).toBe(`data: ${heartbeat("ws-1", 0)}`);
    expect(await first.until(data)).toBe(`data: ${heartbeat("ws-1", 0)}`);
    expect(upstream.connections()).toBe(1);
    await Promise.all([first.cancel(), late.cancel()]);
  });

  it("keeps the others streaming when one browser leaves or is dropped for not reading", async () => {
    const leaving = await browser();
    const staying = await browser();
    const slow = await browser({ maxBufferedBytes: 4 * 1024 });
    const socket = await upstream.nextSocket();
    await leaving.cancel();
    // Two batches of frames (see frame-batch.ts): the response takes the first from the stream even unread.
    for (const round of [0, 1]) {
      for (let i = 0; i < 200; i += 1) socket.send(heartbeat(`ws-${round}-${i}`, i));
      for (let i = 0; i < 200; i += 1) expect(await staying.until(data)).toBe(`data: ${heartbeat(`ws-${round}-${i}`, i)}`);
    }
    await expect(async () => {
      while ((await slow.next()) !== null);
    }).rejects.toThrow(/not reading the event stream/);
    expect(socket.readyState).toBe(socket.OPEN);
    expect(hub.state()).toBe("open");
    expect(upstream.connections()).toBe(1);
    await staying.cancel();
  });

  it("reconnects once for everybody when the platform drops the socket", async () => {
    const browsers = await Promise.all([browser(), browser(), browser()]);
    (await upstream.nextSocket()).terminate();
    const upstreamFrame = (frame: string | null) => frame?.startsWith("event: upstream") ?? false;
    for (const sse of browsers) expect(await sse.until(upstreamFrame)).toBe('event: upstream\ndata: {"state":"reconnecting"}');
    const second = await upstream.nextSocket();
    for (const sse of browsers) expect(await sse.until(upstreamFrame)).toBe('event: upstream\ndata: {"state":"open"}');
    second.send(heartbeat("ws-2", 2));
    for (const sse of browsers) expect(await sse.until(data)).toBe(`data: ${heartbeat("ws-2", 2)}`);
    expect(upstream.connections()).toBe(2);
    await Promise.all(browsers.map((sse) => sse.cancel()));
  });

  it("redacts the token from what the platform sends, for every browser", async () => {
    const browsers = await Promise.all([browser(), browser()]);
    const socket = await upstream.nextSocket();
    socket.send(JSON.stringify({ event: "DEBUG", payload: { echoed: `Bearer ${TOKEN}` } }));
    for (const sse of browsers) expect(await sse.until(data)).toBe('data: {"event":"DEBUG","payload":{"echoed":"Bearer [redacted]"}}');
    await Promise.all(browsers.map((sse) => sse.cancel()));
  });

  it("uses the process-wide hub when none is given, the one server code gets from platformUpstreamEvents", async () => {
    const config = { mode: "live" as const, platformUrl: upstream.url, token: TOKEN };
    const shared = platformUpstreamEvents(config)!;
    expect(platformUpstreamEvents({ ...config })).toBe(shared);
    expect(platformUpstreamEvents({ ...config, token: null })).not.toBe(shared);
    expect(platformUpstreamEvents({ mode: "mock" })).toBeNull();
    const seen: string[] = [];
    const unsubscribe = shared.subscribe({ onMessage: (text) => seen.push(text), onState: () => undefined });

    const sse = sseReader(await createEventsHandler(config, BRIDGE_FAST)(new Request(EVENTS)));
    const socket = await upstream.nextSocket();
    socket.send(heartbeat("ws-9", 1));
    expect(await sse.until(data)).toBe(`data: ${heartbeat("ws-9", 1)}`);
    expect(seen).toEqual([heartbeat("ws-9", 1)]);
    expect(upstream.connections()).toBe(1);
    unsubscribe();
    await sse.cancel();
    shared.close();
  });
});
