/**
 * A local platform implementing PLATFORM_API.md on 127.0.0.1, for the live
 * e2e specs, the live unit test and the benchmark.
 *
 * Platform API (every route needs `Authorization: Bearer <token>`, else 401):
 * - `GET /workspaces`: the rows, `active_tasks` from each agent's real task
 *   state, `parent_id` from the spec's `parentId` (null for none).
 * - `POST /workspaces/:id/a2a`: the JSON-RPC body delivered, without an
 *   A2A-Version header, to the workspace's agent: a real @a2a-js/sdk agent
 *   with its own HTTP server (agent.ts), or a light agent simulated in this
 *   process (light-agent.ts, for fleets of thousands). 503 `{waking}` for a
 *   hibernated workspace (which it wakes, unless a lead above is paused),
 *   503 `{restarting}` while one is provisioning, 503
 *   `{"error":"workspace has no URL","status":"paused"}` for a paused one
 *   (nothing delivered), 404 for a removed one, 502 when the agent goes away
 *   before it answers.
 * - `POST /workspaces/:id/restart`: 200 `{"status":"provisioning"}`,
 *   WORKSPACE_PROVISIONING, work lost, WORKSPACE_ONLINE `latency.online` ms later;
 *   404 for a removed one; 409 `{"error":"cannot restart: parent workspace is paused"}`
 *   under a paused lead (any ancestor).
 * - `POST /workspaces/:id/pause` (pause-resume.ts): 404 `{"error":"workspace not found or already paused"}`
 *   for a missing, removed or paused one; else it and every descendant (by
 *   `parent_id`) not removed or paused (a removed or paused member's own
 *   members are not reached, as in the server's recursive query) are paused:
 *   agent stopped (work lost: its tasks gone, `active_tasks` 0,
 *   `current_task` ""), status `paused`, WORKSPACE_PAUSED `{name}` each, lead
 *   first; no heartbeats, no work (`/_test/.../tasks` answers 409) until a
 *   resume. 200 `{"status":"paused","paused_count":N}` after `latency.pause`.
 * - `POST /workspaces/:id/resume`: 404 `{"error":"workspace not found or not paused"}`
 *   unless paused; 409 `{"error":"parent workspace \"NAME\" is paused — resume it first"}`
 *   naming the nearest paused ancestor; else it and every paused descendant
 *   (through paused members) get status `provisioning` and
 *   WORKSPACE_PROVISIONING at once, lead first, then a fresh idle agent and
 *   WORKSPACE_ONLINE `latency.online` ms later. 200
 *   `{"status":"provisioning","resumed_count":N}` after `latency.resume`.
 * - `GET /ws`: events (TASK_UPDATED, WORKSPACE_HEARTBEAT, WORKSPACE_PROVISIONING,
 *   WORKSPACE_ONLINE, WORKSPACE_PAUSED).
 *
 * Test helpers (same token; not counted in the metrics):
 * - `GET /_test/requests`: the request log, oldest first (request-log.ts:
 *   full headers and bodies for fleets up to 200 workspaces, light entries
 *   without headers above; a ring of 20,000 / 100,000 entries).
 * - `POST /_test/reset`: every workspace back to its spec (fresh agents,
 *   light ones too, the spec's tasks and status: paused ones come back),
 *   request log, metrics and faults emptied.
 * - `POST /_test/workspaces/:id/tasks` `{"text": "…"}`: starts a task → 201 `{task_id}`;
 *   409 `{"error":"workspace is paused"}` (or hibernated, provisioning, removed):
 *   a workspace without an agent takes no work.
 * - `GET /_test/workspaces/:id/tasks`: the agent's tasks `[{id, text, state}]` (1.0 state names).
 * - `POST /_test/workspaces/:id/faults` `{"pause"?: FAULT | null, "resume"?: FAULT | null}`,
 *   FAULT = `{"status": 100-599, "times"?: K, "body"?: {…}}`: forces that
 *   workspace's next K pause (resume) answers (every one without `times`)
 *   to `status` with `body` (default: the server's body for that status:
 *   404 its not-found error, 409 (resume) the parent-paused error naming its
 *   lead, 500 `{"error":"lookup failed"}`, 503 `{"error":"provisioner not
 *   available"}`, 200 a count of 1; else `{"error":"forced pause answer N"}`).
 *   A forced answer pauses (resumes) nothing and is counted in the metrics
 *   with its status; then the real behaviour applies. Keys left out keep
 *   their fault, null clears it; faults go with a reset or fleet load.
 *   Answers 200 with the workspace's faults (as GET); 400 with a message
 *   for a body it cannot use.
 * - `GET /_test/workspaces/:id/faults`: `{"pause": {status, body, remaining} | null, "resume": … | null}`
 *   (`remaining`: attempts left, null for every attempt).
 * - `GET /_test/metrics`: the benchmark's metrics (below); `POST /_test/metrics/reset` zeroes them.
 * - `GET /_test/fleet`: `{name, workspaces, busy, ignoring, latency, requestLog}`.
 * - `POST /_test/fleet` `{"fleet"?: "bench-5000", "latency"?: "list:40,cancel:300" | {"cancel": 300}, "workspaces"?: [spec…]}`:
 *   loads that fleet (default: the current one, afresh) with that latency
 *   (keys left out keep their values), empties log, metrics and faults,
 *   answers like `GET /_test/fleet`; 400 with a message for an unknown
 *   fleet, a bad latency or bad workspaces. One platform process can so
 *   serve several bench runs. `workspaces`: a fleet of the caller's own
 *   (fleet.ts parseFleetSpecs: `{id, name?, role?, version?, status?,
 *   parentId?, tasks?, cancel?, agent?, x?, y?}` each; `parentId` makes a
 *   team tree), named `fleet` (default `custom`).
 *
 * Team trees: a spec's `parentId` (fleet.ts `team(lead, [member, …, team(subLead, […])])`
 * builds them); the `e2e-teams` fleet and `bench-N[-drain]-teams` have them.
 *
 * `GET /_test/metrics` (times are epoch ms; platform-metrics.ts):
 * ```
 * { since, now,
 *   inFlight: { now, max, maxAt, nowAll, maxAll },   // open /workspaces/:id/* calls (a2a, restart, …); *All adds GET /workspaces
 *   connections: { open, max },                      // TCP connections
 *   totals: { requests, unauthorized, rows, a2a, restarts, pauses, resumes, otherWorkspaceCalls,
 *             rpc: { ListTasks?, CancelTask?, GetTask?, …, other? }, statuses: { "200"?, "502"?, "aborted"?, … },
 *             workspacesCalled, listed, cancelled, drained, restarted, restartedTwice,
 *             paused, pausedTwice, resumed, resumedTwice },   // workspaces with ≥ 1 / ≥ 2 pause (resume) calls
 *   workspaces: { [id]: { a2a, listTasks, cancels, firstListTasksAt, firstCancelTaskAt, restarts: [ms…],
 *                         pauses: [ms…], resumes: [ms…], drainedAt } },
 *   lifecycle: [{ at, workspaceId, action: "pause" | "resume", status, count }…],  // every pause/resume call, in arrival order
 *   fleet: { name, workspaces, busy, ignoring, latency, requestLog },
 *   requestLog: { mode, size, capacity, dropped },
 *   process: { rssBytes, heapUsedBytes, uptimeSeconds } }
 * ```
 * `workspaces` lists only workspaces that were called or drained since the
 * reset. `pauses` / `resumes` / `lifecycle` record calls to that id (forced
 * and refused ones too; `count` is how many workspaces the call paused or
 * resumed, 0 unless 200), not the members a cascade reached.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { refuseUpgrade } from "../../lib/server/testing/refused-upgrade";
import type { TaskRecord } from "./agent";
import { DEFAULT_FLEET } from "./fleet";
import { readBody, send } from "./http-util";
import { DEFAULT_LATENCY, type Latency } from "./latency";
import { routePlatform } from "./platform-routes";
import { PlatformState } from "./platform-state";
import type { RecordedRequest, RequestLogMode } from "./request-log";
import { metricsDocument, routeTest } from "./test-routes";
import type { Emit, WorkspaceSpec } from "./workspace";

export type { RecordedRequest } from "./request-log";

export interface LivePlatformOptions {
  token: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Every workspace's WORKSPACE_HEARTBEAT interval (spread over the fleet); 0 turns it off. */
  heartbeatMs?: number;
  /** Default `latency.online`: how long a restart (or resume) takes. */
  restartDelayMs?: number;
  fleet?: WorkspaceSpec[];
  /** The fleet's name in reports and for `POST /_test/fleet` (default `default`, or `custom` with `fleet`). */
  fleetName?: string;
  /** Over DEFAULT_LATENCY (with `online` from `restartDelayMs`). */
  latency?: Partial<Latency>;
  /** Default: `full` up to 200 workspaces, `light` above. */
  requestLog?: RequestLogMode;
}

