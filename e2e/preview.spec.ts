import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import type { StopAllReport } from "@/lib/stop-all/report";
import { expect, test } from "./fixtures";

test.describe("Stop All preview", () => {
  test("every Stop All view side by side, each from its own simulated fleet, with no platform request", async ({ page }) => {
    const platformRequests: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/api/platform")) platformRequests.push(`${request.method()} ${request.url()}`);
    });
    await page.goto("/preview");
    await expect(page.getByRole("heading", { level: 1, name: "Stop All preview" })).toBeVisible();
    const view = (name: string) => page.getByRole("region", { name });

    const confirmation = view("Confirmation");
    await expect(confirmation.getByRole("heading", { name: "Confirmation" })).toBeVisible();
    await expect(confirmation.getByRole("dialog", { name: "Stop 26 busy workspaces?" })).toBeVisible();
    await expect(confirmation.getByRole("button", { name: "Stop 26 busy workspaces" })).toBeVisible();

    const running = view("Running, 3 s after the click");
    await expect(running.getByRole("heading", { name: "Running, 3 s after the click" })).toBeVisible();
    await expect(running.getByRole("timer", { name: "Time until restart" })).toHaveText(/^Restarting undrained workspaces in 5\.\d s$/);
    await expect(running.getByRole("listitem", { name: /^ignores-cancel: / }).getByTestId("target-phase")).toHaveText("Waiting for drain");
    await expect(running.getByTestId("stop-all-summary")).toHaveText("");
    await expect(running.getByRole("article", { name: "Workspace poll-mode" }).getByTestId("node-stop-phase")).toHaveText("Stop All: Waiting for drain");
    await expect(running.getByRole("article", { name: "Workspace drains-at-1s" }).getByTestId("node-stop-phase")).toHaveText("Stop All: Drained");

    const finished = view("Finished on mixed");
    await expect(finished.getByRole("heading", { name: "Finished on mixed" })).toBeVisible();
    await expect(finished.getByTestId("stop-all-summary")).toHaveText(
      /^Stopped 26 workspaces in \d+\.\d s: 3 drained, 19 restarted, 1 already restarting, 2 gone, 1 restart failed$/,
    );

    const failedRestart = view("Finished with a failed restart");
    await expect(failedRestart.getByRole("heading", { name: "Finished with a failed restart" })).toBeVisible();
    await expect(failedRestart.getByTestId("stop-all-summary")).toHaveText(/^Stopped 3 workspaces in 8\.\d s: 2 drained, 1 restart failed$/);
    await expect(failedRestart.getByRole("listitem", { name: /^ignores-cancel: / }).getByTestId("target-phase")).toHaveText("Restart failed");
    await expect(failedRestart.getByRole("button", { name: "Retry failed (1)" })).toBeVisible();

    const held = view("Stopped and held");
    await expect(held.getByRole("heading", { name: "Stopped and held" })).toBeVisible();
    await expect(held.getByTestId("stop-all-summary")).toHaveText(/^Stopped and held 6 workspaces in 8\.\d s: 4 held, 1 held at the deadline, 1 pause failed$/);
    await expect(held.getByRole("listitem", { name: /^member-ignores-cancel: / }).getByTestId("target-outcome")).toHaveText("did not drain by the deadline: paused with lead-drains");
    await expect(held.getByRole("button", { name: "Retry failed (1)" })).toBeVisible();
    await expect(held.getByRole("button", { name: "Resume held (5)" })).toBeVisible();

    await expect(page.getByRole("status").filter({ hasText: /Building|Loading/ })).toHaveCount(0);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
    expect(platformRequests).toEqual([]);
  });

  test("a retry in the failed-restart view is answered by that view's own fleet", async ({ page }) => {
    const platformRequests: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/api/platform")) platformRequests.push(request.url());
    });
    await page.goto("/preview");
    const failedRestart = page.getByRole("region", { name: "Finished with a failed restart" });
    await expect(failedRestart.getByRole("button", { name: "Retry failed (1)" })).toBeVisible();
    await failedRestart.getByRole("button", { name: "Retry failed (1)" }).click();

    // The world answers the retry (500 again): the report shows a second attempt, failed like the first.
    const downloadReport = async (): Promise<StopAllReport> => {
      const download = page.waitForEvent("download");
      await failedRestart.getByRole("button", { name: "Download report" }).click();
      return JSON.parse(await readFile((await (await download).path())!, "utf8")) as StopAllReport;
    };
    await expect(async () => {
      const stuck = (await downloadReport()).targets.find((target) => target.workspaceId === "ws-ignores-cancel");
      expect(stuck).toMatchObject({ phase: "settled", restartAttempts: 2, outcome: { kind: "restart-failed", status: 500 } });
    }).toPass({ timeout: 10_000 });
    await expect(failedRestart.getByRole("button", { name: "Retry failed (1)" })).toBeVisible();
    expect(platformRequests).toEqual([]);
  });
});
