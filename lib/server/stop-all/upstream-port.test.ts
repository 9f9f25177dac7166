import { MessageChannel, type MessagePort } from "node:worker_threads";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BodyTooLargeError } from "../bounded-body";
import { describeNetworkError } from "../proxy";

vi.mock("server-only", () => ({}));
const { UpstreamTimeoutError } = await import("./upstream-http");
const { createPortTransport, SENDS_PER_TURN, serveUpstreamRequests } = await import("./upstream-port");
type UpstreamTransport = import("./upstream-http").UpstreamTransport;
type UpstreamRequest = import("./upstream-http").UpstreamRequest;

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/** Both ends over a real MessageChannel; `posts` counts the messages each way. */
function pair(transport: UpstreamTransport) {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const posts = { toThread: 0, back: 0 };
  const counted = (port: MessagePort, key: keyof typeof posts) => ({
    postMessage: (message: unknown) => {
      posts[key] += 1;
      port.postMessage(message);
    },
    on: (event: "message", listener: (message: unknown) => void) => port.on(event, listener),
  });
  serveUpstreamRequests(counted(port1, "back"), transport);
  return { caller: createPortTransport(counted(port2, "toThread")), posts };
}

const request = (path: string, extra: Partial<UpstreamRequest> = {}): UpstreamRequest => ({ method: "GET", url: new URL(path, "http://platform.test/"), headers: { accept: "application/json" }, maxBytes: 1024, ...extra });
const answer = (text: string) => ({ status: 200, contentType: "application/json", retryAfter: null, body: Buffer.from(text) });

