import type { PlatformClient, PlatformResponse } from "../client";
import type { FakeClock } from "../../time/fake-clock";

/** One request the code under test made, as the fake saw it. */
export interface RecordedRequest {
  kind: "a2a" | "restart" | "pause" | "resume" | "list-workspaces";
  workspaceId: string;
  /** JSON-RPC method, id and params of an a2a request. */
  method?: string;
  id?: string;
  params?: Record<string, unknown>;
  /** Clock time at which the request was made. */
  at: number;
  signal?: AbortSignal;
}

/** How the fake answers one request. */
export type FakeReply =
  | { status: number; json?: unknown; text?: string; retryAfterMs?: number; delayMs?: number }
  | { network: string; delayMs?: number }
  | { hang: true };

export type FakeHandler = (request: RecordedRequest) => FakeReply;

/** Ready-made replies, named by what they are in PLATFORM_API.md. */
export const reply = {
  result: (result: unknown): FakeHandler => (request) => ({ status: 200, json: { jsonrpc: "2.0", id: request.id, result } }),
  error: (code: number, message = "error", data?: unknown): FakeHandler => (request) => ({
    status: 200,
    json: { jsonrpc: "2.0", id: request.id, error: { code, message, ...(data === undefined ? {} : { data }) } },
  }),
  canceledTask: (state = "TASK_STATE_CANCELED"): FakeHandler => (request) => ({
    status: 200,
    json: { jsonrpc: "2.0", id: request.id, result: { id: request.params?.id, status: { state } } },
  }),
  http: (status: number, json?: unknown, retryAfterMs?: number): FakeHandler => () => ({ status, json, retryAfterMs }),
  text: (status: number, text: string): FakeHandler => () => ({ status, text }),
  network: (message = "fetch failed"): FakeHandler => () => ({ network: message }),
  hang: (): FakeHandler => () => ({ hang: true }),
  after: (delayMs: number, handler: FakeHandler): FakeHandler => (request) => ({ ...handler(request), delayMs }) as FakeReply,
};

/** A handler that answers each request with the next handler of the list (the last one repeats). */
export function sequence(...handlers: FakeHandler[]): FakeHandler {
  let index = 0;
  return (request) => {
    const handler = handlers[Math.min(index++, handlers.length - 1)];
    if (!handler) throw new Error("sequence() needs at least one handler");
    return handler(request);
  };
}

const ABORTED: PlatformResponse = { ok: false, error: "aborted", message: "request aborted" };

function toResponse(value: Exclude<FakeReply, { hang: true } | { network: string }>): PlatformResponse {
  const text = value.text ?? (value.json === undefined ? "" : JSON.stringify(value.json));
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { ok: true, status: value.status, json, text, ...(value.retryAfterMs === undefined ? {} : { retryAfterMs: value.retryAfterMs }) };
}

/**
 * A scripted PlatformClient that records every request (workspace, kind,
 * JSON-RPC method and params, clock time) and answers from per-workspace
 * handlers on the fake clock. It honours abort signals as fetch does.
 */
export class FakePlatform implements PlatformClient {
  readonly requests: RecordedRequest[] = [];
  private readonly a2aHandlers = new Map<string, FakeHandler>();
  private readonly restartHandlers = new Map<string, FakeHandler>();
  private readonly pauseHandlers = new Map<string, FakeHandler>();
  private readonly resumeHandlers = new Map<string, FakeHandler>();
  private inFlight = 0;
  private maxInFlightSeen = 0;

  constructor(
    private readonly clock: FakeClock,
    private readonly defaults: { a2a: FakeHandler; restart: FakeHandler; pause?: FakeHandler; resume?: FakeHandler } = {
      a2a: (request) => (request.method === "ListTasks" ? reply.result({ tasks: [] })(request) : reply.canceledTask()(request)),
      restart: reply.http(200, { status: "provisioning" }),
    },
  ) {}

  onA2A(workspaceId: string, handler: FakeHandler): this {
    this.a2aHandlers.set(workspaceId, handler);
    return this;
  }

  onRestart(workspaceId: string, handler: FakeHandler): this {
    this.restartHandlers.set(workspaceId, handler);
    return this;
  }

  onPause(workspaceId: string, handler: FakeHandler): this {
    this.pauseHandlers.set(workspaceId, handler);
    return this;
  }

  onResume(workspaceId: string, handler: FakeHandler): this {
    this.resumeHandlers.set(workspaceId, handler);
    return this;
  }

  /** Requests of one kind (and workspace). */
  of(kind: RecordedRequest["kind"], workspaceId?: string): RecordedRequest[] {
    return this.requests.filter((request) => request.kind === kind && (workspaceId === undefined || request.workspaceId === workspaceId));
  }

  /** The most requests that were ever in flight at once. */
  peakInFlight(): number {
    return this.maxInFlightSeen;
  }

  async listWorkspaces(): Promise<never> {
    this.requests.push({ kind: "list-workspaces", workspaceId: "", at: this.clock.now() });
    throw new Error("Stop All must not list workspaces");
  }

  postA2A(workspaceId: string, body: unknown, signal?: AbortSignal): Promise<PlatformResponse> {
    const rpc = body as { method?: string; id?: string; params?: Record<string, unknown> };
    const request: RecordedRequest = { kind: "a2a", workspaceId, method: rpc.method, id: rpc.id, params: rpc.params, at: this.clock.now(), signal };
    return this.answer(request, this.a2aHandlers.get(workspaceId) ?? this.defaults.a2a);
  }

  restart(workspaceId: string, signal?: AbortSignal): Promise<PlatformResponse> {
    const request: RecordedRequest = { kind: "restart", workspaceId, at: this.clock.now(), signal };
    return this.answer(request, this.restartHandlers.get(workspaceId) ?? this.defaults.restart);
  }

  pause(workspaceId: string, signal?: AbortSignal): Promise<PlatformResponse> {
    const request: RecordedRequest = { kind: "pause", workspaceId, at: this.clock.now(), signal };
    return this.answer(request, this.pauseHandlers.get(workspaceId) ?? this.defaults.pause ?? reply.http(200, { status: "paused", paused_count: 1 }));
  }

  resume(workspaceId: string, signal?: AbortSignal): Promise<PlatformResponse> {
    const request: RecordedRequest = { kind: "resume", workspaceId, at: this.clock.now(), signal };
    return this.answer(request, this.resumeHandlers.get(workspaceId) ?? this.defaults.resume ?? reply.http(200, { status: "provisioning", resumed_count: 1 }));
  }

  private answer(request: RecordedRequest, handler: FakeHandler): Promise<PlatformResponse> {
    this.requests.push(request);
    this.inFlight++;
    this.maxInFlightSeen = Math.max(this.maxInFlightSeen, this.inFlight);
    const scripted = handler(request);
    return new Promise<PlatformResponse>((resolve) => {
      const { signal } = request;
      const finish = (response: PlatformResponse) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(response);
      };
      const onAbort = () => finish(ABORTED);
      if (signal?.aborted) return finish(ABORTED);
      signal?.addEventListener("abort", onAbort, { once: true });
      if ("hang" in scripted) return;
      const deliver = () => finish("network" in scripted ? { ok: false, error: "network", message: scripted.network } : toResponse(scripted));
      if (scripted.delayMs) this.clock.setTimeout(deliver, scripted.delayMs);
      else deliver();
    }).finally(() => {
      this.inFlight--;
    });
  }
}
