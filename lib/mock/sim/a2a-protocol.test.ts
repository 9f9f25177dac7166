import { describe, expect, it } from "vitest";
import { protocolOfAgentCard } from "../../platform/agent-card";
import { bodyOf, rpc, scenarioOf, startSim } from "./testing/harness";

const errorCode = (answer: { body?: unknown }) => (bodyOf(answer).error as { code: number } | undefined)?.code;

describe("A2A versions", () => {
  const h = () =>
    startSim(
      scenarioOf([
        { id: "ws-v1", card: "1.0" },
        { id: "ws-v03", card: "0.3" },
        { id: "ws-card-1-answers-03", card: "1.0", behaviour: { answersMethodsOf: "0.3" } },
        { id: "ws-strict", card: "1.0", behaviour: { wrongVersionCode: -32009 } },
      ]),
    );

  it("cards name their version where each protocol puts it", () => {
    const { row } = h();
    const v1 = row("ws-v1")!.agent_card as Record<string, unknown>;
    expect(v1.protocolVersion).toBeUndefined();
    expect(v1.supportedInterfaces).toEqual([{ url: expect.any(String), protocolBinding: "JSONRPC", protocolVersion: "1.0" }]);
    expect((row("ws-v03")!.agent_card as Record<string, unknown>).protocolVersion).toBe("0.3.0");
    expect(protocolOfAgentCard(v1)).toBe("1.0");
    expect(protocolOfAgentCard(row("ws-v03")!.agent_card)).toBe("0.3");
  });

  it("1.0 names and shapes", () => {
    const { sim } = h();
    const got = sim.handleA2A("ws-v1", rpc("GetTask", { id: "task-ws-v1-1" }, 1));
    expect(bodyOf(got)).toEqual({
      jsonrpc: "2.0",
      id: 1,
      result: { id: "task-ws-v1-1", contextId: "ctx-ws-v1-1", status: { state: "TASK_STATE_WORKING", timestamp: expect.any(String) } },
    });
    const cancelled = sim.handleA2A("ws-v1", rpc("CancelTask", { id: "task-ws-v1-1" }, 2));
    expect(bodyOf(cancelled).result).toMatchObject({ status: { state: "TASK_STATE_CANCELED" } });
    expect(bodyOf(cancelled).result).not.toHaveProperty("kind");
  });

  it("0.3 names and shapes; 0.3 has no ListTasks", () => {
    const { sim } = h();
    expect(bodyOf(sim.handleA2A("ws-v03", rpc("tasks/get", { id: "task-ws-v03-1" }))).result).toMatchObject({
      kind: "task",
      id: "task-ws-v03-1",
      status: { state: "working" },
    });
    expect(bodyOf(sim.handleA2A("ws-v03", rpc("tasks/cancel", { id: "task-ws-v03-1" }))).result).toMatchObject({
      kind: "task",
      status: { state: "canceled" },
    });
    expect(errorCode(sim.handleA2A("ws-v03", rpc("ListTasks", {})))).toBe(-32601);
    expect(errorCode(sim.handleA2A("ws-v03", rpc("tasks/list", {})))).toBe(-32601);
  });

  it("wrong-version names: -32601 by default, -32009 for a strict 1.0 agent", () => {
    const { sim } = h();
    expect(errorCode(sim.handleA2A("ws-v1", rpc("tasks/cancel", { id: "task-ws-v1-1" })))).toBe(-32601);
    expect(errorCode(sim.handleA2A("ws-v03", rpc("CancelTask", { id: "task-ws-v03-1" })))).toBe(-32601);
    const strict = bodyOf(sim.handleA2A("ws-strict", rpc("tasks/cancel", { id: "task-ws-strict-1" })));
    expect(strict.error).toMatchObject({ code: -32009, data: [{ reason: "VERSION_NOT_SUPPORTED" }] });
  });

  it("the -32601 retry case: a 1.0 card whose agent answers 0.3 names", async () => {
    const { sim, row, clock } = h();
    expect(errorCode(sim.handleA2A("ws-card-1-answers-03", rpc("ListTasks", {})))).toBe(-32601);
    expect(errorCode(sim.handleA2A("ws-card-1-answers-03", rpc("CancelTask", { id: "task-ws-card-1-answers-03-1" })))).toBe(-32601);
    const retried = sim.handleA2A("ws-card-1-answers-03", rpc("tasks/cancel", { id: "task-ws-card-1-answers-03-1" }));
    expect(bodyOf(retried).result).toMatchObject({ kind: "task", status: { state: "canceled" } });
    await clock.advance(1000);
    expect(row("ws-card-1-answers-03")!.active_tasks).toBe(0);
  });

  it("echoes the JSON-RPC id as sent (string, number, null)", () => {
    const { sim } = h();
    for (const id of ["abc", 42, null]) {
      const body = JSON.stringify({ jsonrpc: "2.0", id, method: "GetTask", params: { id: "task-ws-v1-1" } });
      expect(bodyOf(sim.handleA2A("ws-v1", body)).id).toBe(id);
    }
  });

  it("malformed bodies: -32700 for broken JSON, -32600 for a wrong envelope", () => {
    const { sim } = h();
    expect(bodyOf(sim.handleA2A("ws-v1", "{not json"))).toMatchObject({ id: null, error: { code: -32700 } });
    expect(errorCode(sim.handleA2A("ws-v1", "[1,2]"))).toBe(-32600);
    expect(errorCode(sim.handleA2A("ws-v1", '"text"'))).toBe(-32600);
    expect(errorCode(sim.handleA2A("ws-v1", JSON.stringify({ jsonrpc: "1.0", id: 3, method: "GetTask" })))).toBe(-32600);
    expect(errorCode(sim.handleA2A("ws-v1", JSON.stringify({ jsonrpc: "2.0", id: 3 })))).toBe(-32600);
    expect(errorCode(sim.handleA2A("ws-v1", JSON.stringify({ jsonrpc: "2.0", id: { x: 1 }, method: "GetTask" })))).toBe(-32600);
    expect(errorCode(sim.handleA2A("ws-v1", rpc("Nonsense", {})))).toBe(-32601);
  });
});

