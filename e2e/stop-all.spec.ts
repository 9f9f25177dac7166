import type { RequestLogEntry } from "@/lib/mock/control";
import { expect, test } from "./fixtures";

const DEADLINE_MS = 8000;
const ids = (entries: RequestLogEntry[]) => [...new Set(entries.map((e) => e.workspaceId))].sort();
const posts = (entries: RequestLogEntry[]) => entries.filter((e) => e.method === "POST");

test.describe("Stop All", () => {
  test("default: every busy workspace drains, the operation ends early, no restart is sent", async ({ mock, stopAll, canvas }) => {
    await mock.open("default", { pause: true });
    await expect(stopAll.button()).toHaveText("Stop All (4)");
    await stopAll.start();
    await mock.advance(3000);
    await expect(stopAll.summary()).toHaveText(/^Stopped 4 workspaces in [0-2]\.\d s: 4 drained$/);
    const requests = posts(await mock.requests());
    expect(requests.filter((r) => r.path.endsWith("/restart"))).toEqual([]);
    expect(ids(requests)).toEqual(["ws-drains-at-1500ms", "ws-drains-at-1s", "ws-drains-at-2s", "ws-drains-at-500ms"]);
    expect(requests.filter((r) => r.rpcMethod === "CancelTask").length).toBe(5);
    await expect(canvas.node("drains-at-2s").getByTestId("node-stop-phase")).toHaveText("Stop All: Drained");
    await canvas.expectNoAxeViolations();
  });

  test("stuck: exactly one restart, to the stuck workspace, not before the deadline", async ({ mock, stopAll }) => {
    await mock.open("stuck", { pause: true });
    const clickedAt = await stopAll.start();
    await mock.advance(DEADLINE_MS - 200);
    expect(await mock.requests({ kind: "restart" })).toEqual([]);
    await expect(stopAll.target("ignores-cancel")).toContainText("Waiting for drain");
    await expect(stopAll.page.getByRole("timer", { name: "Time until restart" })).toBeVisible();
    await mock.advance(400);
    const restarts = await mock.requests({ kind: "restart" });
    expect(restarts.map((r) => r.workspaceId)).toEqual(["ws-ignores-cancel"]);
    expect(restarts[0]!.at - clickedAt).toBeGreaterThanOrEqual(DEADLINE_MS);
    await mock.advance(4000);
    await expect(stopAll.summary()).toHaveText(/^Stopped 3 workspaces in 8\.\d s: 2 drained, 1 restarted$/);
    expect(await mock.requests({ kind: "restart" })).toHaveLength(1);
  });

  test("slow-drain: a drain just before the deadline means no restart", async ({ mock, stopAll }) => {
    await mock.open("slow-drain", { pause: true });
    await stopAll.start();
    await mock.advance(DEADLINE_MS + 2000);
    await expect(stopAll.summary()).toHaveText(/^Stopped 2 workspaces in 7\.\d s: 2 drained$/);
    expect(await mock.requests({ kind: "restart" })).toEqual([]);
  });

  test("mixed: each platform answer ends in the outcome the table gives", async ({ mock, stopAll, canvas }) => {
    test.slow(); // 26 targets, ~15 s of page time in 50 ms steps, then axe over the whole page
    await mock.open("mixed", { pause: true });
    // Let the A2A 0.3 agents report progress once, so the canvas knows their task ids.
    await mock.advance(2500);
    await stopAll.start();
    await mock.advance(DEADLINE_MS + 4000);
    await expect(stopAll.summary()).toHaveText(/^Stopped 26 workspaces in .* s: 3 drained, 19 restarted, 1 already restarting, 2 gone, 1 restart failed$/);

    const expectOutcome = async (name: string, label: string) => expect(stopAll.target(name).getByTestId("target-phase")).toHaveText(label);
    await expectOutcome("drains-at-1s", "Drained");
    await expectOutcome("a2a-0-3-drains-at-1s", "Drained");
    await expectOutcome("card-1-0-answers-0-3", "Drained");
    await expectOutcome("answers-503-restarting", "Already restarting");
    await expectOutcome("answers-404", "Gone");
    await expectOutcome("removed-mid-stop", "Gone");
    await expectOutcome("restart-fails-500", "Restart failed");
    await expectOutcome("ignores-cancel", "Restarted");
    await expectOutcome("poll-mode", "Restarted");
    await expect(stopAll.target("poll-mode").getByTestId("target-finding")).toHaveText(/queued for a polling agent/);
    await expect(stopAll.target("answers-202-queued").getByTestId("target-finding")).toHaveText(/queued behind/);
    await expect(stopAll.target("a2a-0-3-drains-at-1s").getByTestId("target-finding")).toHaveText("cancel delivered for 1 task");

    const requests = posts(await mock.requests());
    expect(requests.filter((r) => r.workspaceId === "ws-hibernated-stale-tasks")).toEqual([]);
    expect(requests.filter((r) => r.workspaceId === "ws-idle" || r.workspaceId?.endsWith("-lead"))).toEqual([]);
    const restarts = requests.filter((r) => r.path.endsWith("/restart"));
    expect(restarts.map((r) => r.workspaceId)).not.toContain("ws-drains-at-1s");
    expect(restarts.map((r) => r.workspaceId)).not.toContain("ws-answers-503-restarting");
    expect(new Set(restarts.map((r) => r.workspaceId)).size).toBe(restarts.length);
    expect(requests.filter((r) => r.rpcMethod === "tasks/cancel" && r.workspaceId === "ws-a2a-0-3-drains-at-1s")).toHaveLength(1);
    await canvas.expectNoAxeViolations();
  });

  test("restart now: the operator restarts the undrained before the deadline", async ({ mock, stopAll }) => {
    await mock.open("stuck", { pause: true });
    const clickedAt = await stopAll.start();
    await mock.advance(3000);
    await stopAll.panel().getByRole("button", { name: "Restart undrained now" }).click();
    await mock.advance(500);
    const restarts = await mock.requests({ kind: "restart" });
    expect(restarts.map((r) => r.workspaceId)).toEqual(["ws-ignores-cancel"]);
    expect(restarts[0]!.at - clickedAt).toBeLessThan(DEADLINE_MS);
    await mock.advance(DEADLINE_MS);
    expect(await mock.requests({ kind: "restart" })).toHaveLength(1);
    await expect(stopAll.target("ignores-cancel")).toContainText("restarted on request");
  });

  test("don't restart: a kept workspace gets no restart at the deadline", async ({ mock, stopAll }) => {
    await mock.open("stuck", { pause: true });
    await stopAll.start();
    await mock.advance(2500);
    await stopAll.panel().getByRole("button", { name: "Don't restart ignores-cancel" }).click();
    await mock.advance(DEADLINE_MS);
    await expect(stopAll.summary()).toHaveText(/2 drained, 1 kept$/);
    expect(await mock.requests({ kind: "restart" })).toEqual([]);
  });

  test("don't restart any: nothing is restarted", async ({ mock, stopAll }) => {
    await mock.open("stuck", { pause: true });
    await stopAll.start();
    await mock.advance(500);
    await stopAll.panel().getByRole("button", { name: "Don't restart any" }).click();
    await mock.advance(DEADLINE_MS + 1000);
    await expect(stopAll.summary()).toHaveText(/kept/);
    expect(await mock.requests({ kind: "restart" })).toEqual([]);
  });

  test("retry failed: a failed restart can be retried once the platform accepts it", async ({ mock, stopAll }) => {
    await mock.open("mixed", { pause: true });
    await stopAll.start();
    await mock.advance(DEADLINE_MS + 3000);
    await expect(stopAll.target("restart-fails-500")).toContainText("restart failed (HTTP 500)");
    await mock.setBehaviour("ws-restart-fails-500", { restart: { kind: "ok", restartMs: 1000 } });
    await stopAll.panel().getByRole("button", { name: "Retry failed (1)" }).click();
    await mock.advance(500);
    await expect(stopAll.target("restart-fails-500").getByTestId("target-phase")).toHaveText("Restarted");
    expect(await mock.requests({ kind: "restart", workspaceId: "ws-restart-fails-500" })).toHaveLength(2);
    await expect(stopAll.panel().getByRole("button", { name: /Retry failed/ })).toHaveCount(0);
  });

  test("the report downloads as JSON with every target's outcome", async ({ page, mock, stopAll }) => {
    await mock.open("stuck", { pause: true });
    await stopAll.start();
    await mock.advance(DEADLINE_MS + 4000);
    await expect(stopAll.summary()).toHaveText(/^Stopped 3 workspaces/);
    const download = page.waitForEvent("download");
    await stopAll.panel().getByRole("button", { name: "Download report" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^stop-all-.*\.json$/);
    const report = JSON.parse(await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8")));
    expect(report.counts).toMatchObject({ drained: 2, restarted: 1, pending: 0 });
    const stuck = report.targets.find((t: { workspaceId: string }) => t.workspaceId === "ws-ignores-cancel");
    expect(stuck.outcome).toEqual({ kind: "restarted", trigger: "deadline" });
    expect(stuck.times.restartSentAt).toBeGreaterThanOrEqual(DEADLINE_MS);
  });

  test("keyboard: Escape cancels, Enter confirms, repeated keys start one operation", async ({ page, mock, stopAll }) => {
    await mock.open("stuck", { pause: true });
    await stopAll.button().focus();
    await page.keyboard.press("Enter");
    await expect(stopAll.dialog()).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(stopAll.dialog()).toBeHidden();
    await mock.advance(200);
    expect(posts(await mock.requests())).toEqual([]);

    await stopAll.button().focus();
    await page.keyboard.press("Enter");
    await expect(stopAll.dialog()).toBeVisible();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await expect(stopAll.button()).toBeDisabled();
    await mock.advance(1000);
    const listings = (await mock.requests({ kind: "a2a" })).filter((r) => r.rpcMethod === "ListTasks");
    expect(listings.map((r) => r.workspaceId).sort()).toEqual(["ws-drains-at-1s", "ws-drains-at-2s", "ws-ignores-cancel"]);
  });
});
