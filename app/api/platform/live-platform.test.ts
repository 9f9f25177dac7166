import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { protocolOfAgentCard } from "@/lib/platform/agent-card";
import { startLivePlatform, type LivePlatform } from "@/e2e/live/platform-server";
import { sseReader } from "@/lib/server/sse-reader";

vi.mock("server-only", () => ({}));
const { parseServerConfig } = await import("@/lib/server/config");
const { createProxyHandlers } = await import("@/lib/server/proxy-handlers");
const { createEventsHandler } = await import("@/lib/server/events-handler");
const { createUpstreamPlatformClient } = await import("@/lib/server/stop-all/upstream-client");

// The whole live chain: the browser's route handlers (list, events) and the server's own
// Stop All client (A2A, restart) → local platform → real @a2a-js/sdk agents.
const TOKEN = "live-platform-token-5d0c";
const APP = "http://canvas.test:3000/api/platform";
let platform: LivePlatform;
let proxy: ReturnType<typeof createProxyHandlers>;
let events: ReturnType<typeof createEventsHandler>;
let server: ReturnType<typeof createUpstreamPlatformClient>;

beforeAll(async () => {
  platform = await startLivePlatform({ token: TOKEN, restartDelayMs: 50 });
  const config = parseServerConfig({ PLATFORM_URL: platform.url, PLATFORM_TOKEN: TOKEN });
  if (config.mode !== "live") throw new Error("expected live mode");
  proxy = createProxyHandlers(config);
  events = createEventsHandler(config, { pingMs: 60_000 });
  server = createUpstreamPlatformClient(config);
});
afterAll(() => platform.close());

type Row = { id: string; status: string; active_tasks: number; current_task: string; agent_card: Record<string, unknown> | null };
type Rpc = { result?: Record<string, unknown> & { tasks?: { id: string; status: { state: string } }[] }; error?: { code: number } };

async function rows(): Promise<Map<string, Row>> {
  const response = await proxy.GET(new Request(`${APP}/workspaces`));
  expect(response.status).toBe(200);
  return new Map(((await response.json()) as Row[]).map((row) => [row.id, row]));
}

/** An A2A call as a Stop All on the canvas server sends it. */
async function a2a(workspaceId: string, method: string, params: unknown): Promise<Rpc> {
  const response = await server.postA2A(workspaceId, { jsonrpc: "2.0", id: 1, method, params });
  if (!response.ok) throw new Error(`${method} to ${workspaceId} failed: ${response.message}`);
  expect(response.status).toBe(200);
  return response.json as Rpc;
}