export interface LivePlatform {
  url: string;
  requests(): RecordedRequest[];
  /** Starts one more task on a workspace's agent (through the agent's JSON-RPC). */
  startTask(workspaceId: string, text: string): Promise<string>;
  /** The tasks a workspace's current agent process has seen (empty when it has none). */
  tasks(workspaceId: string): TaskRecord[];
  /** The `GET /_test/metrics` document. */
  metrics(): ReturnType<typeof metricsDocument>;
  /** Every workspace back to its spec (fresh agents, the spec's tasks), an empty request log and metrics. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Keep-alive connections stay open this long between requests (a canvas pools hundreds). */
const KEEP_ALIVE_MS = 30_000;

/**
 * Connections the kernel queues before `accept`, as the real platform has
 * them: Go's net/http listens with the system's `net.core.somaxconn` (4096
 * on current kernels; Linux caps any larger value at it). Node's default is
 * 511: a canvas server opening 2,000 connections at once overflowed it, and
 * each dropped connection was retried by TCP only a second later (its
 * listing and cancel with it), which no Go platform would have done.
 */
const LISTEN_BACKLOG = 65_535;

/** Starts the platform (module comment above) and resolves once it accepts requests. */
export async function startLivePlatform(options: LivePlatformOptions): Promise<LivePlatform> {
  if (!options.token) throw new Error("startLivePlatform needs a non-empty token");
  const { wss, emit } = createEvents();
  const latency: Latency = { ...DEFAULT_LATENCY, online: options.restartDelayMs ?? DEFAULT_LATENCY.online, ...options.latency };
  const name = options.fleetName ?? (options.fleet ? "custom" : "default");
  const config = { name, specs: options.fleet ?? DEFAULT_FLEET, latency };
  const state = new PlatformState(emit, config, options.requestLog);
  await state.load(config);

  const server = createPlatformServer(state, bearerCheck(options.token), wss);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: options.port ?? 0, host: "127.0.0.1", backlog: LISTEN_BACKLOG }, resolve);
  });
  const heartbeat = options.heartbeatMs ? setInterval(() => state.heartbeatSlice(), options.heartbeatMs / PlatformState.heartbeatSlices) : null;
  heartbeat?.unref();

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => state.log.entries(),
    startTask: async (workspaceId, text) => {
      const agent = state.workspaces.get(workspaceId)?.agent;
      if (!agent) throw new Error(`workspace ${workspaceId} has no running agent`);
      return agent.startTask(text);
    },
    tasks: (workspaceId) => state.workspaces.get(workspaceId)?.agent?.tasks() ?? [],
    metrics: () => metricsDocument(state),
    reset: () => state.reset(),
    close: async () => {
      if (heartbeat) clearInterval(heartbeat);
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await state.close();
    },
  };
}

