import { LIVE_DEADLINE_MS as DEADLINE_MS, LIVE_TOKEN } from "./env";
import { expect, idleOnScreen, rpcMethod, rpcParams, test, type TestPlatform } from "./fixtures";

const BEARER = `Bearer ${LIVE_TOKEN}`;

/** Posts that reached the platform, by workspace and kind. */
async function posts(platform: TestPlatform) {
  const all = await platform.requests({ method: "POST" });
  const of = (id: string, kind: "a2a" | "restart") => all.filter((r) => r.path === `/workspaces/${id}/${kind}`);
  return { all, of };
}

test.describe("live Stop All", () => {
  test("cancels real tasks on real agents through the proxy; both drain; nothing is restarted", async ({ page, platform, canvas, stopAll }) => {
    await page.goto("/");
    await idleOnScreen(canvas, "Reviewer (A2A 0.3)");
    // Started once the page listens: an A2A 0.3 agent cannot list its tasks,
    // so the canvas learns this task's id from the TASK_UPDATED event.
    const reviewTask = await platform.startTask("busy-v03", "review pull request 42");
    await expect(canvas.node("Reviewer (A2A 0.3)")).toContainText("1 active task");
    await expect(stopAll.button()).toHaveText("Stop All (2)");
    const builderTasks = (await platform.tasks("busy-v1")).map((t) => t.id).sort();
    expect(builderTasks).toHaveLength(2);

    const clickedAt = Date.now();
    await stopAll.start();
    await expect(stopAll.summary()).toHaveText(/^Stopped 2 workspaces in \d+\.\d s: 2 drained$/);
    // Drained well before the deadline: the operation ended early.
    expect(Date.now() - clickedAt).toBeLessThan(DEADLINE_MS);
    await expect(stopAll.target("Builder (A2A 1.0)").getByTestId("target-phase")).toHaveText("Drained");
    await expect(stopAll.target("Reviewer (A2A 0.3)").getByTestId("target-phase")).toHaveText("Drained");
    await expect(canvas.count("busy")).toHaveText("0");

    const { all, of } = await posts(platform);
    // Every call went through the proxy with the bearer token the browser never had.
    for (const request of all) expect(request.headers.authorization).toBe(BEARER);
    // The 1.0 agent: its tasks listed, then each cancelled by id with the 1.0 method.
    const builderCalls = of("busy-v1", "a2a");
    expect(builderCalls.map(rpcMethod)).toContain("ListTasks");
    const builderCancels = builderCalls.filter((r) => rpcMethod(r) === "CancelTask");
    expect(builderCancels.map((r) => rpcParams(r).id).sort()).toEqual(builderTasks);
    // The 0.3 agent: one tasks/cancel for the id it announced.
    const reviewerCancels = of("busy-v03", "a2a").filter((r) => rpcMethod(r) === "tasks/cancel");
    expect(reviewerCancels.map((r) => rpcParams(r).id)).toEqual([reviewTask]);

    // The agents' own task stores say canceled; the platform's rows say drained.
    for (const task of await platform.tasks("busy-v1")) expect(task.state).toBe("TASK_STATE_CANCELED");
    expect(await platform.tasks("busy-v03")).toEqual([expect.objectContaining({ id: reviewTask, state: "TASK_STATE_CANCELED" })]);
    const rows = await platform.rows();
    expect([rows.get("busy-v1")?.active_tasks, rows.get("busy-v03")?.active_tasks]).toEqual([0, 0]);

    // No restart at all (both drained), and nothing sent to a workspace that was not a target.
    expect(all.filter((r) => r.path.endsWith("/restart"))).toEqual([]);
    expect(new Set(all.map((r) => r.path.split("/")[2]))).toEqual(new Set(["busy-v1", "busy-v03"]));
  });

  test("an agent that ignores the cancel is restarted exactly once, after the deadline; the one that drained is not", async ({ page, platform, canvas, stopAll }) => {
    test.slow(); // waits out a real deadline (LIVE_DEADLINE_MS)
    await page.goto("/");
    await idleOnScreen(canvas, "Migrator (ignores cancel)");
    await platform.startTask("stubborn-v1", "migrate the orders table");
    await expect(canvas.node("Migrator (ignores cancel)")).toContainText("1 active task");
    await expect(stopAll.button()).toHaveText("Stop All (2)");

    // The page's clock, read just before Enter starts the operation.
    const clickedAt = await stopAll.start();
    await expect(stopAll.target("Builder (A2A 1.0)").getByTestId("target-phase")).toHaveText("Drained");
    // Its cancel call blocks (the SDK waits for the task to end) until the
    // canvas gives up on it; either way it is not settled before the deadline.
    await expect(stopAll.target("Migrator (ignores cancel)").getByTestId("target-phase")).toHaveText(/^(Cancelling|Waiting for drain)$/);
    await expect(page.getByRole("timer", { name: "Time until restart" })).toBeVisible();
    await expect.poll(async () => (await posts(platform)).of("stubborn-v1", "a2a").map(rpcMethod)).toContain("CancelTask");

    await expect(stopAll.summary()).toHaveText(/^Stopped 2 workspaces in \d+\.\d s: 1 drained, 1 restarted$/, { timeout: DEADLINE_MS + 10_000 });
    await expect(stopAll.target("Migrator (ignores cancel)").getByTestId("target-phase")).toHaveText("Restarted");

    const { all, of } = await posts(platform);
    const restarts = all.filter((r) => r.path.endsWith("/restart"));
    expect(restarts.map((r) => r.path)).toEqual(["/workspaces/stubborn-v1/restart"]);
    expect(restarts[0]!.headers.authorization).toBe(BEARER);
    // Not before the deadline (the platform's clock and the page's are this machine's).
    expect(restarts[0]!.at - clickedAt).toBeGreaterThanOrEqual(DEADLINE_MS);
    expect(of("busy-v1", "restart")).toEqual([]);

    // The restart is real: the platform provisioned a fresh agent, whose work is gone.
    await expect.poll(async () => (await platform.rows()).get("stubborn-v1")).toMatchObject({ status: "online", active_tasks: 0 });
    await expect(canvas.node("Migrator (ignores cancel)")).toContainText("0 active tasks");
    // Still exactly one, a while after the operation ended.
    expect((await posts(platform)).all.filter((r) => r.path.endsWith("/restart"))).toHaveLength(1);
  });
});
