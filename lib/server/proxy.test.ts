import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startUpstream } from "./testing/upstream";
import { UNKNOWN_PATH } from "./route-table";

vi.mock("server-only", () => ({}));
const { createProxyHandlers } = await import("./proxy-handlers");

const TOKEN = "tok-3b1f9e0c-secret";
const APP = "http://canvas.test:3000/api/platform";
const SAME_ORIGIN = { "sec-fetch-site": "same-origin" };

let upstream: Awaited<ReturnType<typeof startUpstream>>;
let handlers: ReturnType<typeof createProxyHandlers>;

beforeEach(async () => {
  upstream = await startUpstream();
  handlers = createProxyHandlers({ mode: "live", platformUrl: upstream.url, token: TOKEN }, { timeoutMs: 10_000 });
});
afterEach(() => upstream.close());

const rpc = (method: string, params: unknown = { id: "task-1" }) => JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
const postA2A = (id: string, body: BodyInit, headers: Record<string, string> = {}) =>
  handlers.POST(new Request(`${APP}/workspaces/${id}/a2a`, { method: "POST", body, headers: { "content-type": "application/json", ...SAME_ORIGIN, ...headers } }));
const list = () => handlers.GET(new Request(`${APP}/workspaces`));
const answerJson = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  upstream.handle((_request, response) => response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body)));
async function fullText(response: Response): Promise<string> {
  return `${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`;
}

