import { once } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sseReader } from "./sse-reader";
import { BRIDGE_FAST, EVENTS, HUB_FAST, TOKEN, heartbeat as event } from "./testing/events";
import { startUpstream } from "./testing/upstream";
import type { UpstreamEvents, UpstreamEventsConfig } from "./upstream-events";

vi.mock("server-only", () => ({}));
const { createEventsHandler } = await import("./events-handler");
const { createUpstreamEvents } = await import("./upstream-events");
const { platformSocketUrl } = await import("./shared-upstream-events");
const { FRAME_BATCH_MS } = await import("./frame-batch");

let upstream: Awaited<ReturnType<typeof startUpstream>>;
let hub: UpstreamEvents;
beforeEach(async () => {
  upstream = await startUpstream();
  upstream.acceptSocket((headers) => (headers.authorization === `Bearer ${TOKEN}` ? null : 401));
  useHub();
});
afterEach(async () => {
  hub.close();
  await upstream.close();
});

/** Replaces the test's hub (e.g. other timings, or after restarting the upstream). */
function useHub(options: Partial<UpstreamEventsConfig> = {}) {
  hub?.close();
  hub = createUpstreamEvents({ url: platformSocketUrl(upstream.url), token: TOKEN, ...HUB_FAST, ...options });
}

function open(deps = {}, signal?: AbortSignal) {
  const handler = createEventsHandler({ mode: "live", platformUrl: upstream.url, token: TOKEN }, { hub, ...BRIDGE_FAST, ...deps });
  return handler(new Request(EVENTS, { signal }));
}

