/**
 * The Stop All A2A client against real @a2a-js/sdk 1.3.0 JSON-RPC agents,
 * through `createPlatformClient` (the app's own wire) and a stand-in for the
 * platform proxy that forwards the body with no A2A-Version header and
 * passes the answer through, as the platform does. Real timers here only.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TaskState, type AgentCard } from "@a2a-js/sdk";
import { duplicateInterfacesForLegacy } from "@a2a-js/sdk/compat/v0_3";
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor, type ExecutionEventBus, type RequestContext } from "@a2a-js/sdk/server";
import { jsonRpcHandler, UserBuilder } from "@a2a-js/sdk/server/express";
import express from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FakeFleet } from "../fleet/testing/fake-fleet";
import { workspace } from "../fleet/testing/workspaces";
import { protocolOfAgentCard } from "../platform/agent-card";
import { createPlatformClient, type FetchLike } from "../platform/client";
import type { A2AProtocol } from "../platform/workspace";
import { systemClock } from "../time/clock";
import { createA2AClient, type StopAllA2AClient } from "./a2a-client";
import { startStopAll } from "../stop-all/orchestrator";
import { targetOf } from "../stop-all/targets";

/** Keeps every task working until it is cancelled; a message saying "finish" completes at once. */
class KeepsWorkingUntilCancelled implements AgentExecutor {
  private readonly waiting = new Map<string, () => void>();

  execute = async (request: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const { taskId, contextId } = request;
    const status = (state: TaskState) => ({ state, timestamp: new Date().toISOString(), message: undefined });
    bus.publish(AgentEvent.task({ id: taskId, contextId, status: status(TaskState.TASK_STATE_WORKING), artifacts: [], history: [request.userMessage], metadata: {} }));
    const content = request.userMessage.parts[0]?.content;
    if (content?.$case === "text" && content.value === "finish") {
      bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(TaskState.TASK_STATE_COMPLETED), metadata: {} }));
      return;
    }
    await new Promise<void>((resolve) => this.waiting.set(taskId, resolve));
    bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(TaskState.TASK_STATE_CANCELED), metadata: {} }));
  };

  cancelTask = async (taskId: string): Promise<void> => {
    this.waiting.get(taskId)?.();
    this.waiting.delete(taskId);
  };

  releaseAll(): void {
    for (const release of this.waiting.values()) release();
    this.waiting.clear();
  }
}

interface Agent {
  url: string;
  card: AgentCard;
  server: Server;
  executor: KeepsWorkingUntilCancelled;
}

function cardOf(versions: string[]): AgentCard {
  const interfaces = versions.map((protocolVersion) => ({ url: "http://127.0.0.1/", protocolBinding: "JSONRPC", tenant: "", protocolVersion }));
  return {
    name: "stop-all test agent",
    description: "keeps working until cancelled",
    supportedInterfaces: interfaces,
    version: "1.0.0",
    capabilities: { streaming: false, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ["text"],
    defaultOutputModes: ["text"],
    skills: [],
    documentationUrl: "",
    signatures: [],
  } as unknown as AgentCard;
}

async function startAgent(card: AgentCard, legacyCompat: boolean): Promise<Agent> {
  const executor = new KeepsWorkingUntilCancelled();
  const requestHandler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
  const app = express();
  app.use(jsonRpcHandler({ requestHandler, userBuilder: UserBuilder.noAuthentication, ...(legacyCompat ? { legacyCompat: { enabled: true } } : {}) }));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, card, server, executor };
}

/** Starts a task on the agent directly (A2A 1.0, returning at once) and returns its id. */
async function startTask(agent: Agent, text = "work"): Promise<string> {
  const response = await fetch(agent.url, {
    method: "POST",
    headers: { "content-type": "application/json", "A2A-Version": "1.0" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: "seed",
      method: "SendMessage",
      params: { message: { messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ text }] }, configuration: { returnImmediately: true } },
    }),
  });
  const body = (await response.json()) as { result?: { task?: { id?: string } } };
  const id = body.result?.task?.id;
  if (!id) throw new Error(`the agent did not start a task: ${JSON.stringify(body)}`);
  return id;
}

