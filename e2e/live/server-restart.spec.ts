import { LIVE_DEADLINE_MS } from "./env";
import { expect, idleOnScreen, restartsOf, rpcMethod, StopAllServer, test, type TestPlatform } from "./fixtures";

/** A canvas server of its own, so killing it leaves the shared live app alone. */
const OWN_APP_PORT = Number(process.env.E2E_LIVE_EXTRA_PORT ?? 3210);
/** When the server dies: 3 s into the default 8 s deadline, the same share of this build's. */
const KILL_AFTER_MS = (LIVE_DEADLINE_MS * 3) / 8;

/** The phase-1 calls (listings and cancels) that reached the platform, by workspace and JSON-RPC method. */
async function phase1Calls(platform: TestPlatform): Promise<string[]> {
  const calls = await platform.requests({ method: "POST", path: /^\/workspaces\/[^/]+\/a2a$/ });
  return calls.map((r) => `${r.path.split("/")[2]} ${rpcMethod(r)}`).sort();
}

test.describe("a canvas server that dies during Stop All", () => {
  test("killed with SIGKILL during the operation and started again: it resumes, restarts the stuck workspace once at the deadline, and sends no cancel twice", async ({
    page,
    platform,
    canvas,
    stopAll,
    launchApp,
  }) => {
    test.slow(); // two server boots and a real deadline
    const app = await launchApp(OWN_APP_PORT);
    const server = new StopAllServer(app.url);
    await page.goto(app.url);
    await idleOnScreen(canvas, "Migrator (ignores cancel)");
    await platform.startTask("stubborn-v1", "migrate the orders table");
    await expect(canvas.node("Migrator (ignores cancel)")).toContainText("1 active task");
    await expect(stopAll.button()).toHaveText("Stop All (2)");

    const { status, operation } = await stopAll.startOperation();
    expect(status).toBe(201);
    await expect(stopAll.target("Builder (A2A 1.0)").getByTestId("target-phase")).toHaveText("Drained");
    await expect.poll(async () => (await platform.requests({ method: "POST", path: "/workspaces/stubborn-v1/a2a" })).map(rpcMethod)).toContain("CancelTask");

    // The server dies mid-operation, before its deadline: no restart has gone out.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, operation.startedAt + KILL_AFTER_MS - Date.now())));
    const killedAt = await app.kill();
    expect(killedAt).toBeLessThan(operation.state.deadlineAt);
    expect(await restartsOf(platform, "stubborn-v1")).toEqual([]);
    const sentBeforeTheKill = await phase1Calls(platform);
    expect(sentBeforeTheKill).toEqual(expect.arrayContaining(["busy-v1 ListTasks", "busy-v1 CancelTask", "stubborn-v1 ListTasks", "stubborn-v1 CancelTask"]));

    // Started again on the same port and journal, it carries the operation on by itself.
    await app.start();
    await expect.poll(async () => (await restartsOf(platform, "stubborn-v1")).length, { timeout: LIVE_DEADLINE_MS + 10_000 }).toBe(1);
    const [restart] = await restartsOf(platform, "stubborn-v1");
    expect(restart!.at).toBeGreaterThanOrEqual(operation.state.deadlineAt);
    const finished = await server.finished(operation.id);
    expect(finished.state.targets.map((target) => [target.workspaceId, target.phase.kind === "settled" ? target.phase.outcome.kind : target.phase.kind])).toEqual([
      ["busy-v1", "drained"],
      ["stubborn-v1", "restarted"],
    ]);

    // The page, whose event stream reconnected to the new process, shows how it ended.
    await expect(stopAll.summary()).toHaveText(/^Stopped 2 workspaces in \d+\.\d s: 1 drained, 1 restarted$/);
    await expect(stopAll.target("Migrator (ignores cancel)").getByTestId("target-phase")).toHaveText("Restarted");

    // One operation, one restart, and no listing or cancel sent again, once the Migrator is back online.
    await expect.poll(async () => (await platform.rows()).get("stubborn-v1")).toMatchObject({ status: "online", active_tasks: 0 });
    expect(await server.history()).toEqual([expect.objectContaining({ id: operation.id, phase: "finished" })]);
    expect((await platform.requests({ method: "POST", path: /\/restart$/ })).map((r) => r.path)).toEqual(["/workspaces/stubborn-v1/restart"]);
    expect(await phase1Calls(platform)).toEqual(sentBeforeTheKill);
  });
});
