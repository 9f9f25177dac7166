import type { RequestLogEntry } from "@/lib/mock/control";
import { expect, test } from "./fixtures";

// The quiet watch (issue 12, item 1) on the rebusy scenario: queued-inbox
// drains 0.5 s after its cancel and gets a queued message on its next
// heartbeat 2 s later; idle-looper drains at 0.8 s and gets an idle prompt
// 5 s after that; stays-quiet drains at 1 s and stays idle.
const cancelledIds = (entries: RequestLogEntry[]) => [...new Set(entries.filter((e) => e.rpcMethod === "CancelTask").map((e) => e.workspaceId))].sort();

test("after the end, a drained workspace that goes busy again is flagged within one event, and Stop these again stops exactly those", async ({ mock, stopAll, canvas, page }) => {
  await mock.open("rebusy", { pause: true });
  await stopAll.start();
  await mock.advance(1500);
  await expect(stopAll.summary()).toHaveText(/^Stopped 3 workspaces in 1\.\d s: 3 drained$/);
  const quiet = page.getByTestId("stop-all-quiet");
  await expect(quiet).toContainText("Watching the stopped workspaces for work that comes back until");
  await expect(page.getByRole("alert").filter({ hasText: "busy again" })).toHaveCount(0);

  // The queued message lands 2 s after the drain (0.5 s after the cancel): one event, and it is flagged.
  await mock.advance(1500);
  await expect(page.getByTestId("busy-again-ws-queued-inbox")).toHaveText("queued-inbox: busy again 2.0 s after it drained: Answer the queued message from ops-bot");
  await expect(canvas.node("queued-inbox").getByTestId("node-stop-phase")).toHaveText("Stop All: busy again 2.0 s after it drained: Answer the queued message from ops-bot");
  await expect(stopAll.target("queued-inbox").getByTestId("target-busy-again")).toContainText("busy again 2.0 s after it drained");
  await mock.advance(3000);
  await expect(page.getByTestId("busy-again-ws-idle-looper")).toHaveText("idle-looper: busy again 5.0 s after it drained: Idle prompt: look for more work");
  await expect(page.getByTestId("busy-again-ws-stays-quiet")).toHaveCount(0);
  await canvas.expectNoAxeViolations();

  await mock.clearRequests();
  await page.getByRole("button", { name: "Stop these again (2)" }).click();
  await expect(stopAll.dialog()).toHaveAccessibleName("Stop 2 busy workspaces?");
  await expect(page.getByTestId("stop-all-scope")).toHaveText("Only the 2 workspaces that became busy again after the last Stop All.");
  await page.keyboard.press("Enter");
  await expect(stopAll.panel()).toBeVisible();
  await expect.poll(async () => cancelledIds(await mock.requests({ kind: "a2a" }))).toEqual(["ws-idle-looper", "ws-queued-inbox"]);
});