describe("forwarding", () => {
  it("lists workspaces with the bearer token added server-side", async () => {
    answerJson(200, [{ id: "ws-1" }]);
    const response = await handlers.GET(new Request(`${APP}/workspaces`, { headers: { cookie: "session=abc", authorization: "Bearer browser-value" } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ id: "ws-1" }]);
    const seen = upstream.requests[0]!;
    expect(seen).toMatchObject({ method: "GET", path: "/workspaces" });
    expect(seen.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen.headers.cookie).toBeUndefined();
  });

  it("forwards the list without the browser's body, query or headers", async () => {
    answerJson(200, []);
    await handlers.GET(new Request(`${APP}/workspaces?admin=1`, { headers: { "x-forwarded-for": "10.0.0.1", "content-type": "application/json", "sec-fetch-site": "same-origin" } }));
    const seen = upstream.requests[0]!;
    expect([seen.method, seen.path, seen.body]).toEqual(["GET", "/workspaces", ""]);
    for (const header of ["x-forwarded-for", "content-type", "sec-fetch-site", "cookie"]) expect(seen.headers[header]).toBeUndefined();
    expect([seen.headers.accept, seen.headers.authorization]).toEqual(["application/json", `Bearer ${TOKEN}`]);
  });

  it("keeps a base path in PLATFORM_URL", async () => {
    answerJson(200, []);
    const based = createProxyHandlers({ mode: "live", platformUrl: `${upstream.url}platform/v1/`, token: null });
    await based.GET(new Request(`${APP}/workspaces`));
    expect(upstream.requests[0]?.path).toBe("/platform/v1/workspaces");
    expect(upstream.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe("Stop All's calls are not the browser's to send", () => {
  it.each([
    ["an allowed A2A method", "a2a", rpc("CancelTask")],
    ["a listing", "a2a", rpc("ListTasks", {})],
    ["an off-list method", "a2a", rpc("SendMessage", { message: { parts: [] } })],
    ["a restart", "restart", undefined],
  ])("POST /workspaces/:id/… with %s → 404, nothing forwarded", async (_name, action, body) => {
    answerJson(200, { status: "provisioning" });
    const response = await handlers.POST(
      new Request(`${APP}/workspaces/ws-1/${action}`, { method: "POST", body, headers: { ...(body ? { "content-type": "application/json" } : {}), ...SAME_ORIGIN } }),
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: UNKNOWN_PATH });
    expect(response.headers.get("allow")).toBeNull();
    expect(upstream.requests).toHaveLength(0);
  });

  it("answers 404 to a GET of those paths too, and to a body too large to have been read", async () => {
    for (const action of ["a2a", "restart"]) {
      const response = await handlers.GET(new Request(`${APP}/workspaces/ws-1/${action}`));
      expect([response.status, await response.json()]).toEqual([404, { error: UNKNOWN_PATH }]);
    }
    const big = await postA2A("ws-1", rpc("CancelTask", { id: "x".repeat(2 * 1024 * 1024) }));
    expect(big.status).toBe(404);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe("pass-through of platform answers", () => {
  it.each([
    [503, { busy: true, retry_after: 2 }, { "retry-after": "2" }],
    [503, { waking: true }, { "retry-after": "Wed, 21 Oct 2026 07:28:00 GMT" }],
    [503, { code: "platform_unavailable" }, {}],
    [202, { queued: true }, {}],
    [401, { error: "missing or wrong bearer token" }, {}],
    [404, { error: "not found" }, {}],
    [429, { error: "slow down" }, { "retry-after": "7" }],
    [502, { error: "failed to reach workspace agent" }, {}],
    [522, { error: "cloudflare" }, {}],
  ])("relays %i %j with its Retry-After", async (status, body, headers) => {
    answerJson(status, body, headers);
    const response = await list();
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual(body);
    expect(response.headers.get("retry-after")).toBe((headers as Record<string, string>)["retry-after"] ?? null);
    expect(response.headers.get("content-type")).toBe("application/json");
  });

  it("relays a non-JSON body byte for byte", async () => {
    upstream.handle((_request, response) => response.writeHead(500, { "content-type": "text/plain" }).end("panic: nil map\n"));
    const response = await handlers.GET(new Request(`${APP}/workspaces`));
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(await response.text()).toBe("panic: nil map\n");
  });

  it("strips cookies, auth echoes, hop-by-hop and length headers, and redacts an echoed token", async () => {
    upstream.handle((request, response) => {
      response.writeHead(200, {
        "content-type": "application/json",
        "set-cookie": "platform_session=xyz; HttpOnly",
        "www-authenticate": "Bearer realm=platform",
        "x-echo-authorization": request.headers.authorization ?? "",
        "authorization": request.headers.authorization ?? "",
        connection: "close",
        "keep-alive": "timeout=5",
      });
      response.end(JSON.stringify({ echoed: request.headers.authorization, headers: request.headers }));
    });
    const response = await handlers.GET(new Request(`${APP}/workspaces`));
    const text = await fullText(response);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain("Bearer [redacted]");
    for (const header of ["set-cookie", "www-authenticate", "x-echo-authorization", "authorization", "connection", "keep-alive", "content-length", "content-encoding", "transfer-encoding"]) {
      expect(response.headers.has(header)).toBe(false);
    }
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("passes a 204 without a body and refuses to follow redirects", async () => {
    upstream.handle((_request, response) => response.writeHead(204).end());
    expect((await handlers.GET(new Request(`${APP}/workspaces`))).status).toBe(204);
    upstream.handle((_request, response) => response.writeHead(302, { location: "https://elsewhere.example/steal" }).end());
    const response = await handlers.GET(new Request(`${APP}/workspaces`));
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: expect.stringContaining("redirect (302)") });
    expect(upstream.requests).toHaveLength(2);
  });
});

describe("refusals before anything is forwarded", () => {
  const paths = [
    "workspaces/..%2Fadmin/a2a",
    "workspaces/%2e%2e/a2a",
    "workspaces/a%2Fb/a2a",
    "workspaces/a/b/a2a",
    "workspaces/ws-1%00/a2a",
    "workspaces/ws-1%0d%0aX-Injected:%201/a2a",
    "workspaces/w%C5%9B-1/a2a",
    "workspaces/wś-1/a2a",
    `workspaces/${"a".repeat(300)}/a2a`,
    "workspaces//a2a",
    "workspaces/.%2e/a2a",
    "workspaces/%252e%252e/restart",
    "workspaces/ws-1/a2a/",
    "workspaces/ws-1/delete",
    "workspaces/ws-1/pause",
    "workspaces/ws-1",
    "workspaces/",
    "workspaces%2F..%2Fadmin",
    "admin/users",
    "_test/reset",
    "ws",
    "events",
  ];
  it.each(paths)("POST /api/platform/%s → 404, nothing forwarded", async (path) => {
    const response = await handlers.POST(new Request(`${APP}/${path}`, { method: "POST", body: rpc("CancelTask"), headers: { "content-type": "application/json", ...SAME_ORIGIN } }));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: UNKNOWN_PATH });
    expect(upstream.requests).toHaveLength(0);
  });

  it.each(paths)("GET /api/platform/%s → 404, nothing forwarded", async (path) => {
    const response = await handlers.GET(new Request(`${APP}/${path}`, { headers: SAME_ORIGIN }));
    expect(response.status).toBe(404);
    expect(upstream.requests).toHaveLength(0);
  });

  it("answers 405 with Allow for the wrong method", async () => {
    const list = await handlers.POST(new Request(`${APP}/workspaces`, { method: "POST", headers: SAME_ORIGIN }));
    expect(list.status).toBe(405);
    expect(list.headers.get("allow")).toBe("GET");
    expect(await list.json()).toEqual({ error: "method not allowed: /workspaces only supports GET" });
    expect(upstream.requests).toHaveLength(0);
  });

  it.each([
    [{ "sec-fetch-site": "cross-site" }],
    [{ "sec-fetch-site": "same-site" }],
    [{ origin: "https://evil.example" }],
    [{ origin: "null" }],
    [{}],
  ])("refuses a cross-site write %j with 403, before the path is looked at", async (headers) => {
    for (const path of ["workspaces/ws-1/restart", "workspaces/ws-1/a2a", "workspaces", "admin"]) {
      const response = await handlers.POST(new Request(`${APP}/${path}`, { method: "POST", headers }));
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: expect.stringContaining("cross-site request refused") });
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it("refuses a cross-site read of the workspace list", async () => {
    const response = await handlers.GET(new Request(`${APP}/workspaces`, { headers: { "sec-fetch-site": "cross-site" } }));
    expect(response.status).toBe(403);
    expect(upstream.requests).toHaveLength(0);
  });

  it("lets a same-origin Origin through the CSRF check when Sec-Fetch-Site is absent (then the allow-list answers)", async () => {
    const restart = await handlers.POST(new Request(`${APP}/workspaces/ws-1/restart`, { method: "POST", headers: { origin: "http://canvas.test:3000" } }));
    expect([restart.status, await restart.json()]).toEqual([404, { error: UNKNOWN_PATH }]);
    const write = await handlers.POST(new Request(`${APP}/workspaces`, { method: "POST", headers: { origin: "http://canvas.test:3000" } }));
    expect(write.status).toBe(405);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe("failures of the platform", () => {
  it("answers 504 when the platform does not answer in time", async () => {
    upstream.handle(() => undefined);
    const impatient = createProxyHandlers({ mode: "live", platformUrl: upstream.url, token: TOKEN }, { timeoutMs: 300 });
    const response = await impatient.GET(new Request(`${APP}/workspaces`));
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ error: "platform did not answer GET /workspaces within 0.3 s" });
  });

  it("answers 502 with the cause when the platform is down", async () => {
    const url = upstream.url;
    await upstream.close();
    const down = createProxyHandlers({ mode: "live", platformUrl: url, token: TOKEN });
    const response = await down.GET(new Request(`${APP}/workspaces`));
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: string };
    expect(body.error).toMatch(/^platform unreachable: .*ECONNREFUSED/);
    expect(body.error).not.toContain(TOKEN);
    upstream = await startUpstream();
  });

  it("answers 502 when the platform's answer is too large", async () => {
    upstream.handle((_request, response) => response.writeHead(200, { "content-type": "application/json" }).end("x".repeat(2048)));
    const small = createProxyHandlers({ mode: "live", platformUrl: upstream.url, token: TOKEN }, { maxResponseBytes: 1024 });
    const response = await small.GET(new Request(`${APP}/workspaces`));
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: "platform response to GET /workspaces exceeds 1 KiB" });
  });

  it("stops waiting when the browser goes away", async () => {
    upstream.handle(() => undefined);
    const browser = new AbortController();
    const pending = handlers.GET(new Request(`${APP}/workspaces`, { signal: browser.signal }));
    setTimeout(() => browser.abort(), 20);
    expect((await pending).status).toBe(499);
  });
});

describe("mock mode", () => {
  it("answers 503 explaining that no PLATFORM_URL is configured", async () => {
    const mock = createProxyHandlers({ mode: "mock" });
    for (const response of [await mock.GET(new Request(`${APP}/workspaces`)), await mock.POST(new Request(`${APP}/workspaces/ws-1/restart`, { method: "POST" })), await mock.GET(new Request(`${APP}/admin`))]) {
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: expect.stringContaining("no PLATFORM_URL configured") });
    }
  });
});
