import { expect, test } from "./fixtures";

test.describe("a Stop All belongs to its fleet", () => {
  test("finished on one scenario, it is not shown on another in the same tab; back on its own, it is shown read-only, truly labelled", async ({ page, mock, stopAll, canvas }) => {
    test.slow(); // the large fleet: 1,000 workspaces on a paused clock
    await mock.open("default", { pause: true });
    await stopAll.start();
    await mock.advance(3000);
    await expect(stopAll.summary()).toHaveText(/^Stopped 4 workspaces in [0-2]\.\d s: 4 drained$/);

    await page.goto("/?scenario=large");
    await page.waitForFunction(() => window.__fleetMock !== undefined);
    await mock.advance(100); // the rows load (the session reads storage once the fleet is visible)
    await expect(canvas.count("workspaces")).toHaveText("1000");
    await mock.advance(400); // time for a stored operation to reach the panel, were there one for this fleet
    await expect(stopAll.button()).toHaveText("Stop All (400)");
    await expect(stopAll.button()).toBeEnabled();
    await expect(stopAll.panel()).toHaveCount(0);

    await page.goto("/?scenario=default");
    await page.waitForFunction(() => window.__fleetMock !== undefined);
    await mock.advance(500);
    await expect(stopAll.summary()).toHaveText(/^Stopped 4 workspaces in [0-2]\.\d s: 4 drained$/);
    const note = page.getByTestId("stop-all-read-only");
    await expect(note).toContainText("on this page before it was reloaded");
    await expect(note).not.toContainText("Started in another tab");
  });
});
