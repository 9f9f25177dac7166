import { test as base, expect, type Page, type Request, type Response } from "@playwright/test";
import { CanvasPage, MockPlatform, StopAllUi } from "../fixtures";
import { LIVE_PLATFORM_URL, LIVE_TOKEN } from "./env";

/** One request as the test platform received it (see platform-server.ts). */
export interface PlatformRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Epoch ms on the platform's clock (the same machine as the test). */
  at: number;
}

export interface WorkspaceRow {
  id: string;
  name: string;
  status: string;
  active_tasks: number;
  current_task: string;
}

export interface AgentTask {
  id: string;
  text: string;
  state: string;
}

/** Marks the spec's own calls, so `requests()` shows only what the app sent. */
const TEST_CLIENT_HEADER = "x-e2e-test-client";

/**
 * The test platform as the spec sees it, from Node (never through the
 * browser): the `/_test` helpers of e2e/live/platform-server.ts and its
 * own API, with the bearer token.
 */
export class TestPlatform {
  constructor(
    readonly url = LIVE_PLATFORM_URL,
    private readonly token = LIVE_TOKEN,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, [TEST_CLIENT_HEADER]: "1", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`test platform: ${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Every workspace back to its spec (fleet.ts, LIVE_E2E_FLEET), the request log emptied. */
  reset() {
    return this.call<unknown>("POST", "/_test/reset");
  }

  /** Starts a task on a workspace's real agent; resolves with its id. */
  async startTask(workspaceId: string, text: string): Promise<string> {
    return (await this.call<{ task_id: string }>("POST", `/_test/workspaces/${workspaceId}/tasks`, { text })).task_id;
  }

  /** The tasks the workspace's current agent process has, with their A2A 1.0 states. */
  tasks(workspaceId: string) {
    return this.call<AgentTask[]>("GET", `/_test/workspaces/${workspaceId}/tasks`);
  }

  async rows(): Promise<Map<string, WorkspaceRow>> {
    return new Map((await this.call<WorkspaceRow[]>("GET", "/workspaces")).map((row) => [row.id, row]));
  }

  /** What reached the platform since the last reset, without this class's own calls. */
  async requests(filter: { method?: string; path?: string | RegExp } = {}): Promise<PlatformRequest[]> {
    const all = await this.call<PlatformRequest[]>("GET", "/_test/requests");
    return all.filter(
      (r) =>
        r.headers[TEST_CLIENT_HEADER] === undefined &&
        (filter.method === undefined || r.method === filter.method) &&
        (filter.path === undefined || (typeof filter.path === "string" ? r.path === filter.path : filter.path.test(r.path))),
    );
  }
}

/** The JSON-RPC method of a recorded A2A request, if any. */
export function rpcMethod(request: PlatformRequest): string | undefined {
  try {
    const method = (JSON.parse(request.body) as { method?: unknown }).method;
    return typeof method === "string" ? method : undefined;
  } catch {
    return undefined;
  }
}

export function rpcParams(request: PlatformRequest): Record<string, unknown> {
  try {
    return ((JSON.parse(request.body) as { params?: Record<string, unknown> }).params ?? {}) as Record<string, unknown>;
  } catch {
    return {};
  }
}

interface SeenResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Promise<Buffer | null>;
  streamed: boolean;
}

/**
 * Everything the page's network saw: requests (with their URLs), responses
 * (headers and bodies; event streams are read message by message through
 * Chromium's DevTools protocol, since their body never ends), WebSockets.
 */
export class NetworkLog {
  readonly requests: Request[] = [];
  readonly responses: SeenResponse[] = [];
  readonly webSockets: string[] = [];
  readonly eventSourceMessages: string[] = [];

  private constructor(private readonly page: Page) {}

  static async attach(page: Page): Promise<NetworkLog> {
    const log = new NetworkLog(page);
    page.on("request", (request) => log.requests.push(request));
    page.on("response", (response) => log.record(response));
    page.on("websocket", (socket) => log.webSockets.push(socket.url()));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    cdp.on("Network.eventSourceMessageReceived", (message) => log.eventSourceMessages.push(message.data));
    return log;
  }

  private record(response: Response) {
    const headers = response.headers();
    const streamed = (headers["content-type"] ?? "").startsWith("text/event-stream");
    this.responses.push({
      url: response.url(),
      status: response.status(),
      headers,
      streamed,
      // Redirects and aborted loads have no body; anything else is read.
      body: streamed ? Promise.resolve(null) : response.body().catch(() => null),
    });
  }

  /** Request URLs whose origin is not `origin` (data: and blob: URLs belong to the page itself). */
  foreignRequests(origin: string): string[] {
    return this.requests.map((r) => r.url()).filter((url) => !url.startsWith("data:") && !url.startsWith("blob:") && new URL(url).origin !== origin);
  }

  /** Every place a response showed `needle`: header values, bodies, event-stream messages. */
  async occurrences(needle: string): Promise<string[]> {
    const found: string[] = [];
    for (const response of this.responses) {
      for (const [name, value] of Object.entries(response.headers)) if (value.includes(needle)) found.push(`${response.url}: header ${name}`);
      const body = await response.body;
      if (body?.includes(needle)) found.push(`${response.url}: body`);
    }
    for (const message of this.eventSourceMessages) if (message.includes(needle)) found.push(`event-stream message ${message.slice(0, 80)}`);
    const html = await this.page.content().catch(() => "");
    if (html.includes(needle)) found.push(`${this.page.url()}: DOM`);
    return found;
  }
}

export const test = base.extend<{ platform: TestPlatform; canvas: CanvasPage; stopAll: StopAllUi; network: NetworkLog }>({
  // Reset before the page opens, so every spec starts on the fleet of fleet.ts.
  platform: async ({}, use) => {
    const platform = new TestPlatform();
    await platform.reset();
    await use(platform);
  },
  // The mock-mode page objects, for roles and names (their mock handle is never used here).
  canvas: async ({ page }, use) => use(new CanvasPage(page, new MockPlatform(page))),
  stopAll: async ({ page }, use) => use(new StopAllUi(page)),
  network: async ({ page }, use) => use(await NetworkLog.attach(page)),
});

export { expect };
