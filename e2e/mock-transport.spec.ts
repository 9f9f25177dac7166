import { expect, test } from "./fixtures";

test.describe("the mock platform's two ways in", () => {
  test("the app's requests are answered in the page; a fetch from the page still goes through the service worker, to the same simulation", async ({
    page,
    mock,
    canvas,
  }) => {
    const onTheNetwork: string[] = [];
    page.on("request", (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith("/api/platform/") && pathname !== "/api/platform/events") onTheNetwork.push(`${request.method()} ${pathname}`);
    });
    await mock.open("stuck", { pause: true });
    await expect(canvas.count("workspaces")).toHaveText("5");
    // The canvas's rows came from the simulation (its log has the request) without a network request.
    expect(await mock.requests({ kind: "workspaces" })).not.toEqual([]);
    expect(onTheNetwork).toEqual([]);
    // The event stream's request is logged when it connects; let it land before the log is cleared.
    await expect(canvas.connection()).toHaveAccessibleName("Live connection: Live");

    await mock.clearRequests();
    const answered = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/platform/workspaces");
    const fetched = page.evaluate(async () => {
      const response = await fetch("/api/platform/workspaces");
      return { status: response.status, rows: (await response.json()) as Array<{ name: string }> };
    });
    // The service worker's answer waits out the scenario's latency on the paused page clock.
    await expect.poll(() => mock.requests()).toHaveLength(1);
    await mock.advance(100);
    const { status, rows } = await fetched;

    expect((await answered).fromServiceWorker()).toBe(true);
    expect(onTheNetwork).toEqual(["GET /api/platform/workspaces"]);
    expect(status).toBe(200);
    expect(rows).toHaveLength(5);
    for (const { name } of rows) await expect(canvas.node(name)).toBeVisible();
    // Logged by the same simulation whose log holds the app's own requests.
    expect(await mock.requests()).toEqual([{ at: expect.any(Number), method: "GET", path: "/api/platform/workspaces", status: 200 }]);
  });

  test("window.__fleetMock.fetch sends as the app does: answered in the page, from the same simulation", async ({ page, mock, canvas }) => {
    const onTheNetwork: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.endsWith("/restart")) onTheNetwork.push(request.url());
    });
    await mock.open("stuck");
    // The event stream's request is logged when it connects; let it land before the log is cleared.
    await expect(canvas.connection()).toHaveAccessibleName("Live connection: Live");
    await mock.clearRequests();
    const status = await page.evaluate(async () => (await window.__fleetMock!.fetch!("/api/platform/workspaces/ws-ignores-cancel/restart", { method: "POST" })).status);
    expect(status).toBe(200);
    expect(onTheNetwork).toEqual([]);
    expect(await mock.requests()).toEqual([expect.objectContaining({ method: "POST", path: "/api/platform/workspaces/ws-ignores-cancel/restart", status: 200 })]);
  });
});