describe("the platform connection thread's port", () => {
  it("hands the thread the request as sent (method, URL, headers, body, limits) and gives back its answer", async () => {
    const seen: unknown[] = [];
    const { caller } = pair(async (r) => {
      seen.push({ method: r.method, url: r.url.href, headers: r.headers, body: r.body, timeoutMs: r.timeoutMs, maxBytes: r.maxBytes, signal: r.signal instanceof AbortSignal });
      return { status: 503, contentType: "application/json", retryAfter: "2", body: Buffer.from('{"busy":true}') };
    });
    const got = await caller.transport(request("w/a2a", { method: "POST", body: '{"é":1}', timeoutMs: 500, headers: { accept: "application/json", "content-type": "application/json" } }));
    expect({ ...got, body: got.body.toString("utf8") }).toEqual({ status: 503, contentType: "application/json", retryAfter: "2", body: '{"busy":true}' });
    expect(seen).toEqual([{ method: "POST", url: "http://platform.test/w/a2a", headers: { accept: "application/json", "content-type": "application/json" }, body: '{"é":1}', timeoutMs: 500, maxBytes: 1024, signal: true }]);
  });

  it("sends the requests of one turn as one message, and their answers back as one", async () => {
    const { caller, posts } = pair(async (r) => answer(`"${r.url.pathname}"`));
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => caller.transport(request(`w${i}`))));
    expect(answers.map((a) => JSON.parse(a.body.toString("utf8")))).toEqual(Array.from({ length: 50 }, (_, i) => `/w${i}`));
    expect(posts).toEqual({ toThread: 1, back: 1 });
  });

  it("hands a large batch to the transport SENDS_PER_TURN a turn, so the first answers go back before the last request leaves", async () => {
    const count = SENDS_PER_TURN * 4;
    let answersBackWhenLastSent = -1;
    const sent: string[] = [];
    const { caller, posts } = pair(async (r) => {
      sent.push(r.url.pathname);
      if (sent.length === count) answersBackWhenLastSent = posts.back;
      return answer("{}");
    });
    await Promise.all(Array.from({ length: count }, (_, i) => caller.transport(request(`w${i}`))));
    expect(sent).toEqual(Array.from({ length: count }, (_, i) => `/w${i}`));
    expect(posts.toThread).toBe(1);
    expect(answersBackWhenLastSent).toBeGreaterThan(0);
  });

  it("drops a request aborted while it waits its turn: the transport never sees it", async () => {
    const sent: string[] = [];
    const { caller } = pair(async (r) => {
      sent.push(r.url.pathname);
      return answer("{}");
    });
    const controller = new AbortController();
    const calls = Array.from({ length: SENDS_PER_TURN + 1 }, (_, i) => caller.transport(request(`w${i}`, i === SENDS_PER_TURN ? { signal: controller.signal } : {})));
    // The abort leaves in the same turn as the requests: the thread reads it before the last one's turn.
    controller.abort();
    const outcomes = await Promise.all(calls.map((call) => call.then(() => "answered", (error: Error) => error.name)));
    expect(outcomes.at(-1)).toBe("AbortError");
    expect(sent).toHaveLength(SENDS_PER_TURN);
  });

  it("carries only an answer's own bytes when its body is a slice of a larger buffer", async () => {
    const read = Buffer.from('HTTP/1.1 200 OK\r\n\r\n{"ok":true}');
    const { caller } = pair(async () => ({ ...answer(""), body: read.subarray(19) }));
    const got = await caller.transport(request("x"));
    expect([got.body.toString("utf8"), got.body.buffer.byteLength]).toEqual(['{"ok":true}', 11]);
  });

  it("rebuilds the thread's failures as the errors this thread's transport throws", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const wrapped = new Error("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) });
    const failures: Record<string, unknown> = { timeout: new UpstreamTimeoutError(), large: new BodyTooLargeError(1024), refused, wrapped, odd: "not an error" };
    const { caller } = pair(async (r) => {
      throw failures[r.url.pathname.slice(1)];
    });
    await expect(caller.transport(request("timeout"))).rejects.toBeInstanceOf(UpstreamTimeoutError);
    await expect(caller.transport(request("large"))).rejects.toEqual(expect.objectContaining({ name: "BodyTooLargeError", limit: 1024 }));
    await expect(caller.transport(request("large"))).rejects.toBeInstanceOf(BodyTooLargeError);
    const [gotRefused, gotWrapped, gotOdd] = await Promise.all(["refused", "wrapped", "odd"].map((path) => caller.transport(request(path)).catch((error: unknown) => error)));
    expect(gotRefused).toMatchObject({ message: "connect ECONNREFUSED 127.0.0.1:9", code: "ECONNREFUSED" });
    // What the client tells the operator is the same as for the error itself.
    expect([describeNetworkError(gotRefused), describeNetworkError(gotWrapped), describeNetworkError(gotOdd)]).toEqual([describeNetworkError(refused), describeNetworkError(wrapped), "not an error"]);
    expect((gotWrapped as Error & { cause: { code: string } }).cause.code).toBe("ECONNRESET");
  });

  it("settles an aborted request at once and aborts it in the thread; its late answer is dropped", async () => {
    let threadSignal: AbortSignal | undefined;
    let answerLate: () => void = () => {};
    const { caller } = pair(
      (r) =>
        new Promise((resolve) => {
          threadSignal = r.signal;
          answerLate = () => resolve(answer("{}"));
        }),
    );
    const controller = new AbortController();
    const call = caller.transport(request("slow", { signal: controller.signal }));
    await vi.waitFor(() => expect(threadSignal).toBeDefined());
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    await vi.waitFor(() => expect(threadSignal?.aborted).toBe(true));
    answerLate();
    await expect(caller.transport(request("already", { signal: AbortSignal.abort() }))).rejects.toMatchObject({ name: "AbortError" });
  });

  it("failAll rejects every request still out (the thread is gone), and an answer after it changes nothing", async () => {
    const answers: Array<() => void> = [];
    const { caller } = pair((r) => new Promise((resolve) => answers.push(() => resolve(answer(`"${r.url.pathname}"`)))));
    const calls = [caller.transport(request("a")), caller.transport(request("b"))].map((call) => call.catch((error: Error) => error.message));
    await vi.waitFor(() => expect(answers).toHaveLength(2));
    caller.failAll(new Error("the platform connection thread stopped (exit code 1)"));
    answers.forEach((send) => send());
    expect(await Promise.all(calls)).toEqual(["the platform connection thread stopped (exit code 1)", "the platform connection thread stopped (exit code 1)"]);
  });
});
