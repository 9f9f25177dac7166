import { expect, test } from "./fixtures";

// The panel renders a large operation's targets a page at a time (200), so
// the seconds its cancels go out do not also build thousands of rows.
test("a 400-target Stop All lists 200 rows at first, each placed among all 400; Show more and scrolling to the end add the rest", async ({ mock, stopAll, canvas, page }) => {
  test.slow(); // the large fleet: 1,000 workspaces
  await mock.open("large");
  await expect(canvas.count("busy")).toHaveText("400");
  await stopAll.start();
  const list = stopAll.panel().getByRole("list", { name: "Stop All targets" });
  const rows = list.getByRole("listitem").filter({ has: page.getByTestId("target-phase") });
  await expect(rows).toHaveCount(200);
  await expect(rows.first()).toHaveAttribute("aria-setsize", "400");
  await expect(rows.first()).toHaveAttribute("aria-posinset", "1");
  await expect(rows.last()).toHaveAttribute("aria-posinset", "200");
  const more = list.getByRole("button", { name: "Show 200 more (200 not shown)" });
  await expect(more).toBeVisible();

  // Scrolling to the end of the list brings the next page.
  await list.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(rows).toHaveCount(400);
  await expect(more).toHaveCount(0);
  await expect(stopAll.summary()).toHaveText(/^Stopped 400 workspaces in \d+\.\d s: 400 drained$/, { timeout: 20_000 });
  await canvas.expectNoAxeViolations();
});

test("Show more, by keyboard, adds the next page", async ({ mock, stopAll, canvas, page }) => {
  test.slow();
  await mock.open("large");
  await expect(canvas.count("busy")).toHaveText("400");
  await stopAll.start();
  const list = stopAll.panel().getByRole("list", { name: "Stop All targets" });
  const more = list.getByRole("button", { name: "Show 200 more (200 not shown)" });
  await more.focus();
  await page.keyboard.press("Enter");
  await expect(list.getByRole("listitem").filter({ has: page.getByTestId("target-phase") })).toHaveCount(400);
});
