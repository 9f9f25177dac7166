import { test as base, expect, type BrowserContext, type Page, type Request, type Response } from "@playwright/test";
import type { OperationSummary, OperationView } from "../../lib/stop-all-host/wire";
import { CanvasPage, MockPlatform, StopAllUi } from "../fixtures";
import { AppProcess } from "./app-process";
import { LIVE_APP_URL, LIVE_AUTH_USER_HEADER, LIVE_DEADLINE_MS, LIVE_PLATFORM_URL, LIVE_TOKEN } from "./env";

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

/**
 * Waits until the page is live and shows the fleet's rows, with workspace
 * `name` idle: only then may a spec start work that the page should see.
 * An event that reaches the page before its first rows have loaded is lost
 * (lib/fleet/merge.ts drops events for workspaces it does not know yet, and
 * the first rows, read before the event, are applied as they are), so the
 * page would show the workspace idle until the next poll, 30 s later.
 */
export async function idleOnScreen(canvas: CanvasPage, name: string): Promise<void> {
  await expect(canvas.connection()).toHaveAccessibleName("Live connection: Live");
  await expect(canvas.node(name)).toContainText("0 active tasks");
}

/** The restarts the platform received for one workspace. */
export async function restartsOf(platform: TestPlatform, workspaceId: string): Promise<PlatformRequest[]> {
  return platform.requests({ method: "POST", path: `/workspaces/${workspaceId}/restart` });
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
  /** The same messages with the URL of the stream that carried them and their event name (`message`, `snapshot`, `op`, …). */
  readonly eventStreamMessages: { url: string; event: string; data: string }[] = [];

  private constructor(private readonly page: Page) {}

  static async attach(page: Page): Promise<NetworkLog> {
    const log = new NetworkLog(page);
    page.on("request", (request) => log.requests.push(request));
    page.on("response", (response) => log.record(response));
    page.on("websocket", (socket) => log.webSockets.push(socket.url()));
    const cdp = await page.context().newCDPSession(page);
    const urls = new Map<string, string>();
    cdp.on("Network.requestWillBeSent", (sent) => urls.set(sent.requestId, sent.request.url));
    await cdp.send("Network.enable");
    cdp.on("Network.eventSourceMessageReceived", (message) => {
      log.eventSourceMessages.push(message.data);
      log.eventStreamMessages.push({ url: urls.get(message.requestId) ?? "", event: message.eventName, data: message.data });
    });
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

/**
 * What a canvas server says about its Stop All, read from Node like any
 * same-origin read (`GET /api/stop-all…`, no Sec-Fetch-Site): the shared
 * live app's by default, or an extra one's (app-process.ts).
 */
export class StopAllServer {
  constructor(readonly appUrl = LIVE_APP_URL) {}

  private async get(path: string): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.appUrl}${path}`, { headers: { accept: "application/json" } });
    return { status: response.status, body: await response.json() };
  }

  /** The history, newest first (GET /api/stop-all). */
  async history(): Promise<OperationSummary[]> {
    const { status, body } = await this.get("/api/stop-all");
    if (status !== 200) throw new Error(`GET /api/stop-all answered ${status}: ${JSON.stringify(body)}`);
    return body as OperationSummary[];
  }

  /**
   * The operations started at or after `since` (epoch ms; the server's clock
   * is this machine's). The shared app keeps every operation of the run, so
   * a test counts only its own.
   */
  async startedSince(since: number): Promise<OperationSummary[]> {
    return (await this.history()).filter((entry) => entry.startedAt >= since);
  }

  /** The running operation, else the latest one; undefined before the first. */
  async current(): Promise<OperationView | undefined> {
    const { status, body } = await this.get("/api/stop-all/current");
    if (status === 404) return undefined;
    if (status !== 200) throw new Error(`GET /api/stop-all/current answered ${status}: ${JSON.stringify(body)}`);
    return body as OperationView;
  }

  async view(id: string): Promise<OperationView> {
    const { status, body } = await this.get(`/api/stop-all/${encodeURIComponent(id)}`);
    if (status !== 200) throw new Error(`GET /api/stop-all/${id} answered ${status}: ${JSON.stringify(body)}`);
    return body as OperationView;
  }

  /** Resolves with the operation's view once the server says it has finished. */
  async finished(id: string, timeout = LIVE_DEADLINE_MS + 15_000): Promise<OperationView> {
    await expect.poll(async () => (await this.view(id)).state.phase, { message: `Stop All ${id} finishes`, timeout }).toBe("finished");
    return this.view(id);
  }

  /** Resolves once no operation runs (none yet, or the latest has finished). */
  async idle(timeout = LIVE_DEADLINE_MS + 15_000): Promise<void> {
    await expect.poll(async () => (await this.current())?.state.phase ?? "none", { message: `no Stop All runs on ${this.appUrl}`, timeout }).toMatch(/^(none|finished)$/);
  }
}

/** What the page's POST /api/stop-all came to: 201 with the new operation, or 409 with the running one it joined. */
export interface StartAnswer {
  status: number;
  operation: OperationView;
  /** The page's clock just before Enter. */
  clickedAt: number;
}

/**
 * The Stop All controls of a live page. A live page opens on the server's
 * latest operation (an earlier test's report, on the shared app), so
 * `open()` closes that report first: the panel that shows after Enter is
 * then the one this test started or joined, never a finished one of before.
 */
export class LiveStopAllUi extends StopAllUi {
  byline() {
    return this.panel().getByTestId("stop-all-byline");
  }

  reason() {
    return this.panel().getByTestId("stop-all-reason");
  }

  reasonInput() {
    return this.dialog().getByLabel("Reason (optional)");
  }

  /** Closes the report of the server's latest operation, which the page shows until an operator closes it. */
  async closeEarlierReport(): Promise<void> {
    const latest = await new StopAllServer(new URL(this.page.url()).origin).current();
    if (!latest) return;
    if (latest.state.phase !== "finished") throw new Error(`a Stop All started before this test still runs: ${latest.id}`);
    await expect(this.panel()).toBeVisible();
    await this.panel().getByRole("button", { name: "Close", exact: true }).click();
    await expect(this.panel()).toBeHidden();
  }

  /** Clicks Stop All and waits for the confirmation; types `reason` into it when given. */
  async open(options: { reason?: string } = {}): Promise<void> {
    await this.closeEarlierReport();
    await this.button().click();
    await expect(this.dialog()).toBeVisible();
    if (options.reason !== undefined) await this.reasonInput().fill(options.reason);
  }

  /** Presses Enter in the open confirmation and waits for the server's answer and the panel. */
  async confirm(): Promise<StartAnswer> {
    const answered = this.page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/stop-all");
    const clickedAt = await this.page.evaluate(() => Date.now());
    await this.page.keyboard.press("Enter");
    const response = await answered;
    const body = (await response.json()) as OperationView | { operation: OperationView };
    expect([201, 409], JSON.stringify(body)).toContain(response.status());
    await expect(this.panel()).toBeVisible();
    return { status: response.status(), operation: "operation" in body ? body.operation : body, clickedAt };
  }

  async startOperation(options: { reason?: string } = {}): Promise<StartAnswer> {
    await this.open(options);
    return this.confirm();
  }

  /** Clicks Stop All and confirms with Enter; returns the page-clock time of the click. */
  override async start(): Promise<number> {
    return (await this.startOperation()).clickedAt;
  }
}

/** One operator: a browser context of its own whose requests carry the identity the auth proxy would set. */
export interface Operator {
  email: string;
  context: BrowserContext;
  page: Page;
  canvas: CanvasPage;
  stopAll: LiveStopAllUi;
}

export const test = base.extend<{
  platform: TestPlatform;
  canvas: CanvasPage;
  stopAll: LiveStopAllUi;
  network: NetworkLog;
  stopAllServer: StopAllServer;
  /** An operator on the shared live app, or on the canvas server at `appUrl` (an extra one, a replica). */
  operator: (email: string, appUrl?: string) => Promise<Operator>;
  launchApp: (port: number, env?: Record<string, string>) => Promise<AppProcess>;
}>({
  // Reset before the page opens, so every spec starts on the fleet of fleet.ts. A Stop All that a
  // failed test left running on the shared app would reach into this one: it ends first.
  platform: async ({}, use) => {
    await new StopAllServer().idle();
    const platform = new TestPlatform();
    await platform.reset();
    await use(platform);
  },
  // The mock-mode page objects, for roles and names (their mock handle is never used here).
  canvas: async ({ page }, use) => use(new CanvasPage(page, new MockPlatform(page))),
  stopAll: async ({ page }, use) => use(new LiveStopAllUi(page)),
  network: async ({ page }, use) => use(await NetworkLog.attach(page)),
  stopAllServer: async ({}, use) => use(new StopAllServer()),
  // Operators in contexts of their own, as an authenticating proxy would name them (AUTH_USER_HEADER).
  operator: async ({ browser, viewport }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (email, appUrl = LIVE_APP_URL) => {
      const context = await browser.newContext({ baseURL: appUrl, viewport, extraHTTPHeaders: { [LIVE_AUTH_USER_HEADER.toLowerCase()]: email } });
      contexts.push(context);
      const page = await context.newPage();
      return { email, context, page, canvas: new CanvasPage(page, new MockPlatform(page)), stopAll: new LiveStopAllUi(page) };
    });
    for (const context of contexts) await context.close();
  },
  // Extra canvas servers of the live build (app-process.ts), stopped and their journals removed after the test.
  launchApp: async ({}, use) => {
    const apps: AppProcess[] = [];
    await use(async (port, env) => {
      const app = await AppProcess.launch(port, env);
      apps.push(app);
      return app;
    });
    for (const app of apps) await app.dispose();
  },
});

export { expect };

/**
 * Opens each operator's canvas and waits until the Migrator (which ignores
 * cancels) works on a task: two workspaces busy on every page. The task
 * starts once every page shows the fleet (see idleOnScreen).
 */
export async function migratorStuck(platform: TestPlatform, operators: readonly Pick<Operator, "page" | "canvas" | "stopAll">[]): Promise<void> {
  for (const { page, canvas } of operators) {
    await page.goto("/");
    await idleOnScreen(canvas, "Migrator (ignores cancel)");
  }
  await platform.startTask("stubborn-v1", "migrate the orders table");
  for (const { canvas, stopAll } of operators) {
    await expect(canvas.node("Migrator (ignores cancel)")).toContainText("1 active task");
    await expect(stopAll.button()).toHaveText("Stop All (2)");
  }
}
