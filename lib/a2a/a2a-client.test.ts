import { describe, expect, it } from "vitest";
import type { A2AProtocol } from "../platform/workspace";
import { FakeClock } from "../time/fake-clock";
import { createA2AClient, type A2AClientDeps } from "./a2a-client";
import { createRequestLimiter } from "./limiter";
import { FakePlatform, reply, sequence, type FakeHandler } from "../platform/testing/fake-platform";

function setup(handler?: FakeHandler, deps: Partial<A2AClientDeps> = {}) {
  const clock = new FakeClock();
  const platform = new FakePlatform(clock);
  if (handler) platform.onA2A("ws-1", handler);
  const client = createA2AClient({ platform, clock, ...deps });
  const deadlineAt = clock.now() + 8000;
  return { clock, platform, client, deadlineAt };
}

const ws = (protocol: A2AProtocol) => ({ id: "ws-1", protocol });

describe("cancelTask: method names by protocol", () => {
  it.each([
    ["1.0", "CancelTask"],
    ["0.3", "tasks/cancel"],
    ["unknown", "CancelTask"],
  ] as const)("a %s workspace gets %s with params {id}", async (protocol, method) => {
    const { client, platform, deadlineAt } = setup(reply.canceledTask());
    const result = await client.cancelTask(ws(protocol), "task-9", { deadlineAt });
    expect(platform.requests).toHaveLength(1);
    expect(platform.requests[0]).toMatchObject({ kind: "a2a", workspaceId: "ws-1", method, params: { id: "task-9" } });
    expect(result).toMatchObject({ kind: "delivered", taskState: "canceled", method });
  });

  it("reads 0.3 and 1.0 task states from the answer", async () => {
    const { client, deadlineAt } = setup(reply.result({ kind: "task", id: "t", status: { state: "working" } }));
    expect(await client.cancelTask(ws("0.3"), "t", { deadlineAt })).toMatchObject({ kind: "delivered", taskState: "working" });
  });

  it("sends a fresh JSON-RPC 2.0 id with each request", async () => {
    const { client, platform, deadlineAt } = setup(reply.canceledTask());
    await client.cancelTask(ws("1.0"), "a", { deadlineAt });
    await client.cancelTask(ws("1.0"), "b", { deadlineAt });
    const ids = platform.requests.map((request) => request.id);
    expect(new Set(ids).size).toBe(2);
  });
});

describe("cancelTask: -32601 / -32009 retry once with the other version's name", () => {
  it("-32601 on CancelTask → tasks/cancel, delivered", async () => {
    const { client, platform, deadlineAt } = setup((request) =>
      request.method === "CancelTask" ? reply.error(-32601, "Method not found")(request) : reply.canceledTask("canceled")(request),
    );
    const result = await client.cancelTask(ws("1.0"), "t1", { deadlineAt });
    expect(platform.requests.map((request) => request.method)).toEqual(["CancelTask", "tasks/cancel"]);
    expect(result).toMatchObject({ kind: "delivered", method: "tasks/cancel", version: "0.3" });
  });

  it("-32009 on tasks/cancel → CancelTask", async () => {
    const { client, platform, deadlineAt } = setup(sequence(reply.error(-32009, "version"), reply.canceledTask()));
    await client.cancelTask(ws("0.3"), "t1", { deadlineAt });
    expect(platform.requests.map((request) => request.method)).toEqual(["tasks/cancel", "CancelTask"]);
  });

  it("gives up after the second name: exactly two requests, not delivered", async () => {
    const { client, platform, deadlineAt } = setup(sequence(reply.error(-32601), reply.error(-32009)));
    const result = await client.cancelTask(ws("1.0"), "t1", { deadlineAt });
    expect(platform.requests).toHaveLength(2);
    expect(result).toEqual({ kind: "not-understood", methods: ["CancelTask", "tasks/cancel"], codes: [-32601, -32009] });
  });

  it("does not switch names on any other error", async () => {
    const { client, platform, deadlineAt } = setup(reply.error(-32004, "unsupported"));
    expect(await client.cancelTask(ws("1.0"), "t1", { deadlineAt })).toMatchObject({ kind: "refused", refusal: "unsupported-operation" });
    expect(platform.requests).toHaveLength(1);
  });
});

