import { LIVE_TOKEN } from "./env";
import { expect, test } from "./fixtures";

test.describe("live canvas", () => {
  test("renders the test platform's fleet through the proxy, and live events move it", async ({ page, platform, canvas, stopAll }) => {
    await page.goto("/");
    await expect(canvas.count("workspaces")).toHaveText("5");
    await expect(canvas.count("online")).toHaveText("4");
    await expect(canvas.count("offline")).toHaveText("0");
    await expect(canvas.count("busy")).toHaveText("1");
    await expect(canvas.connection()).toHaveAccessibleName("Live connection: Live");

    const builder = canvas.node("Builder (A2A 1.0)");
    await expect(builder).toContainText("2 active tasks");
    await expect(builder).toContainText("refactor the billing module");
    await expect(builder).toContainText("online");
    await expect(canvas.node("Reviewer (A2A 0.3)")).toContainText("Idle");
    await expect(canvas.node("Archivist (hibernated)")).toContainText("hibernated");
    await expect(stopAll.button()).toHaveText("Stop All (1)");

    // Work that starts on a real agent reaches the canvas as a platform event, relayed as SSE.
    await platform.startTask("busy-v03", "review pull request 42");
    const reviewer = canvas.node("Reviewer (A2A 0.3)");
    await expect(reviewer).toContainText("1 active task");
    await expect(reviewer).toContainText("review pull request 42");
    await expect(canvas.count("busy")).toHaveText("2");
    await expect(stopAll.button()).toHaveText("Stop All (2)");

    // The app's server read the rows with the bearer token (its one event socket, shared by every browser
    // stream, was opened before this test's reset: the event above came through it).
    const reads = await platform.requests({ method: "GET" });
    expect(reads.map((r) => r.path)).toEqual(expect.arrayContaining(["/workspaces"]));
    for (const read of reads) expect(read.headers.authorization).toBe(`Bearer ${LIVE_TOKEN}`);
    // Nothing but reads: opening the canvas changes nothing on the platform.
    expect(await platform.requests({ method: "POST" })).toEqual([]);

    // A live build has no mock platform: no service worker, no scenario picker.
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
    await expect(page.getByLabel("Mock scenario")).toHaveCount(0);
    await canvas.expectNoAxeViolations();
  });
});
