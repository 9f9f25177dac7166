import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";
import type { AgentBehaviour, MockPlatformControl, RequestLogEntry } from "@/lib/mock/control";

declare global {
  interface Window {
    __fleetMock?: MockPlatformControl;
  }
}

/**
 * The mock platform running inside the page: pick a scenario, read the
 * requests the app made to it, change agent behaviour mid-test.
 */
export class MockPlatform {
  constructor(private readonly page: Page) {}

  /** Opens the canvas on `scenario` and waits until the mock platform answers. */
  async open(scenario: string, query: Record<string, string> = {}) {
    const params = new URLSearchParams({ scenario, ...query });
    await this.page.goto(`/?${params}`);
    await this.page.waitForFunction(() => window.__fleetMock !== undefined);
  }

  /** Every request the app made to the platform, oldest first. */
  requests(filter: Partial<Pick<RequestLogEntry, "method" | "workspaceId" | "rpcMethod">> & { kind?: "a2a" | "restart" | "workspaces" } = {}) {
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
  constructor(readonly page: Page) {}

  node(name: string) {
    return this.page.getByRole("article", { name: `Workspace ${name}`, exact: true });
  }

  count(label: "workspaces" | "online" | "offline" | "busy") {
    return this.page.getByTestId(`count-${label}`);
  }

  connection() {
    return this.page.getByRole("status", { name: /^Live connection/ });
  }

  async expectNoAxeViolations() {
    const results = await new AxeBuilder({ page: this.page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  }
}

export const test = base.extend<{ mock: MockPlatform; canvas: CanvasPage }>({
  mock: async ({ page }, use) => use(new MockPlatform(page)),
  canvas: async ({ page }, use) => use(new CanvasPage(page)),
});

export { expect };