describe("live platform through the proxy and the server's own client", () => {
  it("lists the fleet with active_tasks from the agents' real task state", async () => {
    const fleet = await rows();
    expect([...fleet.values()].map((row) => [row.id, row.status, row.active_tasks])).toEqual([
      ["busy-v1", "online", 2],
      ["busy-v03", "online", 1],
      ["idle-v1", "online", 0],
      ["hibernated-v1", "hibernated", 0],
    ]);
    expect(fleet.get("busy-v1")?.current_task).toBe("refactor the billing module");
    expect(fleet.get("busy-v1")?.agent_card).toMatchObject({ supportedInterfaces: [{ protocolVersion: "1.0" }] });
    expect(fleet.get("busy-v03")?.agent_card).toMatchObject({ protocolVersion: "0.3" });
    expect(protocolOfAgentCard(fleet.get("busy-v1")?.agent_card)).toBe("1.0");
    expect(protocolOfAgentCard(fleet.get("busy-v03")?.agent_card)).toBe("0.3");
  });

  it("cancels a 1.0 agent's tasks found with ListTasks, and the drain shows in rows and events", async () => {
    const stream = await events(new Request(`${APP}/events`));
    expect(stream.status).toBe(200);
    const sse = sseReader(stream);

    const listed = await a2a("busy-v1", "ListTasks", {});
    const working = listed.result?.tasks?.filter((task) => task.status.state === "TASK_STATE_WORKING") ?? [];
    expect(working).toHaveLength(2);
    expect((await a2a("busy-v1", "tasks/cancel", { id: working[0]!.id })).error?.code).toBe(-32601);
    for (const task of working) {
      const cancelled = await a2a("busy-v1", "CancelTask", { id: task.id });
      expect(cancelled.result?.status).toMatchObject({ state: "TASK_STATE_CANCELED" });
    }
    expect((await a2a("busy-v1", "GetTask", { id: working[0]!.id })).result?.status).toMatchObject({ state: "TASK_STATE_CANCELED" });
    expect((await a2a("busy-v1", "CancelTask", { id: "no-such-task" })).error?.code).toBe(-32001);

    const drained = await sse.until((frame) => frame.includes('"workspace_id":"busy-v1"') && frame.includes('"TASK_UPDATED"') && frame.includes('"active_tasks":0'));
    expect(drained).toMatch(/^data: \{"event":"TASK_UPDATED"/);
    expect((await rows()).get("busy-v1")?.active_tasks).toBe(0);
    await sse.cancel();
  });

  it("cancels a 0.3 agent's task with tasks/cancel, using the task id from TASK_UPDATED", async () => {
    expect((await a2a("busy-v03", "ListTasks", {})).error?.code).toBe(-32601);
    const stream = await events(new Request(`${APP}/events`));
    const sse = sseReader(stream);
    const extra = await platform.startTask("busy-v03", "summarise the review");
    expect((await a2a("busy-v03", "CancelTask", { id: extra })).error?.code).toBe(-32601);
    expect((await a2a("busy-v03", "tasks/cancel", { id: extra })).result).toMatchObject({ kind: "task", id: extra, status: { state: "canceled" } });

    const update = await sse.until((frame) => frame.includes('"workspace_id":"busy-v03"') && frame.includes('"TASK_UPDATED"'));
    const seededId = (JSON.parse(update!.slice("data: ".length)) as { payload: { task_id: string } }).payload.task_id;
    expect((await a2a("busy-v03", "tasks/get", { id: seededId })).result).toMatchObject({ status: { state: "working" } });
    expect((await a2a("busy-v03", "tasks/cancel", { id: seededId })).result).toMatchObject({ status: { state: "canceled" } });
    expect((await rows()).get("busy-v03")?.active_tasks).toBe(0);
    await sse.cancel();
  });

  it("restarts a workspace: its work is lost and it comes back online", async () => {
    await platform.startTask("idle-v1", "long crawl");
    expect((await rows()).get("idle-v1")?.active_tasks).toBe(1);
    const sse = sseReader(await events(new Request(`${APP}/events`)));
    const response = await server.restart("idle-v1");
    expect(response).toMatchObject({ ok: true, status: 200, json: { status: "provisioning" } });
    expect(await sse.until((frame) => frame.includes("WORKSPACE_PROVISIONING"))).toContain('"workspace_id":"idle-v1"');
    expect(await sse.until((frame) => frame.includes("WORKSPACE_ONLINE"))).toContain('"workspace_id":"idle-v1"');
    const row = (await rows()).get("idle-v1");
    expect([row?.status, row?.active_tasks]).toEqual(["online", 0]);
    await sse.cancel();
  });

  it("refuses Stop All's calls through the proxy, sends and cross-site calls, before they reach the platform; every call carried the token", async () => {
    const before = platform.requests().length;
    const sameOrigin = { "content-type": "application/json", "sec-fetch-site": "same-origin" };
    const throughProxy = [
      await proxy.POST(new Request(`${APP}/workspaces/busy-v1/a2a`, { method: "POST", headers: sameOrigin, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ListTasks", params: {} }) })),
      await proxy.POST(new Request(`${APP}/workspaces/busy-v1/restart`, { method: "POST", headers: sameOrigin })),
      await proxy.GET(new Request(`${APP}/workspaces/busy-v1/a2a`)),
    ];
    expect(throughProxy.map((response) => response.status)).toEqual([404, 404, 404]);
    expect(await throughProxy[0]!.json()).toEqual({ error: expect.stringContaining("only GET /workspaces is forwarded") });
    const crossSite = await proxy.POST(new Request(`${APP}/workspaces/busy-v1/restart`, { method: "POST", headers: { origin: "https://evil.example" } }));
    expect(crossSite.status).toBe(403);
    const send = await server.postA2A("busy-v1", { jsonrpc: "2.0", id: 1, method: "SendMessage", params: { message: { role: "ROLE_USER", parts: [{ text: "hi" }] } } });
    expect(send).toEqual({ ok: false, error: "network", message: expect.stringMatching(/^refused by the canvas's allow-list: A2A method "SendMessage" is not allowed/) });
    expect(platform.requests()).toHaveLength(before);

    const seen = platform.requests();
    expect(seen.every((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(seen.some((request) => request.path.includes("hibernated-v1"))).toBe(false);
    // The event streams above share the process's upstream socket (lib/server/shared-upstream-events.ts).
    expect(seen.filter((request) => request.path === "/ws").length).toBeGreaterThanOrEqual(1);
    expect(seen.filter((request) => request.path.endsWith("/restart")).map((request) => request.path)).toEqual(["/workspaces/idle-v1/restart"]);
  });

  it("rejects a wrong token at the platform, and the proxy and the server's client report the 401 without the token", async () => {
    const wrongConfig = parseServerConfig({ PLATFORM_URL: platform.url, PLATFORM_TOKEN: "wrong-token-123" });
    if (wrongConfig.mode !== "live") throw new Error("expected live mode");
    const wrong = createProxyHandlers(wrongConfig);
    const response = await wrong.GET(new Request(`${APP}/workspaces`));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "missing or wrong bearer token" });
    const cancel = await createUpstreamPlatformClient(wrongConfig).postA2A("busy-v1", { jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } });
    expect(cancel).toMatchObject({ ok: true, status: 401, json: { error: "missing or wrong bearer token" } });
    expect(JSON.stringify(cancel)).not.toContain("wrong-token-123");
    const stream = await createEventsHandler(parseServerConfig({ PLATFORM_URL: platform.url }))(new Request(`${APP}/events`));
    expect(stream.status).toBe(503);
  });
});
