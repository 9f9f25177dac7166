import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parsePlatformEvent } from "../../platform/events";
import { FakeClock } from "../../time/fake-clock";
import { createFleetSimulation, type FleetSimulation } from "../sim/fleet-simulation";
import { describePlatformCases } from "../router/testing/platform-cases";
import type { Scenario } from "../sim/scenario";
import { rpc, scenarioOf } from "../sim/testing/harness";
import { createMswHandlers } from "./index";

const ORIGIN = "http://canvas.test";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

function mount(scenario: Scenario = scenarioOf([{ id: "ws-a" }, { id: "ws-hangs", behaviour: { faults: [{ answer: { kind: "hang" } }] } }])) {
  const clock = new FakeClock();
  const sim: FleetSimulation = createFleetSimulation({ scenario: { ...scenario, latencyMs: 0 }, clock });
  server.resetHandlers(...createMswHandlers(sim));
  return { sim, clock };
}

describePlatformCases("the MSW handlers (msw/node)", (sim) => {
  server.resetHandlers(...createMswHandlers(sim));
  return (path, init) => fetch(`${ORIGIN}${path}`, init);
});

const post = (path: string, body?: string, signal?: AbortSignal) =>
  fetch(`${ORIGIN}/api/platform${path}`, { method: "POST", body, headers: { "content-type": "application/json" }, signal });

describe("MSW handlers", () => {
  it("GET /workspaces answers the rows, then 503 while the platform is down; both logged", async () => {
    const { sim } = mount();
    const ok = await fetch(`${ORIGIN}/api/platform/workspaces`);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { id: string }[]).map((row) => row.id)).toEqual(["ws-a", "ws-hangs"]);
    sim.setPlatformDown(true);
    const down = await fetch(`${ORIGIN}/api/platform/workspaces`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ code: "platform_unavailable" });
    expect(sim.log.entries()).toEqual([
      { at: expect.any(Number), method: "GET", path: "/api/platform/workspaces", status: 200 },
      { at: expect.any(Number), method: "GET", path: "/api/platform/workspaces", status: 503 },
    ]);
  });

  it("POST a2a forwards the JSON-RPC body and logs method, params and id", async () => {
    const { sim } = mount();
    const response = await post("/workspaces/ws-a/a2a", rpc("CancelTask", { id: "task-ws-a-1" }, 9));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ jsonrpc: "2.0", id: 9, result: { status: { state: "TASK_STATE_CANCELED" } } });
    expect(sim.log.entries()).toEqual([
      {
        at: expect.any(Number),
        method: "POST",
        path: "/api/platform/workspaces/ws-a/a2a",
        workspaceId: "ws-a",
        rpcMethod: "CancelTask",
        rpcParams: { id: "task-ws-a-1" },
        rpcId: 9,
        status: 200,
      },
    ]);
  });

  it("passes headers and non-JSON bodies through", async () => {
    const { sim } = mount();
    sim.setBehaviour("ws-a", { faults: [{ answer: { kind: "busy", retryAfterSeconds: 3 } }, { answer: { kind: "status", status: 522 } }] });
    const busy = await post("/workspaces/ws-a/a2a", rpc("GetTask", { id: "x" }));
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("3");
    sim.setBehaviour("ws-a", { faults: [{ answer: { kind: "status", status: 522 } }] });
    const cloudflare = await post("/workspaces/ws-a/a2a", rpc("GetTask", { id: "x" }));
    expect(cloudflare.status).toBe(522);
    expect(await cloudflare.text()).toBe("error code: 522");
  });

  it("invalid workspace ids get 400 without reaching the simulation", async () => {
    const { sim } = mount();
    expect((await post("/workspaces/ws%2F..%2Fadmin/a2a", rpc("GetTask", {}))).status).toBe(400);
    expect((await post("/workspaces/-leading-dash/restart")).status).toBe(400);
    expect(sim.log.entries().map((entry) => entry.status)).toEqual([400, 400]);
  });

  it("POST restart answers 200 provisioning", async () => {
    const { sim } = mount();
    const response = await post("/workspaces/ws-a/restart");
    expect(await response.json()).toEqual({ status: "provisioning" });
    expect(sim.log.entries()[0]).toMatchObject({ path: "/api/platform/workspaces/ws-a/restart", workspaceId: "ws-a", status: 200 });
  });

  it("a hanging answer ends when the request is aborted (status stays null)", async () => {
    const { sim, clock } = mount();
    const baseline = clock.pendingTimers();
    const controller = new AbortController();
    const pending = post("/workspaces/ws-hangs/a2a", rpc("CancelTask", { id: "task-ws-hangs-1" }), controller.signal);
    await vi.waitFor(() => expect(clock.pendingTimers()).toBeGreaterThan(baseline));
    controller.abort();
    await expect(pending).rejects.toThrow();
    await vi.waitFor(() => expect(clock.pendingTimers()).toBe(baseline));
    expect(sim.log.entries()[0]).toMatchObject({ workspaceId: "ws-hangs", rpcMethod: "CancelTask", status: null });
  });

  it("a hanging answer also ends on reset (the browser's worker never sees the abort)", async () => {
    const { sim } = mount();
    const pending = post("/workspaces/ws-hangs/a2a", rpc("CancelTask", { id: "task-ws-hangs-1" }));
    await vi.waitFor(() => expect(sim.log.entries()).toHaveLength(1));
    sim.reset();
    await expect(pending).rejects.toThrow();
  });

  it("unknown platform paths get 404 and are logged", async () => {
    const { sim } = mount();
    expect((await fetch(`${ORIGIN}/api/platform/secrets`)).status).toBe(404);
    expect(sim.log.entries()).toEqual([{ at: expect.any(Number), method: "GET", path: "/api/platform/secrets", status: 404 }]);
  });
});

describe("event stream (hand-built SSE, as served where EventSource does not exist)", () => {
  async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, predicate: (text: string) => boolean) {
    const decoder = new TextDecoder();
    let text = "";
    while (!predicate(text)) {
      const { value, done } = await reader.read();
      if (done) return { text, done: true };
      text += decoder.decode(value);
    }
    return { text, done: false };
  }

  it("sends each event as one data: line of wire-shape JSON, and ends on a drop", async () => {
    const { sim } = mount();
    const response = await fetch(`${ORIGIN}/api/platform/events`, { headers: { accept: "text/event-stream" } });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    await readUntil(reader, (text) => text.includes(": connected"));
    sim.handleRestart("ws-a");
    const { text } = await readUntil(reader, (t) => t.includes("WORKSPACE_PROVISIONING"));
    const line = text.split("\n").find((l) => l.startsWith("data: "))!;
    expect(parsePlatformEvent(line.slice("data: ".length))).toMatchObject({ kind: "status", workspaceId: "ws-a", status: "provisioning" });
    sim.eventStream.drop();
    expect((await readUntil(reader, () => false)).done).toBe(true);
    expect(sim.log.entries()).toEqual([{ at: expect.any(Number), method: "GET", path: "/api/platform/events", status: 200 }]);
  });

  it("answers 503 while the stream is switched off", async () => {
    const { sim } = mount();
    sim.eventStream.setAvailable(false);
    const response = await fetch(`${ORIGIN}/api/platform/events`, { headers: { accept: "text/event-stream" } });
    expect(response.status).toBe(503);
    expect(sim.log.entries()[0]!.status).toBe(503);
  });
});
