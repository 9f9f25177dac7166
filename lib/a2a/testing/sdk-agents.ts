/**
 * Real @a2a-js/sdk 1.3.0 JSON-RPC agents for tests, and a stand-in for the
 * platform proxy in front of them: `POST /api/platform/workspaces/:id/a2a`
 * forwards the body to the agent named by the workspace id with no
 * A2A-Version header and passes the answer through, as the platform does;
 * `…/restart` answers 200 provisioning. A workspace id `<agent>-as-<anything>`
 * reaches `<agent>` while keeping its own request log.
 *
 * Network comes in as a parameter (`FetchLike`), as everywhere in lib/:
 * the tests pass the real `fetch`, since reaching real agents is the point.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TaskState, type AgentCard } from "@a2a-js/sdk";
import { duplicateInterfacesForLegacy } from "@a2a-js/sdk/compat/v0_3";
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor, type ExecutionEventBus, type RequestContext } from "@a2a-js/sdk/server";
import { jsonRpcHandler, UserBuilder } from "@a2a-js/sdk/server/express";
import express from "express";
import { createPlatformClient, type FetchLike, type PlatformClient } from "../../platform/client";

/** Keeps every task working until it is cancelled; a message saying "finish" completes at once. */
export class KeepsWorkingUntilCancelled implements AgentExecutor {
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

export interface SdkAgent {
  url: string;
  card: AgentCard;
  server: Server;
  executor: KeepsWorkingUntilCancelled;
}

/**
 * The three agents: `v1` (1.0, also declaring a 0.3 JSONRPC interface, so it
 * answers header-less requests), `compat` (1.0 card, the SDK's 0.3 compat
 * layer: answers 0.3 names without a header), `strictV1` (1.0 only: rejects
 * header-less requests with -32009).
 */
export type SdkAgentName = "v1" | "compat" | "strictV1";

/** One request the platform stand-in forwarded to an agent. */
export interface ForwardedRequest {
  workspaceId: string;
  method: string;
  headers: Headers;
}

/** Running agents, the app's platform client in front of them, and what went through. */
export interface SdkAgents {
  agents: Record<SdkAgentName, SdkAgent>;
  /** `createPlatformClient` on the stand-in: the app's own wire. */
  platform: PlatformClient;
  forwarded: ForwardedRequest[];
  /** JSON-RPC methods forwarded for one workspace id, in order. */
  methodsSentTo(workspaceId: string): string[];
  /** Starts a task on the agent directly (A2A 1.0, returning at once) and returns its id. */
  startTask(agent: SdkAgent, text?: string): Promise<string>;
  /** Releases every waiting task and closes the servers. */
  close(): Promise<void>;
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

async function startAgent(card: AgentCard, legacyCompat: boolean): Promise<SdkAgent> {
  const executor = new KeepsWorkingUntilCancelled();
  const requestHandler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
  const app = express();
  app.use(jsonRpcHandler({ requestHandler, userBuilder: UserBuilder.noAuthentication, ...(legacyCompat ? { legacyCompat: { enabled: true } } : {}) }));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, card, server, executor };
}

async function startTaskOn(fetchImpl: FetchLike, agent: SdkAgent, text: string): Promise<string> {
  const response = await fetchImpl(agent.url, {
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

/** The platform stand-in: `POST /api/platform/workspaces/:id/a2a` → that agent, answer passed through. */
function platformStandIn(agents: Record<SdkAgentName, SdkAgent>, fetchImpl: FetchLike, forwarded: ForwardedRequest[]): FetchLike {
  return async (input, init) => {
    const match = /^\/api\/platform\/workspaces\/([^/]+)\/(a2a|restart)$/.exec(input);
    if (!match) return new Response(JSON.stringify({ error: "not found" }), { status: 404 });
    const [, id, action] = match as unknown as [string, string, string];
    if (action === "restart") return new Response(JSON.stringify({ status: "provisioning" }), { status: 200 });
    const agent = agents[id.replace(/-as-.*$/, "") as SdkAgentName];
    if (!agent) return new Response(JSON.stringify({ error: "workspace not found" }), { status: 404 });
    const headers = new Headers({ "content-type": "application/json" });
    const body = String(init?.body);
    forwarded.push({ workspaceId: id, method: (JSON.parse(body) as { method: string }).method, headers });
    return fetchImpl(agent.url, { method: "POST", headers, body, signal: init?.signal });
  };
}

/** Starts the three SDK agents on free local ports, with the platform stand-in in front of them. */
export async function startSdkAgents(fetchImpl: FetchLike): Promise<SdkAgents> {
  // A 1.0 agent must declare a 0.3 JSONRPC interface to answer header-less (proxied) requests at all.
  const both = cardOf(["1.0", "0.3"]);
  const compatCard = { ...both, supportedInterfaces: duplicateInterfacesForLegacy(cardOf(["1.0"]).supportedInterfaces, ["JSONRPC"]) } as AgentCard;
  const agents: Record<SdkAgentName, SdkAgent> = {
    v1: await startAgent(both, false),
    compat: await startAgent(compatCard, true),
    strictV1: await startAgent(cardOf(["1.0"]), false),
  };
  const forwarded: ForwardedRequest[] = [];
  return {
    agents,
    platform: createPlatformClient(platformStandIn(agents, fetchImpl, forwarded)),
    forwarded,
    methodsSentTo: (workspaceId) => forwarded.filter((entry) => entry.workspaceId === workspaceId).map((entry) => entry.method),
    startTask: (agent, text = "work") => startTaskOn(fetchImpl, agent, text),
    async close() {
      for (const agent of Object.values(agents)) {
        agent.executor.releaseAll();
        await new Promise((resolve) => agent.server.close(resolve));
      }
    },
  };
}
