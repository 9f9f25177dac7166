import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** What one workspace received since the metrics were last reset. Times are epoch ms. */
export interface WorkspaceMetrics {
  /** `POST /workspaces/:id/a2a` calls, whatever their method. */
  a2a: number;
  listTasks: number;
  /** `CancelTask` and `tasks/cancel` calls. */
  cancels: number;
  firstListTasksAt: number | null;
  /** First `CancelTask` (or 0.3 `tasks/cancel`) received. */
  firstCancelTaskAt: number | null;
  /** Every `POST /workspaces/:id/restart` received, coalesced or not: two entries are a double restart. */
  restarts: number[];
  /** Every `POST /workspaces/:id/pause` received for it, whatever the answer (a cascade from its lead is not a call to it). */
  pauses: number[];
  /** Every `POST /workspaces/:id/resume` received for it, whatever the answer. */
  resumes: number[];
  /** First time its `active_tasks` dropped to 0 by itself (a cancel that worked), not by a restart. */
  drainedAt: number | null;
}

/**
 * One `POST /workspaces/:id/pause` or `/resume` received, in arrival order:
 * when (epoch ms), to which workspace, what the platform answered (a forced
 * fault's status too) and how many workspaces it paused or resumed (0
 * unless it answered 200).
 */
export interface LifecycleCall {
  at: number;
  workspaceId: string;
  action: "pause" | "resume";
  status: number;
  count: number;
}

/** The JSON-RPC methods counted by name in `totals.rpc`; any other name counts as `other`. */
const RPC_METHODS = new Set(["ListTasks", "GetTask", "CancelTask", "SendMessage", "tasks/get", "tasks/cancel", "message/send"]);

/**
 * The benchmark's view of the platform: how many calls were in flight at
 * once, what each workspace received and when, how many TCP connections
 * were open. A few counters and one small record per workspace that was
 * called, so it stays cheap at 5,000 workspaces. `/_test/*` requests are
 * not counted.
 */
export class PlatformMetrics {
  private since = Date.now();
  private inFlight = 0;
  private maxInFlight = 0;
  private maxInFlightAt: number | null = null;
  private inFlightAll = 0;
  private maxInFlightAll = 0;
  private openConnections = 0;
  private maxConnections = 0;
  private totals = PlatformMetrics.emptyTotals();
  private perWorkspace = new Map<string, WorkspaceMetrics>();
  private lifecycle: LifecycleCall[] = [];

  private static emptyTotals() {
    return {
      requests: 0,
      unauthorized: 0,
      rows: 0,
      a2a: 0,
      restarts: 0,
      pauses: 0,
      resumes: 0,
      otherWorkspaceCalls: 0,
      rpc: {} as Record<string, number>,
      statuses: {} as Record<string, number>,
    };
  }

  /** Everything back to zero; the calls and connections open now stay counted as open. */
  reset(): void {
    this.since = Date.now();
    this.maxInFlight = this.inFlight;
    this.maxInFlightAt = null;
    this.maxInFlightAll = this.inFlightAll;
    this.maxConnections = this.openConnections;
    this.totals = PlatformMetrics.emptyTotals();
    this.perWorkspace.clear();
    this.lifecycle = [];
  }

  /** A TCP connection opened; counted until it closes. */
  connection(socket: Socket): void {
    this.openConnections += 1;
    this.maxConnections = Math.max(this.maxConnections, this.openConnections);
    socket.once("close", () => (this.openConnections -= 1));
  }

  /**
   * A platform request (anything but `/_test/*`) arrived: it is in flight
   * until its response closes. `/workspaces/…` calls (a2a, restart, …)
   * count in `inFlight`; every platform request, `GET /workspaces` too,
   * in `inFlightAll`.
   */
  request(path: string, res: ServerResponse): void {
    const perWorkspace = path.startsWith("/workspaces/");
    this.totals.requests += 1;
    this.inFlightAll += 1;
    this.maxInFlightAll = Math.max(this.maxInFlightAll, this.inFlightAll);
    if (perWorkspace) {
      this.inFlight += 1;
      if (this.inFlight > this.maxInFlight) {
        this.maxInFlight = this.inFlight;
        this.maxInFlightAt = Date.now();
      }
    }
    res.once("close", () => {
      this.inFlightAll -= 1;
      if (perWorkspace) this.inFlight -= 1;
      const status = res.writableFinished ? String(res.statusCode) : "aborted";
      this.totals.statuses[status] = (this.totals.statuses[status] ?? 0) + 1;
    });
  }