let agents: Record<"v1" | "compat" | "strictV1", Agent>;
const forwarded: { workspaceId: string; method: string; headers: Headers }[] = [];

/** Stands in for the platform: `POST /api/platform/workspaces/:id/a2a` → that agent, answer passed through. */
const platformFetch: FetchLike = async (input, init) => {
  const match = /^\/api\/platform\/workspaces\/([^/]+)\/(a2a|restart)$/.exec(input);
  if (!match) return new Response(JSON.stringify({ error: "not found" }), { status: 404 });
  const [, id, action] = match as unknown as [string, string, string];
  if (action === "restart") return new Response(JSON.stringify({ status: "provisioning" }), { status: 200 });
  const agent = agents[id.replace(/-as-.*$/, "") as keyof typeof agents];
  if (!agent) return new Response(JSON.stringify({ error: "workspace not found" }), { status: 404 });
  const headers = new Headers({ "content-type": "application/json" });
  const body = String(init?.body);
  forwarded.push({ workspaceId: id, method: (JSON.parse(body) as { method: string }).method, headers });
  return fetch(agent.url, { method: "POST", headers, body, signal: init?.signal });
};

const platform = createPlatformClient(platformFetch);
const client: StopAllA2AClient = createA2AClient({ platform, clock: systemClock });
const options = () => ({ deadlineAt: Date.now() + 8000 });
const target = (id: string, protocol: A2AProtocol) => ({ id, protocol });
const methodsSentTo = (id: string) => forwarded.filter((entry) => entry.workspaceId === id).map((entry) => entry.method);

beforeAll(async () => {
  // The SDK logs every JSON-RPC error it sends; these tests provoke them on purpose.
  vi.spyOn(console, "error").mockImplementation(() => {});
  // A 1.0 agent must declare a 0.3 JSONRPC interface to answer header-less (proxied) requests at all.
  const both = cardOf(["1.0", "0.3"]);
  agents = {
    v1: await startAgent(both, false),
    compat: await startAgent({ ...both, supportedInterfaces: duplicateInterfacesForLegacy(cardOf(["1.0"]).supportedInterfaces, ["JSONRPC"]) } as AgentCard, true),
    strictV1: await startAgent(cardOf(["1.0"]), false),
  };
});

afterAll(async () => {
  for (const agent of Object.values(agents)) {
    agent.executor.releaseAll();
    await new Promise((resolve) => agent.server.close(resolve));
  }
  vi.restoreAllMocks();
});