describe("cancelTask: refusals", () => {
  it.each([
    [-32001, "task-not-found"],
    [-32002, "task-not-cancelable"],
    [-32004, "unsupported-operation"],
    [-32602, "invalid-params"],
    [-32603, "other"],
  ] as const)("code %i is refused as %s", async (code, refusal) => {
    const { client, deadlineAt } = setup(reply.error(code, "no"));
    expect(await client.cancelTask(ws("1.0"), "t1", { deadlineAt })).toMatchObject({ kind: "refused", code, refusal, method: "CancelTask" });
  });
});

describe("cancelTask: proxy answers pass through typed", () => {
  it.each([
    [reply.http(200, { status: "queued", delivery_mode: "poll" }), { kind: "queued-poll" }],
    [reply.http(202, { queued: true, queue_id: "q", queue_depth: 1 }), { kind: "queued-busy", queueDepth: 1 }],
    [reply.http(503, { waking: true }), { kind: "waking" }],
    [reply.http(503, { restarting: true }), { kind: "platform-restarting" }],
    [reply.http(503, { code: "platform_unavailable" }), { kind: "platform-unavailable" }],
    [reply.http(502, { error: "failed to reach workspace agent" }), { kind: "unreachable", status: 502 }],
    [reply.http(404, { error: "workspace not found" }), { kind: "gone" }],
    [reply.http(429), { kind: "http-error", status: 429 }],
    [reply.network("ECONNRESET"), { kind: "network-error", message: "ECONNRESET" }],
    [reply.text(200, "<html>"), { kind: "bad-body", problem: "not-json" }],
    [(request: { id?: string }) => ({ status: 200, json: { jsonrpc: "2.0", id: `${request.id}-x`, result: {} } }), { kind: "id-mismatch" }],
  ] as const)("answer %#", async (handler, expected) => {
    const { client, deadlineAt } = setup(handler as FakeHandler);
    expect(await client.cancelTask(ws("1.0"), "t1", { deadlineAt })).toMatchObject(expected);
  });
});

