/**
 * The Stop All A2A client against real @a2a-js/sdk 1.3.0 JSON-RPC agents,
 * through `createPlatformClient` (the app's own wire) and a stand-in for the
 * platform proxy that forwards the body with no A2A-Version header and
 * passes the answer through, as the platform does (testing/sdk-agents.ts).
 * Real timers here only. A whole Stop All over this wire:
 * lib/stop-all/stop-all.sdk.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { protocolOfAgentCard } from "../platform/agent-card";
import type { A2AProtocol } from "../platform/workspace";
import { systemClock } from "../time/clock";
import { createA2AClient, type StopAllA2AClient } from "./a2a-client";
import { startSdkAgents, type SdkAgents } from "./testing/sdk-agents";

let sdk: SdkAgents;
let agents: SdkAgents["agents"];
let client: StopAllA2AClient;
const options = () => ({ deadlineAt: Date.now() + 8000 });
const target = (id: string, protocol: A2AProtocol) => ({ id, protocol });
const methodsSentTo = (id: string) => sdk.methodsSentTo(id);

beforeAll(async () => {
  // The SDK logs every JSON-RPC error it sends; these tests provoke them on purpose.
  vi.spyOn(console, "error").mockImplementation(() => {});
  sdk = await startSdkAgents(fetch);
  agents = sdk.agents;
  client = createA2AClient({ platform: sdk.platform, clock: systemClock });
});

afterAll(async () => {
  await sdk?.close();
  vi.restoreAllMocks();
});

describe("against @a2a-js/sdk 1.3.0 agents through the platform client", () => {
  it("the cards read as 1.0 for all three agents", () => {
    expect([agents.v1, agents.compat, agents.strictV1].map((agent) => protocolOfAgentCard(agent.card))).toEqual(["1.0", "1.0", "1.0"]);
  });

  it("ListTasks (1.0) lists the open tasks across pages and leaves out finished ones", async () => {
    const working = await Promise.all(Array.from({ length: 120 }, () => sdk.startTask(agents.v1)));
    const finished = await sdk.startTask(agents.v1, "finish");
    const listed = await client.listOpenTaskIds(target("v1", protocolOfAgentCard(agents.v1.card)), options());
    expect(listed).toMatchObject({ kind: "listed", pages: 2, complete: true });
    if (listed.kind !== "listed") throw new Error("not listed");
    expect(new Set(listed.taskIds)).toEqual(new Set(working));
    expect(listed.taskIds).not.toContain(finished);
    expect(sdk.forwarded.at(-1)?.headers.has("a2a-version")).toBe(false);
    for (const id of working) await client.cancelTask(target("v1", "1.0"), id, options());
  });

  it("CancelTask cancels a working task: delivered, canceled, and gone from the open list", async () => {
    const taskId = await sdk.startTask(agents.v1);
    const result = await client.cancelTask(target("v1", "1.0"), taskId, options());
    expect(result).toEqual({ kind: "delivered", taskState: "canceled", method: "CancelTask", version: "1.0" });
    const listed = await client.listOpenTaskIds(target("v1", "1.0"), options());
    expect(listed.kind === "listed" && listed.taskIds).not.toContain(taskId);
  });

  it("an unknown task id is refused with -32001", async () => {
    expect(await client.cancelTask(target("v1", "1.0"), "no-such-task", options())).toMatchObject({ kind: "refused", code: -32001, refusal: "task-not-found" });
    expect(await client.cancelTask(target("compat", "0.3"), "no-such-task", options())).toMatchObject({ kind: "refused", code: -32001, refusal: "task-not-found" });
  });

  it("a finished task is refused with -32002; an already canceled one comes back canceled", async () => {
    const finished = await sdk.startTask(agents.v1, "finish");
    expect(await client.cancelTask(target("v1", "1.0"), finished, options())).toMatchObject({ kind: "refused", code: -32002, refusal: "task-not-cancelable" });
    const canceled = await sdk.startTask(agents.v1);
    await client.cancelTask(target("v1", "1.0"), canceled, options());
    expect(await client.cancelTask(target("v1", "1.0"), canceled, options())).toMatchObject({ kind: "delivered", taskState: "canceled" });
  });

  it("card says 1.0 but the agent expects 0.3 names (compat layer, no header): CancelTask → -32601 → tasks/cancel", async () => {
    const taskId = await sdk.startTask(agents.compat);
    const id = "compat-as-card-says";
    const result = await client.cancelTask(target(id, protocolOfAgentCard(agents.compat.card)), taskId, options());
    expect(methodsSentTo(id)).toEqual(["CancelTask", "tasks/cancel"]);
    expect(result).toEqual({ kind: "delivered", taskState: "canceled", method: "tasks/cancel", version: "0.3" });
    expect(await client.listOpenTaskIds(target(id, "1.0"), options())).toEqual({ kind: "not-supported", code: -32601 });
  });

  it("a workspace taken for 0.3 whose agent answers 1.0 names: tasks/cancel → -32601 → CancelTask", async () => {
    const taskId = await sdk.startTask(agents.v1);
    const id = "v1-as-0-3";
    const result = await client.cancelTask(target(id, "0.3"), taskId, options());
    expect(methodsSentTo(id)).toEqual(["tasks/cancel", "CancelTask"]);
    expect(result).toMatchObject({ kind: "delivered", taskState: "canceled", method: "CancelTask" });
  });

  it("an agent that supports only 1.0 rejects header-less requests with -32009: one retry, then not delivered", async () => {
    const taskId = await sdk.startTask(agents.strictV1);
    const id = "strictV1-as-card-says";
    const result = await client.cancelTask(target(id, "1.0"), taskId, options());
    expect(result).toEqual({ kind: "not-understood", methods: ["CancelTask", "tasks/cancel"], codes: [-32009, -32009] });
    expect(methodsSentTo(id)).toHaveLength(2);
  });
});