/** The `/ws` clients and the function that sends each of them an event. */
function createEvents(): { wss: WebSocketServer; emit: Emit } {
  const wss = new WebSocketServer({ noServer: true });
  const emit: Emit = (event, workspaceId, payload) => {
    if (wss.clients.size === 0) return;
    const message = JSON.stringify({ event, workspace_id: workspaceId, timestamp: new Date().toISOString(), payload });
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(message);
  };
  return { wss, emit };
}

/** Whether an Authorization header carries the token (constant time). */
function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  return (header) => header !== undefined && Buffer.byteLength(header) === expected.length && timingSafeEqual(Buffer.from(header), expected);
}

/** The HTTP server: every request logged, platform requests measured, `/ws` upgraded. */
function createPlatformServer(state: PlatformState, authorized: (header: string | undefined) => boolean, wss: WebSocketServer): Server {
  const server = createServer((req, res) => handle(state, authorized, req, res));
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 5_000; // above keepAliveTimeout, so an idle kept-alive socket is never cut mid-request
  server.on("connection", (socket) => state.metrics.connection(socket));
  server.on("upgrade", (req, socket, head) => {
    state.log.add(req.method ?? "GET", req.url ?? "", req.headers, "");
    const status = req.url !== "/ws" ? 404 : authorized(req.headers.authorization) ? 0 : 401;
    if (status !== 0) {
      refuseUpgrade(socket, status, status === 404 ? "Not Found" : "Unauthorized");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => wss.emit("connection", ws, req));
  });
  return server;
}

function handle(state: PlatformState, authorized: (header: string | undefined) => boolean, req: IncomingMessage, res: ServerResponse): void {
  const method = req.method ?? "";
  let path: string;
  try {
    path = new URL(req.url ?? "/", "http://platform").pathname;
  } catch {
    return send(res, 400, { error: "malformed request path" });
  }
  const test = path.startsWith("/_test/");
  if (!test) state.metrics.request(path, res);
  readBody(req)
    .then((body) => {
      state.log.add(method, req.url ?? "", req.headers, body);
      if (!authorized(req.headers.authorization)) {
        if (!test) state.metrics.unauthorized();
        return send(res, 401, { error: "missing or wrong bearer token" });
      }
      return test ? routeTest(state, method, path, body, res) : routePlatform(state, method, path, body, res);
    })
    .catch((error: unknown) => send(res, 500, { error: error instanceof Error ? error.message : String(error) }));
}
