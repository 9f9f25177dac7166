import { scenarioNames, scenarios } from "@/lib/mock/scenarios";
import { createFleetSimulation } from "@/lib/mock/sim";
import { parseWorkspaceRows } from "@/lib/platform/parse-rows";
import { isStopTarget } from "@/lib/platform/workspace";
import { FakeClock } from "@/lib/time/fake-clock";
import { expect, test } from "./fixtures";

test.describe("the canvas", () => {
  test("renders every workspace of the default fleet with counts and a live connection", async ({ mock, canvas }) => {
    await mock.open("default");
    await expect(canvas.count("workspaces")).toHaveText("12");
    await expect(canvas.count("busy")).toHaveText("4");
    await expect(canvas.count("offline")).toHaveText("0");
    await expect(canvas.connection()).toHaveAccessibleName("Live connection: Live");
    const node = canvas.node("drains-at-2s");
    await expect(node).toContainText("2 active tasks");
    await expect(node).toContainText("online");
    await expect(canvas.node("paused-writer")).toContainText("paused");
    await canvas.expectNoAxeViolations();
  });

  test("live events move the counts", async ({ mock, canvas }) => {
    await mock.open("default", { pause: true });
    await expect(canvas.count("busy")).toHaveText("4");
    // Chatty workspaces pick up short tasks a few seconds in: only events tell the canvas.
    await mock.advance(6000);
    await expect(canvas.count("busy")).not.toHaveText("4");
    const requestsForRows = await mock.requests({ kind: "workspaces" });
    expect(requestsForRows.length).toBeLessThanOrEqual(2);
  });

  test("without live events it polls and still updates", async ({ mock, canvas }) => {
    await mock.open("no-live-events", { pause: true });
    // The stream's 503 comes after the mock's latency, on the paused clock.
    await mock.advance(500);
    await expect(canvas.connection()).toHaveAccessibleName(/polling/);
    const before = (await mock.requests({ kind: "workspaces" })).length;
    await mock.advance(7000);
    expect((await mock.requests({ kind: "workspaces" })).length).toBeGreaterThan(before + 1);
    await expect(canvas.count("busy")).not.toHaveText("4");
  });

  test("shows a clear error when the platform is down and recovers on retry", async ({ page, mock }) => {
    await mock.open("platform-down");
    const alert = page.getByRole("alert").filter({ hasText: "The platform cannot be reached" });
    await expect(alert).toContainText("503");
    await mock.setPlatformDown(false);
    await alert.getByRole("button", { name: "Retry" }).click();
    await expect(page.getByRole("article", { name: "Workspace drains-at-1s" })).toBeVisible();
  });

  test("an empty fleet says so and offers nothing to stop", async ({ page, mock, canvas }) => {
    await mock.open("empty");
    await expect(page.getByText("No workspaces yet")).toBeVisible();
    await expect(page.getByRole("button", { name: "Stop All (0)" })).toBeDisabled();
    await canvas.expectNoAxeViolations();
  });

  test("hostile names stay inert text and bad rows are dropped with a warning", async ({ page, mock, canvas }) => {
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await mock.open("hostile");
    await expect(canvas.node("<img src=x onerror=alert(1)>")).toBeVisible();
    await expect(canvas.node(`"><script>alert(document.cookie)</script>`)).toBeVisible();
    expect(await page.locator("main img, main script").count()).toBe(0);
    const warning = page.getByRole("alert").filter({ hasText: "dropped because the platform sent invalid data" });
    await expect(warning).toBeVisible();
    await warning.locator("summary").click();
    await expect(warning).toContainText("duplicate id");
    await expect(warning).toContainText("active_tasks");
    expect(dialogs).toEqual([]);
  });

  test("the scenario picker switches scenarios", async ({ page, mock, canvas }) => {
    await mock.open("default");
    await page.getByLabel("Mock scenario").selectOption("stuck");
    await expect(page).toHaveURL(/scenario=stuck/);
    await expect(canvas.node("ignores-cancel")).toBeVisible();
    await expect(canvas.count("workspaces")).toHaveText("5");
  });

  test("the large fleet renders and counts 1,000 workspaces", async ({ mock, canvas }) => {
    await mock.open("large");
    await expect(canvas.count("workspaces")).toHaveText("1000");
    await expect(canvas.count("busy")).toHaveText("400");
  });

  test("a canvas chunk that fails to load says so; the toolbar and Stop All still work", async ({ page, mock, canvas }) => {
    // React Flow's chunk is the only script with its class names; fail it, pass the rest.
    await page.context().route(/\/_next\/static\/chunks\/.*\.js$/, async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      if (body.includes("react-flow__renderer")) return route.abort("failed");
      return route.fulfill({ response, body });
    });
    await mock.open("default");
    await expect(page.getByRole("alert").filter({ hasText: "The canvas could not load" })).toBeVisible();
    await expect(canvas.count("busy")).toHaveText("4");
    await expect(page.getByRole("button", { name: "Stop All (4)" })).toBeEnabled();
  });
});

test.describe("every scenario renders", () => {
  // What the canvas should show: every row of the scenario that passes validation.
  const expected = (name: string) => {
    const sim = createFleetSimulation({ scenario: scenarios[name]!, clock: new FakeClock() });
    const parsed = parseWorkspaceRows(sim.listRows());
    sim.dispose();
    return { workspaces: parsed.workspaces.length, busy: parsed.workspaces.filter(isStopTarget).length };
  };

  for (const name of scenarioNames.filter((n) => n !== "platform-down" && n !== "empty")) {
    test(`${name}: every valid workspace is on the canvas, with the busy count`, async ({ page, mock, canvas }) => {
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await mock.open(name, { pause: true });
      const { workspaces, busy } = expected(name);
      await expect(canvas.count("workspaces")).toHaveText(String(workspaces));
      await expect(canvas.count("busy")).toHaveText(String(busy));
      await expect(page.getByRole("button", { name: `Stop All (${busy})` })).toBeVisible();
      expect(errors).toEqual([]);
    });
  }
});