describe("ListTasks", () => {
  const tasks = [
    { description: "w1", id: "t-w1" },
    { description: "w2", id: "t-w2" },
    { description: "input", id: "t-input", state: "input-required" as const },
    { description: "done", id: "t-done", state: "completed" as const },
    { description: "failed", id: "t-failed", state: "failed" as const },
  ];
  const start = () => startSim(scenarioOf([{ id: "ws-list", tasks }]));
  const list = (sim: ReturnType<typeof start>["sim"], params: unknown) => bodyOf(sim.handleA2A("ws-list", rpc("ListTasks", params)));

  it("lists every task without a filter, with page metadata", () => {
    const { sim } = start();
    const result = list(sim, {}).result as { tasks: { id: string }[]; nextPageToken: string; pageSize: number; totalSize: number };
    expect(result.tasks.map((t) => t.id).sort()).toEqual(["t-done", "t-failed", "t-input", "t-w1", "t-w2"]);
    expect(result).toMatchObject({ nextPageToken: "", pageSize: 50, totalSize: 5 });
  });

  it("filters by ONE status, as enum name or number", () => {
    const { sim } = start();
    const ids = (params: unknown) => ((list(sim, params).result as { tasks: { id: string }[] }).tasks.map((t) => t.id).sort());
    expect(ids({ status: "TASK_STATE_WORKING" })).toEqual(["t-w1", "t-w2"]);
    expect(ids({ status: 2 })).toEqual(["t-w1", "t-w2"]);
    expect(ids({ status: "TASK_STATE_INPUT_REQUIRED" })).toEqual(["t-input"]);
    expect(ids({ status: 0 })).toHaveLength(5);
  });

  it("rejects a 0.3 spelling or junk with -32602", () => {
    const { sim } = start();
    for (const params of [{ status: "working" }, { status: 99 }, { status: ["TASK_STATE_WORKING"] }, { pageSize: 0 }, { pageSize: 101 }, { pageSize: 2.5 }, { pageToken: "garbage" }]) {
      expect((list(sim, params).error as { code: number }).code).toBe(-32602);
    }
  });

  it("pages with pageSize and nextPageToken until the token is empty", () => {
    const { sim } = start();
    const seen: string[] = [];
    let token = "";
    for (let page = 0; page < 5; page++) {
      const result = list(sim, { pageSize: 2, ...(token ? { pageToken: token } : {}) }).result as { tasks: { id: string }[]; nextPageToken: string };
      seen.push(...result.tasks.map((t) => t.id));
      token = result.nextPageToken;
      if (!token) break;
    }
    expect(seen.sort()).toEqual(["t-done", "t-failed", "t-input", "t-w1", "t-w2"]);
    expect(token).toBe("");
  });
});
