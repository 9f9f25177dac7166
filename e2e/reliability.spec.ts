import type { BrowserContext } from "@playwright/test";
import { expect, MockPlatform, StopAllUi, test } from "./fixtures";

const DEADLINE_MS = 8000;

/** Opens another tab of the same browser on the stuck fleet; it shows the running operation read-only. */
async function openSecondTab(context: BrowserContext) {
  const page = await context.newPage();
  const mock = new MockPlatform(page);
  const ui = new StopAllUi(page);
  await page.goto("/?scenario=stuck");
  await page.waitForFunction(() => window.__fleetMock !== undefined);
  await mock.advance(100);
  await expect(page.getByTestId("stop-all-read-only")).toContainText("Running in another tab");
  return { page, mock, ui };
}

test.describe("Stop All survives the browser", () => {
  test("a reload mid-operation resumes it: nothing re-sent, the restart still goes out at the original deadline, once", async ({ page, mock, stopAll }) => {
    page.on("dialog", (dialog) => void dialog.accept());
    await mock.open("stuck", { pause: true });
    const clickedAt = await stopAll.start();
    await mock.advance(3000);
    await expect(stopAll.target("drains-at-2s").getByTestId("target-phase")).toHaveText("Drained");

    await page.reload();
    await page.waitForFunction(() => window.__fleetMock !== undefined);
    await mock.advance(100); // the rows load (the operation resumes once the fleet is visible)
    await expect(stopAll.target("ignores-cancel").getByTestId("target-phase")).toHaveText("Waiting for drain");
    await expect(stopAll.target("drains-at-2s").getByTestId("target-phase")).toHaveText("Drained");
    await mock.advance(DEADLINE_MS - 3000 - 300);
    // The mock platform restarted with the page: its log holds only what the resumed page sent.
    expect((await mock.requests()).filter((r) => r.method === "POST")).toEqual([]);
    await mock.advance(400);
    const restarts = await mock.requests({ kind: "restart" });
    expect(restarts.map((r) => r.workspaceId)).toEqual(["ws-ignores-cancel"]);
    expect(restarts[0]!.at - clickedAt).toBeGreaterThanOrEqual(DEADLINE_MS);
    await mock.advance(4000);
    await expect(stopAll.summary()).toHaveText(/^Stopped 3 workspaces in 8\.\d s: 2 drained, 1 restarted$/);
    expect(await mock.requests({ kind: "restart" })).toHaveLength(1);
  });

  test("a second tab shows the running operation read-only and cannot start another", async ({ context, mock, stopAll }) => {
    await mock.open("stuck", { pause: true });
    await stopAll.start();
    await mock.advance(1000);

    const { mock: otherMock, ui: otherUi } = await openSecondTab(context);
    await expect(otherUi.button()).toBeDisabled();
    await expect(otherUi.panel().getByRole("button", { name: /Restart|Don't restart/ })).toHaveCount(0);

    await mock.advance(DEADLINE_MS + 3000);
    await expect(stopAll.summary()).toHaveText(/2 drained, 1 restarted$/);
    await expect(otherUi.summary()).toHaveText(/2 drained, 1 restarted$/);
    expect((await otherMock.requests()).filter((r) => r.method === "POST")).toEqual([]);
    expect(await mock.requests({ kind: "restart" })).toHaveLength(1);
    await expect(otherUi.button()).toBeEnabled();
  });

  test("the tab running it closes: the other tab takes it over, and the restart still goes out once, at the original deadline", async ({ context, page, mock, stopAll }) => {
    await mock.open("stuck", { pause: true });
    const clickedAt = await stopAll.start();
    await mock.advance(3000);
    await expect(stopAll.target("drains-at-2s").getByTestId("target-phase")).toHaveText("Drained");

    const { page: other, mock: otherMock, ui: otherUi } = await openSecondTab(context);

    await page.close();
    await otherMock.advance(100);
    await expect(other.getByTestId("stop-all-read-only")).toHaveCount(0);
    await expect(otherUi.target("ignores-cancel").getByTestId("target-phase")).toHaveText("Waiting for drain");
    await expect(otherUi.target("drains-at-2s").getByTestId("target-phase")).toHaveText("Drained");
    // The first tab's simulation went with it: this log holds only what the tab that took over sent.
    await otherMock.advance(DEADLINE_MS - 3000 - 200 - 300);
    expect((await otherMock.requests()).filter((r) => r.method === "POST")).toEqual([]);
    await otherMock.advance(3000);
    const restarts = await otherMock.requests({ kind: "restart" });
    expect(restarts.map((r) => r.workspaceId)).toEqual(["ws-ignores-cancel"]);
    expect(restarts[0]!.at - clickedAt).toBeGreaterThanOrEqual(DEADLINE_MS);
    await expect(otherUi.summary()).toHaveText(/^Stopped 3 workspaces in 8\.\d s: 2 drained, 1 restarted$/);
    await otherMock.advance(4000);
    expect(await otherMock.requests({ kind: "restart" })).toHaveLength(1);
  });

  test("leaving the page while it runs asks first", async ({ page, mock, stopAll }) => {
    await mock.open("stuck", { pause: true });
    await stopAll.start();
    await mock.advance(500);
    const dialog = page.waitForEvent("dialog");
    void page.close({ runBeforeUnload: true });
    const prompt = await dialog;
    expect(prompt.type()).toBe("beforeunload");
    await prompt.dismiss();
    await expect(stopAll.panel()).toBeVisible();
    expect(page.isClosed()).toBe(false);
  });

  test("a throttled deadline timer in a hidden tab cannot hold the restart back", async ({ page, mock, stopAll }) => {
    await mock.open("stuck", { pause: true });
    const clickedAt = await stopAll.start();
    await mock.advance(3000);
    await expect(stopAll.target("drains-at-2s").getByTestId("target-phase")).toHaveText("Drained");
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    // Time passes but the hidden tab's timers have not run (setSystemTime fires none):
    // the next store change or the tab becoming visible must send the restart.
    await page.clock.setSystemTime(clickedAt + DEADLINE_MS + 300);
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await mock.settle();
    await expect.poll(async () => (await mock.requests({ kind: "restart" })).map((r) => r.workspaceId)).toEqual(["ws-ignores-cancel"]);
    const [restart] = await mock.requests({ kind: "restart" });
    expect(restart!.at - clickedAt).toBeLessThanOrEqual(DEADLINE_MS + 1000);
  });
});