describe("event bridge", () => {
  it("maps the platform URL to its /ws socket", () => {
    expect(platformSocketUrl("http://127.0.0.1:8080/")).toBe("ws://127.0.0.1:8080/ws");
    expect(platformSocketUrl("https://platform.example/base/")).toBe("wss://platform.example/base/ws");
  });

  it("relays each platform message verbatim as one data: line, with the token sent upstream only", async () => {
    const response = await open();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    expect(upstream.upgrades[0]?.authorization).toBe(`Bearer ${TOKEN}`);

    const socket = await upstream.nextSocket();
    const sse = sseReader(response);
    expect(await sse.next()).toBe("retry: 5000\n: connected");
    socket.send(event("ws-1", 2));
    socket.send("not json {");
    socket.send(Buffer.from(event("ws-2", 0)), { binary: true });
    socket.send('{\n  "event": "TASK_UPDATED"\n}');
    expect(await sse.next()).toBe(`data: ${event("ws-1", 2)}`);
    expect(await sse.next()).toBe(`data: ${event("ws-2", 0)}`);
    expect(await sse.next()).toBe('data: {\ndata:   "event": "TASK_UPDATED"\ndata: }');
    await sse.cancel();
  });

  it("sends : ping keep-alives and pings the platform", async () => {
    useHub({ pingMs: 30 });
    const response = await open({ pingMs: 30 });
    const socket = await upstream.nextSocket();
    const pinged = once(socket, "ping");
    const sse = sseReader(response);
    expect(await sse.until((frame) => frame === ": ping")).toBe(": ping");
    await pinged;
    await sse.cancel();
  });

  it("reconnects after the platform drops the socket, with one upstream connection at a time", async () => {
    const response = await open();
    const sse = sseReader(response);
    const first = await upstream.nextSocket();
    first.terminate();
    expect(await sse.until((frame) => frame.startsWith("event: upstream"))).toBe('event: upstream\ndata: {"state":"reconnecting"}');
    const second = await upstream.nextSocket();
    expect(await sse.until((frame) => frame.startsWith("event: upstream"))).toBe('event: upstream\ndata: {"state":"open"}');
    second.send(event("ws-3", 1));
    expect(await sse.until((frame) => frame.startsWith("data:"))).toBe(`data: ${event("ws-3", 1)}`);
    expect([...upstream.clients()].filter((client) => client.readyState === client.OPEN)).toHaveLength(1);
    expect(upstream.upgrades).toHaveLength(2);
    await sse.cancel();
  });

  it("retries with backoff while the platform refuses, then resumes", async () => {
    const response = await open();
    const sse = sseReader(response);
    let refusals = 0;
    upstream.acceptSocket(() => (refusals++ < 3 ? 503 : null));
    (await upstream.nextSocket()).terminate();
    await upstream.nextSocket();
    expect(await sse.until((frame) => frame.includes('"open"'))).toContain('{"state":"open"}');
    expect(refusals).toBe(4);
    await sse.cancel();
  });

  it("ends the browser stream when the platform stays down, so the canvas polls", async () => {
    const response = await open({ giveUpAfterMs: 200 });
    const sse = sseReader(response);
    upstream.acceptSocket(() => 503);
    (await upstream.nextSocket()).terminate();
    expect(await sse.until((frame) => frame.includes('"closed"'))).toBe('event: upstream\ndata: {"state":"closed"}');
    expect(await sse.next()).toBeNull();
  });

  it("lets go of the hub when the browser goes away (abort and cancel); the socket closes once nobody listens", async () => {
    useHub({ idleCloseMs: 50 });
    const browser = new AbortController();
    const aborted = await open({}, browser.signal);
    const cancelled = await open();
    const socket = await upstream.nextSocket();
    const closed = once(socket, "close");
    browser.abort();
    expect(aborted.body).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(socket.readyState).toBe(socket.OPEN); // the other browser still listens

    await cancelled.body!.cancel();
    await closed;
    expect(hub.state()).toBe("closed");
    expect(upstream.connections()).toBe(1);
  });

  it("answers 503 to a browser that went away before the stream opened", async () => {
    const browser = new AbortController();
    browser.abort();
    const response = await open({}, browser.signal);
    expect(response.status).toBe(503);
    expect(upstream.upgrades).toHaveLength(0);
  });

  it("treats a platform that stops answering pings as dropped and reconnects", async () => {
    await upstream.close();
    upstream = await startUpstream({ autoPong: false });
    upstream.acceptSocket(() => null);
    useHub({ pingMs: 30 });
    const response = await open();
    const sse = sseReader(response);
    const silent = await upstream.nextSocket();
    const closed = once(silent, "close");
    expect(await sse.until((frame) => frame.includes('"reconnecting"'))).toContain("reconnecting");
    await closed;
    await upstream.nextSocket();
    await sse.cancel();
  });

  it("the messages of one turn reach the browser as one chunk, in order", async () => {
    const response = await open();
    const socket = await upstream.nextSocket();
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe("retry: 5000\n: connected\n\n");
    let received = 0;
    const all = new Promise<void>((resolve) => hub.subscribe({ onMessage: () => ++received === 50 && resolve(), onState: () => {} }));
    // Fifty frames in one TCP write: the hub hands them over in one turn.
    const tcp = (socket as unknown as { _socket: import("node:net").Socket })._socket;
    tcp.cork();
    for (let i = 0; i < 50; i += 1) socket.send(event(`ws-${i}`, i));
    tcp.uncork();
    await all;
    const chunk = decoder.decode((await reader.read()).value);
    const ids = [...chunk.matchAll(/"workspace_id":"(ws-\d+)"/g)].map((match) => match[1]);
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => `ws-${i}`));
    await reader.cancel();
  });

  it("drops what is queued for a browser whose reader cancels, without writing to its closed stream", async () => {
    const response = await open();
    const socket = await upstream.nextSocket();
    const reader = response.body!.getReader();
    await reader.read(); // the "connected" comment
    const seen = new Promise<void>((resolve) => hub.subscribe({ onMessage: () => resolve(), onState: () => {} }));
    socket.send(event("ws-1", 1));
    await seen;
    // The frame waits for its batch; the browser goes away meanwhile.
    await reader.cancel();
    const thrown: unknown[] = [];
    const onError = (error: unknown) => thrown.push(error);
    process.on("uncaughtException", onError);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2 * FRAME_BATCH_MS));
    } finally {
      process.off("uncaughtException", onError);
    }
    expect(thrown).toEqual([]);
  });

  it("drops a browser that stops reading instead of buffering without bound", async () => {
    const response = await open({ maxBufferedBytes: 4 * 1024 });
    const socket = await upstream.nextSocket();
    // Another subscriber of the hub sees the messages in the same turn as the bridge.
    let received = 0;
    let roundDone = () => {};
    hub.subscribe({ onMessage: () => ++received % 200 === 0 && roundDone(), onState: () => {} });
    // Two batches of frames (see frame-batch.ts): the response takes the first from the stream even unread.
    for (const round of [1, 2]) {
      const all = new Promise<void>((resolve) => (roundDone = resolve));
      for (let i = 0; i < 200; i += 1) socket.send(event(`ws-${round}-${i}`, i));
      await all;
      await new Promise((resolve) => setTimeout(resolve, 2 * FRAME_BATCH_MS));
    }
    // Nobody read the ~40 KB: the stream was dropped, and reading now says why.
    await expect(response.body!.getReader().read()).rejects.toThrow(/not reading the event stream/);
  });

  it("answers 503 JSON when the platform socket cannot be opened at all", async () => {
    upstream.acceptSocket(() => 401);
    const refused = await open();
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.json()).toEqual({ error: "platform event stream unavailable: Unexpected server response: 401" });

    await upstream.close();
    const down = await open();
    expect(down.status).toBe(503);
    const body = (await down.json()) as { error: string };
    expect(body.error).toMatch(/^platform event stream unavailable: .*ECONNREFUSED/);
    expect(body.error).not.toContain(TOKEN);
    upstream = await startUpstream();
  });

  it("refuses a stream opened by another site without touching the platform", async () => {
    const handler = createEventsHandler({ mode: "live", platformUrl: upstream.url, token: TOKEN }, { hub, ...BRIDGE_FAST });
    const response = await handler(new Request(EVENTS, { headers: { "sec-fetch-site": "cross-site" } }));
    expect(response.status).toBe(403);
    expect(upstream.upgrades).toHaveLength(0);
  });

  it("answers 503 in mock mode", async () => {
    const response = await createEventsHandler({ mode: "mock" })(new Request(EVENTS));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: expect.stringContaining("no PLATFORM_URL configured") });
  });
});
