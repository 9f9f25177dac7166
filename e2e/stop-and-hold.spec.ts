import type { RequestLogEntry } from "@/lib/mock/control";
import { expect, test } from "./fixtures";

// Stop and hold, then Resume held (issue 12, items 2 and 3), on the
// hold-faults scenario. Targets: lead-drains (drains 1 s after its cancel)
// with members member-drains (1.5 s) and member-ignores-cancel (still busy at
// the 8 s deadline) and the idle member-idle (not a target); pause-fails-once
// (drains at 0.5 s, its first pause answers 500); drains-at-1s; and
// member-under-idle-lead (1 s) under lead-idle, which nobody holds.
const ids = (entries: RequestLogEntry[]) => entries.filter((e) => e.method === "POST").map((e) => e.workspaceId);

test("stop and hold pauses each target once it drained, the stuck one with its lead at the deadline, each once; Resume held resumes top-down what it paused", async ({ mock, stopAll, canvas, page }) => {
  await mock.open("hold-faults", { pause: true });
  await stopAll.button().click();
  const dialog = stopAll.dialog();
  await expect(dialog).toHaveAccessibleName("Stop 6 busy workspaces?");
  await expect(dialog.getByTestId("stop-all-cascade")).toHaveCount(0);
  await dialog.getByRole("radio", { name: /^Stop and hold/ }).check();
  // A pause cascades: the idle member under the lead is named before anything starts.
  await expect(dialog.getByTestId("stop-all-cascade")).toHaveText(
    "A pause also stops everything below it: 1 workspace that is not busy targets will be paused too: member-idle.",
  );
  await dialog.getByRole("button", { name: "Stop and hold 6 busy workspaces" }).click();
  await expect(stopAll.panel()).toBeVisible();

  await mock.advance(1000);
  await expect(stopAll.target("pause-fails-once").getByTestId("target-phase")).toHaveText("Pause failed");
  await mock.advance(1500);
  // Drained: each paused at once, but the lead waits for the members still draining below it.
  for (const name of ["drains-at-1s", "member-under-idle-lead", "member-drains"]) await expect(stopAll.target(name).getByTestId("target-phase")).toHaveText("Held");
  await expect(stopAll.target("lead-drains").getByTestId("target-phase")).toHaveText("Drained, pausing");
  expect(ids(await mock.requests({ kind: "pause" })).sort()).toEqual(["ws-drains-at-1s", "ws-member-drains", "ws-member-under-idle-lead", "ws-pause-fails-once"]);

  await mock.advance(6000);
  await expect(stopAll.summary()).toHaveText(/^Stopped and held 6 workspaces in 8\.\d s: 4 held, 1 held at the deadline, 1 pause failed$/);
  await expect(stopAll.target("member-ignores-cancel").getByTestId("target-outcome")).toHaveText("did not drain by the deadline: paused with lead-drains");
  await expect(stopAll.target("lead-drains").getByTestId("target-outcome")).toHaveText("drained, then paused, with 2 below it");
  // One pause per workspace; the stuck member's came with its lead's; no restart at all.
  const pauses = ids(await mock.requests({ kind: "pause" }));
  expect(pauses).toHaveLength(5);
  expect(new Set(pauses).size).toBe(5);
  expect(pauses).not.toContain("ws-member-ignores-cancel");
  expect(await mock.requests({ kind: "restart" })).toEqual([]);
  // The lead's pause took its idle member with it (the platform's WORKSPACE_PAUSED reached the canvas).
  await expect(canvas.node("member-idle")).toContainText("paused");

  await page.getByRole("button", { name: "Retry failed (1)" }).click();
  await mock.advance(200);
  await expect(stopAll.summary()).toHaveText(/: 5 held, 1 held at the deadline$/);

  await mock.clearRequests();
  await page.getByRole("button", { name: "Resume held (6)" }).click();
  await mock.advance(500);
  await expect(stopAll.summary()).toHaveText(/; 6 resumed$/);
  // Only the topmost held ones are resumed: the lead's resume brings its members back.
  expect(ids(await mock.requests({ kind: "resume" })).sort()).toEqual(["ws-drains-at-1s", "ws-lead-drains", "ws-member-under-idle-lead", "ws-pause-fails-once"]);
  await expect(stopAll.target("member-drains").getByTestId("target-resume")).toHaveText("resumed with lead-drains");
  await expect(stopAll.target("lead-drains").getByTestId("target-resume")).toHaveText("resumed, with 3 below it");
  await expect(page.getByRole("button", { name: /^Resume held/ })).toHaveCount(0);
  await expect(page.getByTestId("stop-all-resume")).toContainText("Every workspace this Stop All held has been resumed");
  await canvas.expectNoAxeViolations();
});
