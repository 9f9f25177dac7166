import { describe, expect, it } from "vitest";
import type { PlainProxyStatus, ProxyAnswer } from "./behaviour";
import { bodyOf, rpc, scenarioOf, startSim } from "./testing/harness";

const CANCEL = () => rpc("CancelTask", { id: "task-ws-x-1" }, 5);

function answerFor(answer: ProxyAnswer) {
  const h = startSim(scenarioOf([{ id: "ws-x", behaviour: { faults: [{ answer }] } }]));
  return { h, answer: h.sim.handleA2A("ws-x", CANCEL()) };
}

describe("proxy answers (PLATFORM_API.md's table)", () => {
  it("poll mode: 200 queued for later delivery, naming the method", () => {
    expect(answerFor({ kind: "poll-queued" }).answer).toMatchObject({ status: 200, body: { status: "queued", delivery_mode: "poll", method: "CancelTask" } });
  });

  it("202 queued behind the agent's work", () => {
    const { answer } = answerFor({ kind: "queued" });
    expect(answer.status).toBe(202);
    expect(bodyOf(answer)).toEqual({ queued: true, queue_id: expect.stringMatching(/^queue-ws-x-/), queue_depth: expect.any(Number) });
  });

  it("503 busy with Retry-After, and a variant without it", () => {
    expect(answerFor({ kind: "busy", retryAfterSeconds: 2 }).answer).toMatchObject({ status: 503, headers: { "Retry-After": "2" }, body: { busy: true, retry_after: 2 } });
    const bare = answerFor({ kind: "busy", retryAfterSeconds: null }).answer;
    expect(bare).toMatchObject({ status: 503, body: { busy: true } });
    expect(bare.headers).toBeUndefined();
  });

  it("503 restarting, and the platform restarts the workspace by itself", async () => {
    const { h, answer } = answerFor({ kind: "restarting" });
    expect(answer).toMatchObject({ status: 503, body: { restarting: true } });
    expect(h.row("ws-x")).toMatchObject({ status: "provisioning", active_tasks: 1 });
    expect(h.events.map((e) => e.event)).toEqual(["WORKSPACE_OFFLINE", "WORKSPACE_PROVISIONING"]);
    await h.clock.advance(3000);
    expect(h.row("ws-x")).toMatchObject({ status: "online", active_tasks: 0 });
  });

  it("503 platform_unavailable, 502 unreachable", () => {
    expect(answerFor({ kind: "platform-unavailable" }).answer).toMatchObject({ status: 503, body: { code: "platform_unavailable" } });
    expect(answerFor({ kind: "unreachable" }).answer).toMatchObject({ status: 502, body: { error: "failed to reach workspace agent" } });
  });

  it("404 workspace not found, and the workspace is gone", () => {
    const { h, answer } = answerFor({ kind: "not-found" });
    expect(answer).toMatchObject({ status: 404, body: { error: "workspace not found" } });
    expect(h.row("ws-x")).toBeUndefined();
    expect(h.eventsOf("WORKSPACE_REMOVED", "ws-x")).toHaveLength(1);
  });

  it("503 waking on request: Retry-After and a body saying so", () => {
    expect(answerFor({ kind: "waking" }).answer).toMatchObject({ status: 503, headers: { "Retry-After": "15" }, body: { waking: true } });
  });

  const plain: PlainProxyStatus[] = [400, 401, 403, 409, 429, 500, 504, 520, 521, 522, 523, 524];
  it.each(plain)("plain status %i", (status) => {
    const { answer } = answerFor({ kind: "status", status });
    expect(answer.status).toBe(status);
    if (status >= 520) expect(answer.rawBody).toBe(`error code: ${status}`);
    else expect(bodyOf(answer)).toHaveProperty("error");
  });

  it("the overridden request never reaches the agent", async () => {
    const { h } = answerFor({ kind: "status", status: 500 });
    await h.clock.advance(10_000);
    expect(h.row("ws-x")!.active_tasks).toBe(1);
  });
});

describe("transport faults", () => {
  it("hang: no answer", () => {
    expect(answerFor({ kind: "hang" }).answer).toMatchObject({ hang: true });
  });

  it("truncated JSON and a non-JSON body", () => {
    const truncated = answerFor({ kind: "truncated-body" }).answer;
    expect(truncated.status).toBe(200);
    expect(() => JSON.parse(truncated.rawBody!)).toThrow();
    const html = answerFor({ kind: "not-json" }).answer;
    expect(html).toMatchObject({ status: 200, headers: { "Content-Type": "text/html" } });
    expect(html.rawBody).toContain("<html>");
  });

  it("mismatched JSON-RPC id (the cancel itself still happened)", () => {
    const { answer } = answerFor({ kind: "mismatched-id" });
    expect(bodyOf(answer).id).not.toBe(5);
    expect(bodyOf(answer).result).toMatchObject({ status: { state: "TASK_STATE_CANCELED" } });
  });

  it("faults by method and by attempt", () => {
    const h = startSim(
      scenarioOf([
        {
          id: "ws-x",
          behaviour: {
            faults: [
              { answer: { kind: "busy", retryAfterSeconds: 1 }, methods: ["CancelTask"], firstAttempts: 2 },
              { answer: { kind: "unreachable" }, methods: ["GetTask"], attempts: [2] },
            ],
          },
        },
      ]),
    );
    const statuses = (method: string, n: number) => Array.from({ length: n }, () => h.sim.handleA2A("ws-x", rpc(method, { id: "task-ws-x-1" })).status);
    expect(statuses("CancelTask", 3)).toEqual([503, 503, 200]);
    expect(statuses("GetTask", 3)).toEqual([200, 502, 200]);
    expect(statuses("ListTasks", 1)).toEqual([200]);
  });

  it("setBehaviour changes faults at runtime and restarts attempt counting", () => {
    const h = startSim(scenarioOf([{ id: "ws-x" }]));
    expect(h.sim.handleA2A("ws-x", rpc("GetTask", { id: "task-ws-x-1" })).status).toBe(200);
    h.sim.setBehaviour("ws-x", { faults: [{ answer: { kind: "unreachable" }, firstAttempts: 1 }] });
    expect(h.sim.handleA2A("ws-x", rpc("GetTask", { id: "task-ws-x-1" })).status).toBe(502);
    expect(h.sim.handleA2A("ws-x", rpc("GetTask", { id: "task-ws-x-1" })).status).toBe(200);
    expect(() => h.sim.setBehaviour("ws-nope", {})).toThrow(/no workspace/);
  });

  it("answerDelayMs delays the agent's answer", () => {
    const h = startSim(scenarioOf([{ id: "ws-x", behaviour: { answerDelayMs: 3000 } }]));
    expect(h.sim.handleA2A("ws-x", CANCEL())).toMatchObject({ status: 200, delayMs: 3000 });
  });
});
