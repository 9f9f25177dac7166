import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PlatformResponse } from "@/lib/platform/client";
import { startUpstream } from "../testing/upstream";

vi.mock("server-only", () => ({}));
const { createUpstreamPlatformClient } = await import("./upstream-client");
type UpstreamTransport = import("./upstream-http").UpstreamTransport;

// The server's own platform client against a real HTTP server standing in for the platform (no fetch mocks).
const TOKEN = "upstream-tok-7c41a9e2-secret";

let upstream: Awaited<ReturnType<typeof startUpstream>>;
let client: ReturnType<typeof createUpstreamPlatformClient>;

beforeEach(async () => {
  upstream = await startUpstream();
  client = createUpstreamPlatformClient({ platformUrl: `${upstream.url}platform/v1/`, token: TOKEN });
});
afterEach(() => upstream.close());

const rpc = (method: string, params: unknown = { id: "task-1" }) => ({ jsonrpc: "2.0", id: "req-1", method, params });
const answerJson = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  upstream.handle((_request, response) => response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body)));
const row = { id: "ws-1", name: "one", role: "", tier: 1, status: "online", active_tasks: 1, current_task: "", agent_card: null, parent_id: null, runtime: "x", url: "", x: 0, y: 0, collapsed: false };
const seen = () => upstream.requests.map((r) => `${r.method} ${r.path} ${r.body}`);
const answered = (response: PlatformResponse) => {
  if (!response.ok) throw new Error(`expected an answer, got ${response.error}: ${response.message}`);
  return response;
};