describe("against @a2a-js/sdk 1.3.0 agents through the platform client", () => {
  it("the cards read as 1.0 for all three agents", () => {
    expect([agents.v1, agents.compat, agents.strictV1].map((agent) => protocolOfAgentCard(agent.card))).toEqual(["1.0", "1.0", "1.0"]);
  });

  it("ListTasks (1.0) lists the open tasks across pages and leaves out finished ones", async () => {
    const working = await Promise.all(Array.from({ length: 120 }, () => startTask(agents.v1)));
    const finished = await startTask(agents.v1, "finish");
    const listed = await client.listOpenTaskIds(target("v1", protocolOfAgentCard(agents.v1.card)), options());
    expect(listed).toMatchObject({ kind: "listed", pages: 2, complete: true });
    if (listed.kind !== "listed") throw new Error("not listed");
    expect(new Set(listed.taskIds)).toEqual(new Set(working));
    expect(listed.taskIds).not.toContain(finished);
    expect(forwarded.at(-1)?.headers.has("a2a-version")).toBe(false);
    for (const id of working) await client.cancelTask(target("v1", "1.0"), id, options());
  });

  it("CancelTask cancels a working task: delivered, canceled, and gone from the open list", async () => {
    const taskId = await startTask(agents.v1);
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
    const finished = await startTask(agents.v1, "finish");
    expect(await client.cancelTask(target("v1", "1.0"), finished, options())).toMatchObject({ kind: "refused", code: -32002, refusal: "task-not-cancelable" });
    const canceled = await startTask(agents.v1);
    await client.cancelTask(target("v1", "1.0"), canceled, options());
    expect(await client.cancelTask(target("v1", "1.0"), canceled, options())).toMatchObject({ kind: "delivered", taskState: "canceled" });
  });

  it("card says 1.0 but the agent expects 0.3 names (compat layer, no header): CancelTask → -32601 → tasks/cancel", async () => {
    const taskId = await startTask(agents.compat);
    const id = "compat-as-card-says";
    const result = await client.cancelTask(target(id, protocolOfAgentCard(agents.compat.card)), taskId, options());
    expect(methodsSentTo(id)).toEqual(["CancelTask", "tasks/cancel"]);
    expect(result).toEqual({ kind: "delivered", taskState: "canceled", method: "tasks/cancel", version: "0.3" });
    expect(await client.listOpenTaskIds(target(id, "1.0"), options())).toEqual({ kind: "not-supported", code: -32601 });
  });

  it("a workspace taken for 0.3 whose agent answers 1.0 names: tasks/cancel → -32601 → CancelTask", async () => {
    const taskId = await startTask(agents.v1);
    const id = "v1-as-0-3";
    const result = await client.cancelTask(target(id, "0.3"), taskId, options());
    expect(methodsSentTo(id)).toEqual(["tasks/cancel", "CancelTask"]);
    expect(result).toMatchObject({ kind: "delivered", taskState: "canceled", method: "CancelTask" });
  });

  it("an agent that supports only 1.0 rejects header-less requests with -32009: one retry, then not delivered", async () => {
    const taskId = await startTask(agents.strictV1);
    const id = "strictV1-as-card-says";
    const result = await client.cancelTask(target(id, "1.0"), taskId, options());
    expect(result).toEqual({ kind: "not-understood", methods: ["CancelTask", "tasks/cancel"], codes: [-32009, -32009] });
    expect(methodsSentTo(id)).toHaveLength(2);
  });

  it("a whole Stop All over the real wire: cancels delivered, restarts at the deadline", async () => {
    const v1Task = await startTask(agents.v1);
    const compatTask = await startTask(agents.compat);
    const targets = [workspace("v1-as-target", { protocol: "1.0" }), workspace("compat-as-target", { protocol: "1.0" })];
    const fleet = new FakeFleet({ "v1-as-target": { activeTasks: 1, status: "online" }, "compat-as-target": { activeTasks: 1, status: "online" } });
    fleet.setKnownTaskIds("compat-as-target", [compatTask]);
    const operation = startStopAll({ targets, client: platform, fleet, clock: systemClock, options: { deadlineMs: 600 } });
    await vi.waitFor(() => expect(operation.getState().phase).toBe("finished"), { timeout: 5000, interval: 20 });
    const state = operation.getState();
    expect(targetOf(state, "v1-as-target")?.finding).toMatchObject({ idSource: "list-tasks", headline: { kind: "delivered", tasks: 1 } });
    expect(targetOf(state, "v1-as-target")?.finding?.cancels.map((cancel) => cancel.taskId)).toEqual([v1Task]);
    expect(targetOf(state, "compat-as-target")?.finding).toMatchObject({ idSource: "known-ids", headline: { kind: "delivered", tasks: 1 } });
    // The store never showed a drain, so both were restarted at the deadline.
    expect(targetOf(state, "v1-as-target")?.phase).toEqual({ kind: "settled", outcome: { kind: "restarted", trigger: "deadline" } });
    expect(targetOf(state, "compat-as-target")?.phase).toEqual({ kind: "settled", outcome: { kind: "restarted", trigger: "deadline" } });
  });
});
