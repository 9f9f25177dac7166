import type { Page } from "@playwright/test";
import type { RequestLogEntry } from "@/lib/mock/control";
import { expect, test, type CanvasPage, type MockPlatform } from "./fixtures";

// Scoped stops (issue 12, item 4): the same operation on the busy ones among
// the canvas selection or a team. The default scenario's busy ones at the
// start: drains-at-1s and drains-at-2s (team platform-lead), drains-at-1500ms
// (research-lead), drains-at-500ms (support-lead); the chatty ones start later.
const cancelled = (entries: RequestLogEntry[]) => [...new Set(entries.filter((e) => e.method === "POST").map((e) => e.workspaceId))].sort();
/**
 * Opens the scenario on a paused clock and moves it on until the canvas has
 * fitted its first view and drawn its nodes: React Flow's viewport change
 * runs on the page clock, after its chunk loaded (in real time).
 */
async function openFitted(mock: MockPlatform, canvas: CanvasPage) {
  await mock.open("default", { pause: true });
  await expect
    .poll(async () => {
      await mock.advance(50);
      return canvas.node("platform-lead").isVisible();
    }, { timeout: 15_000 })
    .toBe(true);
}
const stopButton = (page: Page) => page.getByRole("button", { name: /^Stop (All|selected) \(\d+\)$/ });

test.describe("scoped stops", () => {
  test("click selects one, Shift-click adds; the toolbar names it and only the busy selected ones are stopped", async ({ mock, canvas, stopAll, page }) => {
    await openFitted(mock, canvas);
    await expect(stopButton(page)).toHaveText("Stop All (4)");
    await canvas.node("drains-at-1s").click();
    await expect(stopButton(page)).toHaveText("Stop selected (1)");
    await canvas.node("drains-at-1500ms").click({ modifiers: ["Shift"] });
    await canvas.node("idle-analyst").click({ modifiers: ["Shift"] });
    await expect(stopButton(page)).toHaveText("Stop selected (2)");
    await expect(canvas.node("drains-at-1s")).toHaveAttribute("data-selected", "true");
    // Shift-click again takes one out; a plain click selects only that one.
    await canvas.node("idle-analyst").click({ modifiers: ["Shift"] });
    await expect(canvas.node("idle-analyst")).not.toHaveAttribute("data-selected", "true");

    await stopButton(page).click();
    await expect(stopAll.dialog()).toHaveAccessibleName("Stop 2 busy workspaces?");
    await expect(page.getByTestId("stop-all-scope")).toHaveText("Only the 2 selected workspaces (the busy ones among them).");
    await canvas.expectNoAxeViolations();
    await page.keyboard.press("Enter");
    await expect(stopAll.panel()).toBeVisible();
    await mock.advance(2500);
    await expect(stopAll.summary()).toHaveText(/^Stopped 2 workspaces in [0-2]\.\d s: 2 drained$/);
    expect(cancelled(await mock.requests({ kind: "a2a" }))).toEqual(["ws-drains-at-1500ms", "ws-drains-at-1s"]);
    // Not selected, not asked: still busy.
    await expect(canvas.node("drains-at-2s").getByTestId("active-tasks")).not.toHaveText("0");
  });

  test("a click on the empty canvas clears the selection: the toolbar is Stop All again", async ({ mock, canvas, page }) => {
    await openFitted(mock, canvas);
    await canvas.node("drains-at-2s").click();
    await expect(stopButton(page)).toHaveText("Stop selected (1)");
    const box = (await page.locator(".react-flow__pane").boundingBox())!;
    await page.mouse.click(box.x + box.width - 40, box.y + 40);
    await expect(stopButton(page)).toHaveText("Stop All (4)");
  });

  test("Shift-drag draws a box: what is inside it is selected", async ({ mock, canvas, page }) => {
    await openFitted(mock, canvas);
    const team = ["research-lead", "drains-at-1500ms", "chatty-summarizer", "idle-analyst"];
    const boxes = await Promise.all(team.map(async (name) => (await canvas.node(name).boundingBox())!));
    const left = Math.min(...boxes.map((b) => b.x)) - 10;
    const top = Math.min(...boxes.map((b) => b.y)) - 10;
    const right = Math.max(...boxes.map((b) => b.x + b.width)) + 10;
    const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + 10;
    await page.keyboard.down("Shift");
    await page.mouse.move(left, top);
    await page.mouse.down();
    await page.mouse.move((left + right) / 2, (top + bottom) / 2, { steps: 5 });
    await page.mouse.move(right, bottom, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up("Shift");
    for (const name of team) await expect(canvas.node(name)).toHaveAttribute("data-selected", "true");
    await expect(canvas.node("drains-at-1s")).not.toHaveAttribute("data-selected", "true");
    await expect(stopButton(page)).toHaveText("Stop selected (1)");
  });

  test("a team lead's Stop team stops the busy ones of its team only, and the selection stays", async ({ mock, canvas, stopAll, page }) => {
    await openFitted(mock, canvas);
    await canvas.node("drains-at-500ms").click();
    const stopTeam = page.getByRole("button", { name: "Stop team platform-lead (2 busy)" });
    await stopTeam.focus();
    await page.keyboard.press("Enter");
    await expect(stopAll.dialog()).toHaveAccessibleName("Stop 2 busy workspaces?");
    await expect(page.getByTestId("stop-all-scope")).toHaveText("Only team platform-lead: platform-lead and the 3 workspaces below it (the busy ones among them).");
    await page.keyboard.press("Enter");
    await mock.advance(2500);
    await expect(stopAll.summary()).toHaveText(/^Stopped 2 workspaces in [0-2]\.\d s: 2 drained$/);
    expect(cancelled(await mock.requests({ kind: "a2a" }))).toEqual(["ws-drains-at-1s", "ws-drains-at-2s"]);
    await expect(canvas.node("drains-at-500ms")).toHaveAttribute("data-selected", "true");
    // One operation per fleet: while it ran, and after, the other team's lead offers nothing twice.
    await expect(page.getByRole("button", { name: "Stop team platform-lead (0 busy)" })).toBeDisabled();
  });
});