  unauthorized(): void {
    this.totals.unauthorized += 1;
  }

  rows(): void {
    this.totals.rows += 1;
  }

  /** An authorised `POST /workspaces/:id/a2a` for an existing workspace, with its JSON-RPC method if it had one. */
  a2a(workspaceId: string, method: string | undefined): void {
    const now = Date.now();
    const entry = this.workspace(workspaceId);
    this.totals.a2a += 1;
    entry.a2a += 1;
    const name = method !== undefined && RPC_METHODS.has(method) ? method : "other";
    this.totals.rpc[name] = (this.totals.rpc[name] ?? 0) + 1;
    if (method === "ListTasks") {
      entry.listTasks += 1;
      entry.firstListTasksAt ??= now;
    }
    if (method === "CancelTask" || method === "tasks/cancel") {
      entry.cancels += 1;
      entry.firstCancelTaskAt ??= now;
    }
  }

  restart(workspaceId: string): void {
    this.totals.restarts += 1;
    this.workspace(workspaceId).restarts.push(Date.now());
  }

  /**
   * An authorised `POST /workspaces/:id/pause` or `/resume` for an existing
   * workspace, with its answer's status and how many workspaces it paused
   * or resumed: in the workspace's `pauses` / `resumes` and in `lifecycle`.
   */
  lifecycleCall(workspaceId: string, action: "pause" | "resume", status: number, count: number): void {
    const at = Date.now();
    const entry = this.workspace(workspaceId);
    if (action === "pause") {
      this.totals.pauses += 1;
      entry.pauses.push(at);
    } else {
      this.totals.resumes += 1;
      entry.resumes.push(at);
    }
    this.lifecycle.push({ at, workspaceId, action, status, count });
  }

  /** Any other authorised `/workspaces/:id/…` call (unknown routes, methods other than POST). */
  otherWorkspaceCall(): void {
    this.totals.otherWorkspaceCalls += 1;
  }

  drained(workspaceId: string): void {
    this.workspace(workspaceId).drainedAt ??= Date.now();
  }

  /** The `GET /_test/metrics` document (PLATFORM_METRICS in platform-server.ts). */
  snapshot() {
    const workspaces = Object.fromEntries(this.perWorkspace);
    const entries = [...this.perWorkspace.values()];
    return {
      since: this.since,
      now: Date.now(),
      inFlight: { now: this.inFlight, max: this.maxInFlight, maxAt: this.maxInFlightAt, nowAll: this.inFlightAll, maxAll: this.maxInFlightAll },
      connections: { open: this.openConnections, max: this.maxConnections },
      totals: {
        ...this.totals,
        workspacesCalled: entries.filter((entry) => entry.a2a > 0 || entry.restarts.length > 0 || entry.pauses.length > 0 || entry.resumes.length > 0).length,
        listed: entries.filter((entry) => entry.listTasks > 0).length,
        cancelled: entries.filter((entry) => entry.cancels > 0).length,
        drained: entries.filter((entry) => entry.drainedAt !== null).length,
        restarted: entries.filter((entry) => entry.restarts.length > 0).length,
        restartedTwice: entries.filter((entry) => entry.restarts.length > 1).length,
        paused: entries.filter((entry) => entry.pauses.length > 0).length,
        pausedTwice: entries.filter((entry) => entry.pauses.length > 1).length,
        resumed: entries.filter((entry) => entry.resumes.length > 0).length,
        resumedTwice: entries.filter((entry) => entry.resumes.length > 1).length,
      },
      workspaces,
      lifecycle: [...this.lifecycle],
    };
  }

  private workspace(id: string): WorkspaceMetrics {
    let entry = this.perWorkspace.get(id);
    if (!entry) {
      entry = { a2a: 0, listTasks: 0, cancels: 0, firstListTasksAt: null, firstCancelTaskAt: null, restarts: [], pauses: [], resumes: [], drainedAt: null };
      this.perWorkspace.set(id, entry);
    }
    return entry;
  }
}
