import { afterEach, describe, expect, it, vi } from "vitest";
import { startUpstream } from "@/lib/server/testing/upstream";

vi.mock("server-only", () => ({}));

// The route modules read PLATFORM_URL once, when first imported: each test
// sets the environment, resets the module registry and imports them fresh.
async function importRoutes(env: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value as string);
  const proxy = await import("./[...path]/route");
  const events = await import("./events/route");
  return { proxy, events };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("route modules", () => {
  it("declare the Node runtime and dynamic rendering", async () => {
    const { proxy, events } = await importRoutes({ PLATFORM_URL: "" });
    expect([proxy.runtime, proxy.dynamic, events.runtime, events.dynamic]).toEqual(["nodejs", "force-dynamic", "nodejs", "force-dynamic"]);
  });

  it("answer 503 in mock mode", async () => {
    const { proxy, events } = await importRoutes({ PLATFORM_URL: "", PLATFORM_TOKEN: "" });
    const answers = [
      await proxy.GET(new Request("http://canvas.test/api/platform/workspaces")),
      await proxy.POST(new Request("http://canvas.test/api/platform/workspaces/ws-1/restart", { method: "POST" })),
      await events.GET(new Request("http://canvas.test/api/platform/events")),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(await answer.json()).toEqual({ error: expect.stringContaining("no PLATFORM_URL configured") });
    }
  });

  it("forward with the token from the environment in live mode", async () => {
    const upstream = await startUpstream();
    try {
      upstream.handle((_request, response) => response.writeHead(200, { "content-type": "application/json" }).end("[]"));
      const { proxy } = await importRoutes({ PLATFORM_URL: upstream.url, PLATFORM_TOKEN: "env-token-abc123" });
      const answer = await proxy.GET(new Request("http://canvas.test/api/platform/workspaces"));
      expect(await answer.json()).toEqual([]);
      expect(upstream.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([["GET", "/workspaces", "Bearer env-token-abc123"]]);
    } finally {
      await upstream.close();
    }
  });

  it("answer 404 in live mode to Stop All's calls, which the canvas server sends itself", async () => {
    const upstream = await startUpstream();
    try {
      upstream.handle((_request, response) => response.writeHead(200, { "content-type": "application/json" }).end('{"status":"provisioning"}'));
      const { proxy } = await importRoutes({ PLATFORM_URL: upstream.url, PLATFORM_TOKEN: "env-token-abc123" });
      const sameOrigin = { "sec-fetch-site": "same-origin", "content-type": "application/json" };
      const answers = [
        await proxy.POST(new Request("http://canvas.test/api/platform/workspaces/ws-1/a2a", { method: "POST", headers: sameOrigin, body: '{"jsonrpc":"2.0","id":1,"method":"CancelTask","params":{"id":"t-1"}}' })),
        await proxy.POST(new Request("http://canvas.test/api/platform/workspaces/ws-1/restart", { method: "POST", headers: sameOrigin })),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(404);
        expect(await answer.json()).toEqual({ error: expect.stringContaining("only GET /workspaces is forwarded; Stop All runs on the canvas server (/api/stop-all)") });
      }
      expect(upstream.requests).toEqual([]);
    } finally {
      await upstream.close();
    }
  });

  it("fail to load with a readable message when PLATFORM_URL is not http(s)", async () => {
    await expect(importRoutes({ PLATFORM_URL: "ftp://platform.example" })).rejects.toThrow(/PLATFORM_URL must use http: or https:/);
  });
});