describe("where the calls go", () => {
  it("maps each call to PLATFORM_URL, keeping its base path, with the bearer token", async () => {
    answerJson(200, [row]);
    const rows = await client.listWorkspaces();
    expect([rows.workspaces.map((w) => w.id), rows.warnings]).toEqual([["ws-1"], []]);
    answerJson(200, { jsonrpc: "2.0", id: "req-1", result: { id: "task-1", status: { state: "TASK_STATE_CANCELED" } } });
    const cancel = answered(await client.postA2A("ws-1", rpc("CancelTask")));
    expect([cancel.status, cancel.json]).toEqual([200, { jsonrpc: "2.0", id: "req-1", result: { id: "task-1", status: { state: "TASK_STATE_CANCELED" } } }]);
    answerJson(200, { status: "provisioning" });
    expect(answered(await client.restart("3f2c9a1e-0b7d-4e55-9c1a-2b8d7e6f5a40")).json).toEqual({ status: "provisioning" });
    answerJson(200, { status: "paused", paused_count: 3 });
    expect(answered(await client.pause("ws-1")).json).toEqual({ status: "paused", paused_count: 3 });
    answerJson(409, { error: 'parent workspace "Lead" is paused — resume it first' });
    expect(answered(await client.resume("ws-1")).status).toBe(409);

    expect(seen()).toEqual([
      "GET /platform/v1/workspaces ",
      `POST /platform/v1/workspaces/ws-1/a2a ${JSON.stringify(rpc("CancelTask"))}`,
      "POST /platform/v1/workspaces/3f2c9a1e-0b7d-4e55-9c1a-2b8d7e6f5a40/restart ",
      "POST /platform/v1/workspaces/ws-1/pause ",
      "POST /platform/v1/workspaces/ws-1/resume ",
    ]);
    for (const request of upstream.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers.accept).toBe("application/json");
      expect(request.headers.cookie).toBeUndefined();
    }
    expect(upstream.requests.map((r) => r.headers["content-type"])).toEqual([undefined, "application/json", undefined, undefined, undefined]);
  });

  it("sends no Authorization header without a token", async () => {
    answerJson(200, []);
    const anonymous = createUpstreamPlatformClient({ platformUrl: upstream.url, token: null });
    await anonymous.listWorkspaces();
    expect(upstream.requests[0]?.path).toBe("/workspaces");
    expect(upstream.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("relays the platform's status, Retry-After and body", async () => {
    answerJson(503, { busy: true, retry_after: 2 }, { "retry-after": "2" });
    expect(await client.postA2A("ws-1", rpc("GetTask"))).toEqual({ ok: true, status: 503, retryAfterMs: 2000, json: { busy: true, retry_after: 2 }, text: '{"busy":true,"retry_after":2}' });
    upstream.handle((_request, response) => response.writeHead(204).end());
    expect(answered(await client.restart("ws-1")).status).toBe(204);
  });
});

describe("the allow-list, applied to what the server sends", () => {
  it.each(["ListTasks", "GetTask", "CancelTask", "tasks/get", "tasks/cancel"])("sends %s", async (method) => {
    answerJson(200, { jsonrpc: "2.0", id: "req-1", result: {} });
    expect(answered(await client.postA2A("ws-1", rpc(method))).status).toBe(200);
    expect(seen()).toEqual([`POST /platform/v1/workspaces/ws-1/a2a ${JSON.stringify(rpc(method))}`]);
  });

  it.each([
    ["SendMessage", rpc("SendMessage", { message: { role: "ROLE_USER", parts: [{ text: "hi" }] } }), /"SendMessage" is not allowed/],
    ["message/send", rpc("message/send"), /"message\/send" is not allowed/],
    ["message/stream", rpc("message/stream"), /is not allowed/],
    ["tasks/pushNotificationConfig/set", rpc("tasks/pushNotificationConfig/set"), /is not allowed/],
    ["a batch", [rpc("CancelTask")], /batches are not forwarded/],
    ["no jsonrpc", { id: 1, method: "CancelTask" }, /"jsonrpc": "2.0"/],
    ["no method", { jsonrpc: "2.0", id: 1 }, /string "method"/],
    ["no body", undefined, /JSON-RPC 2.0 request object/],
  ])("never sends %s and answers with a network-style failure", async (_name, body, why) => {
    const response = await client.postA2A("ws-1", body);
    expect(response).toEqual({ ok: false, error: "network", message: expect.stringMatching(/^refused by the canvas's allow-list: /) });
    expect(!response.ok && response.message).toMatch(why);
    expect(upstream.requests).toEqual([]);
  });

  it("never throws, and sends nothing, for an id that is not an id or a body JSON cannot write", async () => {
    const circular: Record<string, unknown> = { jsonrpc: "2.0", id: 1, method: "CancelTask" };
    circular.self = circular;
    const answers = [
      await client.postA2A("../admin", rpc("CancelTask")),
      await client.postA2A("ws-1%2F..", rpc("CancelTask")),
      await client.restart("a/b"),
      await client.restart(""),
      await client.pause("../x"),
      await client.resume("a b"),
      await client.postA2A("ws-1", circular),
      await client.postA2A("ws-1", { jsonrpc: "2.0", id: 1n, method: "CancelTask" }),
    ];
    for (const answer of answers) expect(answer).toEqual({ ok: false, error: "network", message: expect.stringMatching(/^not sent: /) });
    expect(upstream.requests).toEqual([]);
  });

  it("reports an aborted call as aborted, without sending it", async () => {
    const gone = AbortSignal.abort();
    expect(await client.restart("ws-1", gone)).toEqual({ ok: false, error: "aborted", message: "request aborted" });
    expect(await client.postA2A("ws-1", rpc("CancelTask"), gone)).toEqual({ ok: false, error: "aborted", message: "request aborted" });
    expect(upstream.requests).toEqual([]);
  });
});

describe("what the client does not do", () => {
  it("does not follow redirects: the answer is a 502 that says so", async () => {
    upstream.handle((request, response) => {
      if (request.path.endsWith("/elsewhere")) response.writeHead(200, { "content-type": "application/json" }).end('{"jsonrpc":"2.0","id":"req-1","result":{}}');
      else response.writeHead(307, { location: `${upstream.url}elsewhere` }).end();
    });
    const cancel = answered(await client.postA2A("ws-1", rpc("CancelTask")));
    expect([cancel.status, cancel.json]).toEqual([502, { error: "platform answered with a redirect (307), which the canvas does not follow" }]);
    const restart = answered(await client.restart("ws-1"));
    expect(restart.status).toBe(502);
    await expect(client.listWorkspaces()).rejects.toThrow(/answered 502 to GET \/workspaces: .*redirect \(307\)/);
    expect(upstream.requests.map((r) => r.path)).toEqual(["/platform/v1/workspaces/ws-1/a2a", "/platform/v1/workspaces/ws-1/restart", "/platform/v1/workspaces"]);
  });

  it("bounds a listing the platform never answers", async () => {
    upstream.handle(() => undefined);
    const impatient = createUpstreamPlatformClient({ platformUrl: upstream.url, token: TOKEN }, undefined, { listTimeoutMs: 200 });
    await expect(impatient.listWorkspaces()).rejects.toThrow("the platform did not answer GET /workspaces within 0.2 s");
  });

  it("turns an answer over the size limit into a 502", async () => {
    upstream.handle((_request, response) => response.writeHead(200, { "content-type": "application/json" }).end("x".repeat(2048)));
    const small = createUpstreamPlatformClient({ platformUrl: upstream.url, token: TOKEN }, undefined, { maxResponseBytes: 1024 });
    expect(answered(await small.postA2A("ws-1", rpc("GetTask"))).json).toEqual({ error: "platform response to POST /workspaces/ws-1/a2a exceeds 1 KiB" });
  });
});

describe("the token never comes back", () => {
  it("is redacted from every body the platform echoes it in", async () => {
    upstream.handle((request, response) =>
      response
        .writeHead(request.method === "GET" ? 401 : 400, { "content-type": "application/json", "x-echo": request.headers.authorization ?? "", "retry-after": "1" })
        .end(JSON.stringify({ error: `bad token ${request.headers.authorization}`, headers: request.headers, body: request.body })),
    );
    const cancel = await client.postA2A("ws-1", rpc("CancelTask", { id: TOKEN }));
    const restart = await client.restart("ws-1");
    const listing = await client.listWorkspaces().then(
      () => "listed",
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const everything = JSON.stringify([cancel, restart, listing]);
    expect(upstream.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(everything).not.toContain(TOKEN);
    expect(everything).toContain("Bearer [redacted]");
    expect(listing).toMatch(/^the platform answered 401 to GET \/workspaces: .*\[redacted\]/);
  });

  it("is redacted from network errors and refusals", async () => {
    const url = upstream.url;
    const echoing: UpstreamTransport = async (request) => {
      const error = new TypeError("socket failed");
      (error as { cause?: unknown }).cause = new Error(`connect ECONNRESET while sending ${request.headers.authorization} to ${request.url.href}`);
      throw error;
    };
    const failing = createUpstreamPlatformClient({ platformUrl: url, token: TOKEN }, echoing);
    const cancel = await failing.postA2A("ws-1", rpc("CancelTask"));
    expect(cancel).toEqual({ ok: false, error: "network", message: `connect ECONNRESET while sending Bearer [redacted] to ${url}workspaces/ws-1/a2a` });
    await expect(failing.listWorkspaces()).rejects.toThrow(/Bearer \[redacted\]/);

    const refused = await client.postA2A("ws-1", rpc(`SendMessage ${TOKEN}`));
    expect(refused).toMatchObject({ ok: false, error: "network" });
    expect(JSON.stringify(refused)).not.toContain(TOKEN);

    await upstream.close();
    const down = createUpstreamPlatformClient({ platformUrl: url, token: TOKEN });
    const unreachable = await down.restart("ws-1");
    expect(unreachable).toEqual({ ok: false, error: "network", message: expect.stringContaining("ECONNREFUSED") });
    upstream = await startUpstream();
  });
});