describe("timeouts: every request ends by the deadline at the latest", () => {
  it("a cancel that blocks is timed out at the request timeout", async () => {
    const { client, clock, deadlineAt } = setup(reply.hang(), { requestTimeoutMs: 3000 });
    const pending = client.cancelTask(ws("1.0"), "t1", { deadlineAt });
    await clock.advance(2999);
    let settled = false;
    void pending.then(() => (settled = true));
    await clock.advance(0);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await pending).toEqual({ kind: "timeout" });
  });

  it("the deadline cuts a request short of its own timeout", async () => {
    const { client, clock } = setup(reply.hang(), { requestTimeoutMs: 5000 });
    const pending = client.cancelTask(ws("1.0"), "t1", { deadlineAt: clock.now() + 1200 });
    await clock.advance(1200);
    expect(await pending).toEqual({ kind: "timeout" });
  });

  it("nothing is sent once the deadline has passed", async () => {
    const { client, clock, platform } = setup(reply.canceledTask());
    expect(await client.cancelTask(ws("1.0"), "t1", { deadlineAt: clock.now() })).toEqual({ kind: "timeout" });
    expect(platform.requests).toHaveLength(0);
  });

  it("the caller's abort ends the request at once, even when the client ignores its signal", async () => {
    const { clock, deadlineAt } = setup();
    const deaf = { listWorkspaces: async () => ({ workspaces: [], warnings: [] }), postA2A: () => new Promise<never>(() => {}), restart: () => new Promise<never>(() => {}), pause: () => new Promise<never>(() => {}), resume: () => new Promise<never>(() => {}) };
    const client = createA2AClient({ platform: deaf, clock });
    const controller = new AbortController();
    const pending = client.cancelTask(ws("1.0"), "t1", { deadlineAt, signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({ kind: "aborted" });
  });
});

describe("503 busy: retried with backoff only while the deadline allows", () => {
  it("retries after Retry-After and succeeds", async () => {
    const { client, clock, platform, deadlineAt } = setup(sequence(reply.http(503, { busy: true }, 1000), reply.canceledTask()));
    const pending = client.cancelTask(ws("1.0"), "t1", { deadlineAt });
    await clock.advance(999);
    expect(platform.requests).toHaveLength(1);
    await clock.advance(1);
    expect(await pending).toMatchObject({ kind: "delivered" });
    expect(platform.requests.map((request) => request.at - platform.requests[0]!.at)).toEqual([0, 1000]);
  });

  it("does not retry when the wait would end after the deadline", async () => {
    const { client, clock, platform } = setup(reply.http(503, { busy: true }, 5000));
    const result = await client.cancelTask(ws("1.0"), "t1", { deadlineAt: clock.now() + 3000 });
    expect(result).toEqual({ kind: "busy", retryAfterMs: 5000 });
    expect(platform.requests).toHaveLength(1);
  });

  it("backs off (doubling) without Retry-After and stops at the deadline", async () => {
    const { client, clock, platform } = setup(reply.http(503, { busy: true }), { busyBackoffMs: 250, busyRetries: 10 });
    const pending = client.cancelTask(ws("1.0"), "t1", { deadlineAt: clock.now() + 2000 });
    await clock.advance(2000);
    expect(await pending).toEqual({ kind: "busy" });
    // Waits of 250, 500, 1000; the next (2000) would end after the deadline.
    expect(platform.requests.map((request) => request.at - platform.requests[0]!.at)).toEqual([0, 250, 750, 1750]);
    expect(platform.requests.every((request) => request.at < clock.now())).toBe(true);
  });

  it("stops after the retry budget", async () => {
    const { client, clock, platform, deadlineAt } = setup(reply.http(503, { busy: true }, 10), { busyRetries: 2 });
    const pending = client.cancelTask(ws("1.0"), "t1", { deadlineAt });
    await clock.advance(5000);
    expect(await pending).toMatchObject({ kind: "busy" });
    expect(platform.requests).toHaveLength(3);
  });
});

describe("listOpenTaskIds", () => {
  const task = (id: string, state: string | number) => ({ id, contextId: "c", status: { state } });

  it("sends ListTasks without a status filter and keeps non-terminal tasks of both spellings", async () => {
    const { client, platform, deadlineAt } = setup(
      reply.result({
        tasks: [
          task("a", "TASK_STATE_WORKING"),
          task("b", "TASK_STATE_COMPLETED"),
          task("c", "TASK_STATE_INPUT_REQUIRED"),
          task("d", "auth-required"),
          task("e", "canceled"),
          task("f", 1),
          task("g", "TASK_STATE_FAILED"),
          { id: 42, status: { state: "working" } },
        ],
        nextPageToken: "",
      }),
    );
    expect(await client.listOpenTaskIds(ws("1.0"), { deadlineAt })).toEqual({ kind: "listed", taskIds: ["a", "c", "d", "f"], pages: 1, complete: true });
    expect(platform.requests[0]).toMatchObject({ method: "ListTasks", params: { pageSize: 100 } });
    expect(platform.requests[0]!.params).not.toHaveProperty("status");
  });

  it("pages with nextPageToken", async () => {
    const { client, platform, deadlineAt } = setup(
      sequence(
        reply.result({ tasks: [task("a", "TASK_STATE_WORKING")], nextPageToken: "p2" }),
        reply.result({ tasks: [task("b", "TASK_STATE_SUBMITTED")], nextPageToken: "p3" }),
        reply.result({ tasks: [task("c", "TASK_STATE_WORKING")] }),
      ),
    );
    expect(await client.listOpenTaskIds(ws("1.0"), { deadlineAt })).toEqual({ kind: "listed", taskIds: ["a", "b", "c"], pages: 3, complete: true });
    expect(platform.requests.map((request) => request.params?.pageToken)).toEqual([undefined, "p2", "p3"]);
  });

  it("reads a bounded number of pages", async () => {
    let page = 0;
    const { client, platform, deadlineAt } = setup((request) => reply.result({ tasks: [task(`t${page}`, "TASK_STATE_WORKING")], nextPageToken: `p${++page}` })(request), {
      maxListPages: 3,
    });
    expect(await client.listOpenTaskIds(ws("1.0"), { deadlineAt })).toEqual({ kind: "listed", taskIds: ["t0", "t1", "t2"], pages: 3, complete: false });
    expect(platform.requests).toHaveLength(3);
  });

  it("stops on a repeated page token", async () => {
    const { client, platform, deadlineAt } = setup(reply.result({ tasks: [task("a", "TASK_STATE_WORKING")], nextPageToken: "same" }));
    expect(await client.listOpenTaskIds(ws("1.0"), { deadlineAt })).toMatchObject({ kind: "listed", taskIds: ["a"], complete: false });
    expect(platform.requests).toHaveLength(2);
  });

  it("keeps the ids of good pages when a later page fails", async () => {
    const { client, deadlineAt } = setup(sequence(reply.result({ tasks: [task("a", "TASK_STATE_WORKING")], nextPageToken: "p2" }), reply.http(500)));
    expect(await client.listOpenTaskIds(ws("1.0"), { deadlineAt })).toEqual({ kind: "listed", taskIds: ["a"], pages: 1, complete: false });
  });

  it("sends nothing to a 0.3 workspace: ListTasks does not exist there", async () => {
    const { client, platform, deadlineAt } = setup();
    expect(await client.listOpenTaskIds(ws("0.3"), { deadlineAt })).toEqual({ kind: "not-supported" });
    expect(platform.requests).toHaveLength(0);
  });

  it("tries ListTasks for an unknown protocol; -32601 means not supported", async () => {
    const { client, platform, deadlineAt } = setup(reply.error(-32601, "Method not found: ListTasks"));
    expect(await client.listOpenTaskIds(ws("unknown"), { deadlineAt })).toEqual({ kind: "not-supported", code: -32601 });
    expect(platform.requests.map((request) => request.method)).toEqual(["ListTasks"]);
  });

  it("reports other refusals, proxy answers and unreadable results", async () => {
    expect(await setup(reply.error(-32602, "bad status")).client.listOpenTaskIds(ws("1.0"), { deadlineAt: Infinity })).toEqual({
      kind: "refused",
      code: -32602,
      message: "bad status",
    });
    expect(await setup(reply.http(404)).client.listOpenTaskIds(ws("1.0"), { deadlineAt: Infinity })).toEqual({ kind: "gone" });
    expect(await setup(reply.result("nope")).client.listOpenTaskIds(ws("1.0"), { deadlineAt: Infinity })).toMatchObject({ kind: "bad-body" });
  });
});

describe("the limiter bounds requests in flight", () => {
  it("never more than maxInFlight at once", async () => {
    const clock = new FakeClock();
    const platform = new FakePlatform(clock).onA2A("ws-1", reply.after(100, reply.canceledTask()));
    const client = createA2AClient({ platform, clock, limiter: createRequestLimiter(3) });
    const all = Promise.all(Array.from({ length: 10 }, (_, i) => client.cancelTask(ws("1.0"), `t${i}`, { deadlineAt: clock.now() + 8000 })));
    await clock.advance(1000);
    expect((await all).every((result) => result.kind === "delivered")).toBe(true);
    expect(platform.requests).toHaveLength(10);
    expect(platform.peakInFlight()).toBe(3);
  });
});
