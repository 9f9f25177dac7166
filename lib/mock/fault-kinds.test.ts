import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlatformClient, MAX_BODY_CHARS } from "../platform/client";
import { readA2AAnswer } from "../a2a/proxy-answer";
import { requestRestart } from "../stop-all/restart-request";
import { FakeClock } from "../time/fake-clock";
import { createMswHandlers } from "./handlers";
import { createFleetSimulation } from "./sim/fleet-simulation";
import { HUGE_BODY_CHARS } from "./sim/proxy-answers";
import type { Scenario } from "./sim/scenario";
import { bodyOf, rpc, scenarioOf, startSim } from "./sim/testing/harness";

/**
 * Fault kinds added for the fault matrix (e2e/FAULTS.md): a failed
 * connection and huge or empty bodies on the A2A proxy; restarts whose
 * answer comes from a gateway or never leaves; and restart faults per attempt.
 */

const CANCEL = (id: string | number = 5) => rpc("CancelTask", { id: "task-ws-x-1" }, id);

describe("A2A proxy fault kinds", () => {
  it("connection-refused: no HTTP answer, and the agent never sees the request", async () => {
    const h = startSim(scenarioOf([{ id: "ws-x", behaviour: { faults: [{ answer: { kind: "connection-refused" } }] } }]));
    expect(h.sim.handleA2A("ws-x", CANCEL())).toEqual({ status: 0, networkError: true });
    await h.clock.advance(10_000);
    expect(h.row("ws-x")!.active_tasks).toBe(1);
  });

  it("huge-body: the agent's real reply, valid JSON, padded past what the canvas reads", () => {
    const h = startSim(scenarioOf([{ id: "ws-x", behaviour: { faults: [{ answer: { kind: "huge-body" } }] } }]));
    const answer = h.sim.handleA2A("ws-x", CANCEL(7));
    expect(answer.status).toBe(200);
    expect(answer.rawBody!.length).toBeGreaterThanOrEqual(HUGE_BODY_CHARS);
    expect(HUGE_BODY_CHARS).toBeGreaterThan(MAX_BODY_CHARS);
    expect(JSON.parse(answer.rawBody!)).toMatchObject({ jsonrpc: "2.0", id: 7, result: { status: { state: "TASK_STATE_CANCELED" } } });
  });

  it("huge-body takes a size", () => {
    const h = startSim(scenarioOf([{ id: "ws-x", behaviour: { faults: [{ answer: { kind: "huge-body", chars: 5000 } }] } }]));
    expect(h.sim.handleA2A("ws-x", CANCEL()).rawBody).toHaveLength(5000);
  });

  it("empty-body: 200 with nothing in it", () => {
    const h = startSim(scenarioOf([{ id: "ws-x", behaviour: { faults: [{ answer: { kind: "empty-body" }, methods: ["ListTasks"] }] } }]));
    expect(h.sim.handleA2A("ws-x", rpc("ListTasks", {}))).toMatchObject({ status: 200, rawBody: "" });
    expect(h.sim.handleA2A("ws-x", CANCEL()).status).toBe(200);
    expect(bodyOf(h.sim.handleA2A("ws-x", CANCEL()))).toHaveProperty("jsonrpc", "2.0");
  });
});

describe("restart fault kinds", () => {
  it("gateway-error: the restart happens, a gateway answers its status as text", async () => {
    const h = startSim(scenarioOf([{ id: "ws-x", behaviour: { restart: { kind: "gateway-error", status: 524, restartMs: 1000 } } }]));
    expect(h.sim.handleRestart("ws-x")).toMatchObject({ status: 524, rawBody: "error code: 524" });
    expect(h.row("ws-x")).toMatchObject({ status: "provisioning" });
    await h.clock.advance(1000);
    expect(h.row("ws-x")).toMatchObject({ status: "online", active_tasks: 0 });
  });

  it("connection-refused: nothing happens to the workspace", async () => {
    const h = startSim(scenarioOf([{ id: "ws-x", behaviour: { restart: { kind: "connection-refused" } } }]));
    expect(h.sim.handleRestart("ws-x")).toEqual({ status: 0, networkError: true });
    await h.clock.advance(10_000);
    expect(h.row("ws-x")).toMatchObject({ status: "online", active_tasks: 1 });
  });

  it("restartFaults pick the answer per attempt; later attempts go through to `restart`", () => {
    const h = startSim(
      scenarioOf([
        {
          id: "ws-x",
          behaviour: {
            restart: { kind: "ok", restartMs: 100 },
            restartFaults: [
              { answer: { kind: "hang", restartMs: 100 }, firstAttempts: 1 },
              { answer: { kind: "fail", status: 409 }, attempts: [3] },
            ],
          },
        },
      ]),
    );
    const statuses = Array.from({ length: 4 }, () => h.sim.handleRestart("ws-x")).map((a) => (a.hang ? "hang" : a.status));
    expect(statuses).toEqual(["hang", 200, 409, 200]);
  });

  it("setBehaviour with restartFaults restarts the attempt count", () => {
    const h = startSim(scenarioOf([{ id: "ws-x", behaviour: { restart: { kind: "ok", restartMs: 100 } } }]));
    expect(h.sim.handleRestart("ws-x").status).toBe(200);
    h.sim.setBehaviour("ws-x", { restartFaults: [{ answer: { kind: "fail", status: 500 }, firstAttempts: 1 }] });
    expect(h.sim.handleRestart("ws-x").status).toBe(500);
    expect(h.sim.handleRestart("ws-x").status).toBe(200);
  });

  it("scenarios without restartFaults behave as before", () => {
    const h = startSim(scenarioOf([{ id: "ws-x", behaviour: { restart: { kind: "fail", status: 503 } } }]));
    expect(h.sim.handleRestart("ws-x")).toMatchObject({ status: 503, body: { error: "no provisioner available" } });
    expect(h.sim.handleRestart("ws-x").status).toBe(503);
  });
});

