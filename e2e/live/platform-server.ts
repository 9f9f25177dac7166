import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { DEFAULT_FLEET } from "./fleet";
import type { TaskRecord } from "./agent";
import { Workspace, type WorkspaceSpec } from "./workspace";

/** One request as the platform received it (headers include the bearer token). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface LivePlatformOptions {
  token: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Periodic WORKSPACE_HEARTBEAT interval; 0 turns it off. */
  heartbeatMs?: number;
  restartDelayMs?: number;
  fleet?: WorkspaceSpec[];
}

export interface LivePlatform {
  url: string;
  requests(): RecordedRequest[];
  /** Starts one more task on a workspace's agent (through the agent's JSON-RPC). */
  startTask(workspaceId: string, text: string): Promise<string>;
  /** The tasks a workspace's current agent process has seen (empty when it has none). */
  tasks(workspaceId: string): TaskRecord[];
  /** Every workspace back to its spec (fresh agents, the spec's tasks) and an empty request log. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 2 * 1024 * 1024;

/**
 * A local platform implementing PLATFORM_API.md on 127.0.0.1 for live-mode
 * tests: `GET /workspaces`, `POST /workspaces/:id/a2a` (forwarded verbatim,
 * without an A2A-Version header, to a real @a2a-js/sdk agent),
 * `POST /workspaces/:id/restart`, and `/ws` events. Every route needs
 * `Authorization: Bearer <token>`; every request is recorded.
 * Test helpers (same token): `GET /_test/requests`,
 * `POST /_test/workspaces/:id/tasks` with `{"text": "…"}` (starts one),
 * `GET /_test/workspaces/:id/tasks` (the agent's tasks and their states),
 * `POST /_test/reset` (every workspace back to its spec, log emptied).
 */
export async function startLivePlatform(options: LivePlatformOptions): Promise<LivePlatform> {
  if (!options.token) throw new Error("startLivePlatform needs a non-empty token");
  const log: RecordedRequest[] = [];
  const wss = new WebSocketServer({ noServer: true });
  const emit = (event: string, workspaceId: string, payload: Record<string, unknown>) => {
    const message = JSON.stringify({ event, workspace_id: workspaceId, timestamp: new Date().toISOString(), payload });
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(message);
  };
  const workspaces = new Map((options.fleet ?? DEFAULT_FLEET).map((spec) => [spec.id, new Workspace(spec, emit, options.restartDelayMs ?? 500)]));
  await Promise.all([...workspaces.values()].map((workspace) => workspace.boot()));

  const expected = Buffer.from(`Bearer ${options.token}`);
  const authorized = (header: string | undefined) => header !== undefined && Buffer.byteLength(header) === expected.length && timingSafeEqual(Buffer.from(header), expected);

  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => {
        log.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, at: Date.now() });
        if (!authorized(req.headers.authorization)) return send(res, 401, { error: "missing or wrong bearer token" });
        return route(req.method ?? "", new URL(req.url ?? "/", "http://platform").pathname, body, res);
      })
      .catch((error: unknown) => send(res, 500, { error: error instanceof Error ? error.message : String(error) }));
  });

  async function reset(): Promise<void> {
    await Promise.all([...workspaces.values()].map((workspace) => workspace.reset()));
    log.length = 0;
  }

  async function route(method: string, path: string, body: string, res: ServerResponse): Promise<void> {
    if (method === "GET" && path === "/workspaces") return send(res, 200, [...workspaces.values()].map((workspace) => workspace.row()));
    if (method === "GET" && path === "/_test/requests") return send(res, 200, log);
    if (method === "POST" && path === "/_test/reset") return reset().then(() => send(res, 200, { reset: true }));
    const match = /^\/(workspaces\/[^/]+\/(?:a2a|restart)|_test\/workspaces\/[^/]+\/tasks)$/.exec(path);
    const listing = method === "GET" && match !== null && path.startsWith("/_test/");
    if (!match || (method !== "POST" && !listing)) return send(res, 404, { error: "not found" });
    const [kind, id, action] = path.startsWith("/_test/") ? ["test", ...path.split("/").slice(3)] : ["platform", ...path.split("/").slice(2)];
    const workspace = workspaces.get(id ?? "");
    if (!workspace) return send(res, 404, { error: "workspace not found" });
    if (listing) return send(res, 200, workspace.agent?.tasks() ?? []);
    if (kind === "test") {
      if (!workspace.agent) return send(res, 409, { error: `workspace is ${workspace.status}` });
      const text = (JSON.parse(body || "{}") as { text?: unknown }).text;
      return send(res, 201, { task_id: await workspace.agent.startTask(typeof text === "string" ? text : "extra work") });
    }
    if (action === "restart") {
      workspace.restart();
      return send(res, 200, { status: "provisioning" });
    }
    return forwardA2A(workspace, body, res);
  }

  async function forwardA2A(workspace: Workspace, body: string, res: ServerResponse): Promise<void> {
    if (workspace.status === "hibernated") {
      workspace.restart(); // a request to a hibernated workspace wakes it
      return send(res, 503, { waking: true }, { "retry-after": "5" });
    }
    if (!workspace.agent) return send(res, 503, { restarting: true });
    try {
      const answer = await fetch(workspace.agent.url, { method: "POST", headers: { "content-type": "application/json" }, body });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" }).end(await answer.text());
    } catch {
      send(res, 502, { error: "failed to reach workspace agent" });
    }
  }

  server.on("upgrade", (req, socket, head) => {
    log.push({ method: req.method ?? "GET", path: req.url ?? "", headers: req.headers, body: "", at: Date.now() });
    const status = req.url !== "/ws" ? 404 : authorized(req.headers.authorization) ? 0 : 401;
    if (status !== 0) {
      socket.end(`HTTP/1.1 ${status} ${status === 404 ? "Not Found" : "Unauthorized"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => wss.emit("connection", ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const heartbeat = options.heartbeatMs ? setInterval(() => workspaces.forEach((workspace) => workspace.heartbeat()), options.heartbeatMs) : null;
  heartbeat?.unref();

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => [...log],
    startTask: async (workspaceId, text) => {
      const agent = workspaces.get(workspaceId)?.agent;
      if (!agent) throw new Error(`workspace ${workspaceId} has no running agent`);
      return agent.startTask(text);
    },
    tasks: (workspaceId) => workspaces.get(workspaceId)?.agent?.tasks() ?? [],
    reset,
    close: async () => {
      if (heartbeat) clearInterval(heartbeat);
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...workspaces.values()].map((workspace) => workspace.close()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error("request body too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
