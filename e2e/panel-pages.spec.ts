import { expect, test } from "./fixtures";

// The panel renders a large operation's targets a page at a time (50), so
// the seconds its cancels go out do not also build thousands of rows.
test("a 400-target Stop All lists 50 rows at first, each placed among all 400; Show more and scrolling to the end add the rest", async ({ mock, stopAll, canvas, page }) => {
  test.slow(); // the large fleet: 1,000 workspaces
  await mock.open("large");
  await expect(canvas.count("busy")).toHaveText("400");
  await stopAll.start();
  const list = stopAll.panel().getByRole("list", { name: "Stop All targets" });
  const rows = list.getByRole("listitem").filter({ has: page.getByTestId("target-phase") });
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toHaveAttribute("aria-setsize", "400");
  await expect(rows.first()).toHaveAttribute("aria-posinset", "1");
  await expect(rows.last()).toHaveAttribute("aria-posinset", "50");
  const more = list.getByRole("button", { name: /^Show 50 more \(\d+ not shown\)$/ });
  await expect(list.getByRole("button", { name: "Show 50 more (350 not shown)" })).toBeVisible();

  // Scrolling to the end of the list brings the next page, each time, until every row is there.
  await list.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(rows).toHaveCount(100);
  await expect
    .poll(async () => {
      await list.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
      return rows.count();
    })
    .toBe(400);
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
  const rows = list.getByRole("listitem").filter({ has: page.getByTestId("target-phase") });
  await expect(rows).toHaveCount(50);
  await list.getByRole("button", { name: /^Show 50 more \(\d+ not shown\)$/ }).focus();
  // Focus scrolls the button into view, and the end of the list coming near adds a page by itself: wait until it stops.
  let settled = -1;
  await expect
    .poll(
      async () => {
        const now = await rows.count();
        const same = now === settled;
        settled = now;
        return same;
      },
      { intervals: [300] },
    )
    .toBe(true);
  await expect(list.getByRole("button", { name: /^Show 50 more \(\d+ not shown\)$/ })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(settled + 50);
});

// A region that scrolls is a tab stop (a keyboard must be able to scroll it); one that does not is no empty stop.
test("the panel's status and target list are tab stops only while they scroll", async ({ mock, stopAll, canvas, page }) => {
  await mock.open("default", { pause: true });
  await stopAll.start();
  const header = stopAll.panel().getByRole("group", { name: "Stop All status" });
  const list = stopAll.panel().getByRole("list", { name: "Stop All targets" });
  await expect(list.getByRole("listitem")).toHaveCount(4);
  await expect(header).not.toHaveAttribute("tabindex");
  await expect(list).not.toHaveAttribute("tabindex");

  // A short window: the status takes its 60% and scrolls, and so do the four rows under it.
  await page.setViewportSize({ width: 1440, height: 260 });
  await expect(header).toHaveAttribute("tabindex", "0");
  await expect(list).toHaveAttribute("tabindex", "0");
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await expect.poll(async () => {
    await page.keyboard.press("Tab");
    return header.evaluate((element) => element === document.activeElement);
  }, { intervals: [0], timeout: 10_000 }).toBe(true);
  await canvas.expectNoAxeViolations();

  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(header).not.toHaveAttribute("tabindex");
  await expect(list).not.toHaveAttribute("tabindex");
});
