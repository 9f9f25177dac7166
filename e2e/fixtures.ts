import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";
import type { AgentBehaviour, MockPlatformControl, RequestLogEntry } from "@/lib/mock/control";

declare global {
  interface Window {
    __fleetMock?: MockPlatformControl;
    __fleetProbe?: { inFlight(): string[]; eventsReceived(): number };
  }
}

const realSleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The mock platform running inside the page: pick a scenario, read the
 * requests the app made to it, change agent behaviour mid-test.
 */
export class MockPlatform {
  /** True once `open({ pause: true })` paused the page clock. */
  clockPaused = false;

  constructor(private readonly page: Page) {}

  /**
   * Opens the canvas on `scenario` and waits until the mock platform answers.
   * With `pause`, the page clock (installed before the page loads) is
   * paused once the fleet is on screen, so the test moves time itself with
   * `advance`.
   */
  async open(scenario: string, options: { pause?: boolean; path?: string } = {}) {
    const { pause = false, path = "/" } = options;
    if (pause) await this.page.clock.install();
    await this.page.goto(`${path}?${new URLSearchParams({ scenario })}`);
    await this.page.waitForFunction(() => window.__fleetMock !== undefined);
    if (pause) {
      await this.pauseSoon();
      this.clockPaused = true;
      await this.settle();
    }
  }

  /**
   * Pauses the page clock a little ahead of the page's time: the clock
   * keeps flowing until pauseAt lands. A page busy for longer than that (a
   * 5,000-workspace fleet loading on a loaded machine) has flowed past it:
   * then it reads the time again and pauses further ahead.
   */
  private async pauseSoon() {
    for (let attempt = 1; ; attempt++) {
      const now = await this.page.evaluate(() => Date.now());
      try {
        await this.page.clock.pauseAt(now + 1000 * attempt);
        return;
      } catch (error) {
        if (attempt >= 5 || !(error instanceof Error) || !error.message.includes("Cannot fast-forward to the past")) throw error;
      }
    }
  }

  /**
   * Moves the paused page clock forward in small steps. After each step it
   * waits (in real time) until every request the app has in flight is one
   * the mock holds on the clock, and every event sent has arrived: so what
   * happens at fake time t is handled before the clock moves past t.
   */
  async advance(ms: number, step = 50) {
    for (let left = ms; left > 0; left -= step) {
      await this.page.clock.runFor(Math.min(step, left));
      await this.settle();
    }
  }

  /** Waits until nothing is in transit between the app and the mock (bounded in real time). */
  async settle(maxRealMs = 3000) {
    const until = Date.now() + maxRealMs;
    while (Date.now() < until) {
      const quiet = await this.page.evaluate(() => {
        const app = window.__fleetProbe;
        const mock = window.__fleetMock?.probe();
        if (!app || !mock) return true;
        const held = new Set(mock.held);
        return app.inFlight().every((id) => held.has(id)) && app.eventsReceived() >= mock.eventsSent;
      });
      if (quiet) return;
      await realSleep(5);
    }
  }

  /** The page clock's current time. */
  now() {
    return this.page.evaluate(() => Date.now());
  }

  /** Every request the app made to the platform, oldest first. */
  requests(filter: Partial<Pick<RequestLogEntry, "method" | "workspaceId" | "rpcMethod">> & { kind?: "a2a" | "restart" | "pause" | "resume" | "workspaces" } = {}) {
    return this.page.evaluate((f) => {
      return window.__fleetMock!.requests().filter(
        (r) =>
          (f.method === undefined || r.method === f.method) &&
          (f.workspaceId === undefined || r.workspaceId === f.workspaceId) &&
          (f.rpcMethod === undefined || r.rpcMethod === f.rpcMethod) &&
          (f.kind === undefined || r.path.endsWith(`/${f.kind}`)),
      );
    }, filter);
  }

  clearRequests() {
    return this.page.evaluate(() => window.__fleetMock!.clearRequests());
  }

  setBehaviour(workspaceId: string, patch: Partial<AgentBehaviour>) {
    return this.page.evaluate(([id, p]) => window.__fleetMock!.setBehaviour(id, p), [workspaceId, patch] as const);
  }

  setPlatformDown(down: boolean) {
    return this.page.evaluate((d) => window.__fleetMock!.setPlatformDown(d), down);
  }

  setEventStream(available: boolean) {
    return this.page.evaluate((a) => window.__fleetMock!.setEventStream(a), available);
  }

  dropEventStream() {
    return this.page.evaluate(() => window.__fleetMock!.dropEventStream());
  }
}

/** The canvas page, driven the way an operator would: by role and name. */
export class CanvasPage {
  constructor(
    readonly page: Page,
    private readonly mock: MockPlatform,
  ) {}

  node(name: string) {
    return this.page.getByRole("article", { name: `Workspace ${name}`, exact: true });
  }

  count(label: "workspaces" | "online" | "offline" | "busy") {
    return this.page.getByTestId(`count-${label}`);
  }

  connection() {
    return this.page.getByRole("status", { name: /^Live connection/ });
  }

  /** Runs axe on the page as it is. Axe needs timers, so a paused clock flows again from here on. */
  async expectNoAxeViolations() {
    if (this.mock.clockPaused) {
      await this.page.clock.resume();
      this.mock.clockPaused = false;
    }
    const results = await new AxeBuilder({ page: this.page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
  }
}

/** The Stop All controls, dialog and progress panel. */
export class StopAllUi {
  constructor(readonly page: Page) {}

  button() {
    return this.page.getByRole("button", { name: /^Stop All \(\d+\)$/ });
  }

  dialog() {
    return this.page.getByRole("dialog", { name: /^Stop \d+ busy workspaces?\?$/ });
  }

  panel() {
    return this.page.getByRole("complementary", { name: "Stop All" });
  }

  target(name: string) {
    return this.panel().getByRole("listitem", { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `) });
  }

  summary() {
    return this.page.getByTestId("stop-all-summary");
  }

  /** Clicks Stop All and confirms with Enter; returns the page-clock time of the click. */
  async start(): Promise<number> {
    await this.button().click();
    await expect(this.dialog()).toBeVisible();
    const clickedAt = await this.page.evaluate(() => Date.now());
    await this.page.keyboard.press("Enter");
    await expect(this.panel()).toBeVisible();
    return clickedAt;
  }
}

export const test = base.extend<{ mock: MockPlatform; canvas: CanvasPage; stopAll: StopAllUi }>({
  mock: async ({ page }, use) => use(new MockPlatform(page)),
  canvas: async ({ page, mock }, use) => use(new CanvasPage(page, mock)),
  stopAll: async ({ page }, use) => use(new StopAllUi(page)),
});

export { expect };