describe("row faults", () => {
  it("rowPatch breaks one row of GET /workspaces; the agent and its events go on", async () => {
    const h = startSim(scenarioOf([{ id: "ws-x" }, { id: "ws-y" }]));
    h.sim.setBehaviour("ws-x", { rowPatch: { active_tasks: -1, name: null } });
    expect(h.row("ws-x")).toMatchObject({ id: "ws-x", active_tasks: -1, name: null, status: "online" });
    expect(h.row("ws-y")).toMatchObject({ active_tasks: 1, name: "ws-y" });
    expect(h.sim.handleA2A("ws-x", CANCEL()).status).toBe(200);
    await h.clock.advance(2000);
    expect(h.eventsOf("TASK_UPDATED", "ws-x").at(-1)?.payload).toMatchObject({ active_tasks: 0 });
    h.sim.setBehaviour("ws-x", { rowPatch: null });
    expect(h.row("ws-x")).toMatchObject({ active_tasks: 0, name: "ws-x" });
  });
});

describe("through the MSW handlers and the canvas's platform client", () => {
  const ORIGIN = "http://canvas.test";
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());

  function mount(scenario: Scenario) {
    const clock = new FakeClock();
    const sim = createFleetSimulation({ scenario: { ...scenario, latencyMs: 0 }, clock });
    server.resetHandlers(...createMswHandlers(sim));
    const client = createPlatformClient((path, init) => fetch(`${ORIGIN}${path}`, init));
    return { sim, clock, client };
  }

  it("connection-refused is a network error for the client; the log keeps no status", async () => {
    const { sim, client } = mount(scenarioOf([{ id: "ws-x", behaviour: { faults: [{ answer: { kind: "connection-refused" } }], restart: { kind: "connection-refused" } } }]));
    expect(await client.postA2A("ws-x", { jsonrpc: "2.0", id: "c-1", method: "CancelTask", params: { id: "t" } })).toMatchObject({ ok: false, error: "network" });
    expect(await client.restart("ws-x")).toMatchObject({ ok: false, error: "network" });
    expect(sim.log.entries().map((entry) => entry.status)).toEqual([null, null]);
  });

  it("huge-body is cut by the client and read as a truncated answer, not a delivery", async () => {
    const { client } = mount(scenarioOf([{ id: "ws-x", behaviour: { faults: [{ answer: { kind: "huge-body" } }] } }]));
    const response = await client.postA2A("ws-x", { jsonrpc: "2.0", id: "c-1", method: "CancelTask", params: { id: "task-ws-x-1" } });
    expect(response).toMatchObject({ ok: true, status: 200, json: undefined });
    expect(response.ok && response.text.length).toBe(MAX_BODY_CHARS);
    expect(readA2AAnswer(response, "c-1")).toEqual({ kind: "bad-body", status: 200, problem: "truncated" });
  });

  it("a gateway's 524 after the restart happened is a lost answer", async () => {
    const { sim, clock, client } = mount(scenarioOf([{ id: "ws-x", behaviour: { restart: { kind: "gateway-error", status: 524, restartMs: 1000 } } }]));
    const answer = await requestRestart({ platform: client, clock, timeoutMs: 10_000 }, "ws-x", new AbortController().signal, () => {});
    expect(answer).toMatchObject({ kind: "lost", reason: "gateway" });
    expect(sim.listRows()).toEqual([expect.objectContaining({ id: "ws-x", status: "provisioning" })]);
  });
});
