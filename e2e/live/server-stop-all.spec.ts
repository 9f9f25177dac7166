import { readFile } from "node:fs/promises";
import type { StopAllReport } from "../../lib/stop-all/report";
import { LIVE_APP_URL, LIVE_DEADLINE_MS, LIVE_TOKEN } from "./env";
import { expect, idleOnScreen, LiveStopAllUi, migratorStuck, restartsOf, rpcMethod, test } from "./fixtures";

/** What the panel says once the Builder drained and the Migrator (which ignores cancels) was restarted. */
const DRAINED_AND_RESTARTED = /^Stopped 2 workspaces in \d+\.\d s: 1 drained, 1 restarted$/;
/** Long enough for a real deadline, its restart and the panel to catch up. */
const PAST_THE_DEADLINE = { timeout: LIVE_DEADLINE_MS + 10_000 };

test.describe("Stop All run by the canvas server", () => {
  test("two operators press Stop All at the same moment: one operation, both see who started it, the stuck workspace is restarted once at the deadline", async ({
    platform,
    operator,
    stopAllServer,
  }) => {
    test.slow(); // waits out a real deadline
    const ada = await operator("ada@example.com");
    const grace = await operator("grace@example.com");
    await migratorStuck(platform, [ada, grace]);
    const starts: number[] = [];
    for (const { page } of [ada, grace]) page.on("response", (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/stop-all" && starts.push(r.status()));

    // Both confirmations open, then Enter in both at once.
    const since = Date.now();
    await Promise.all([ada.stopAll.open(), grace.stopAll.open()]);
    await Promise.all([ada.page.keyboard.press("Enter"), grace.page.keyboard.press("Enter")]);

    // One operation: whoever's request came first started it, the other joined it.
    await expect.poll(async () => (await stopAllServer.startedSince(since)).length).toBe(1);
    const [operation] = await stopAllServer.startedSince(since);
    expect([ada.email, grace.email]).toContain(operation!.actor);
    const winner = operation!.actor;
    const loser = winner === ada.email ? grace : ada;
    // Both see it live: who started it, the countdown, each target's phase.
    for (const { stopAll, page } of [ada, grace]) {
      await expect(stopAll.byline()).toContainText(`Started by ${winner}, `);
      await expect(page.getByRole("timer", { name: "Time until restart" })).toBeVisible();
      await expect(stopAll.target("Builder (A2A 1.0)").getByTestId("target-phase")).toHaveText("Drained");
      await expect(stopAll.target("Migrator (ignores cancel)").getByTestId("target-phase")).toHaveText(/^(Cancelling|Waiting for drain)$/);
    }
    await expect(loser.stopAll.byline()).not.toContainText(loser.email);
    // The loser's start was refused with the running one (409), unless its page had already discovered it and sent none.
    expect(starts.filter((status) => status !== 409)).toEqual([201]);
    expect(starts.length).toBeLessThanOrEqual(2);

    // The Migrator ignores its cancel: one restart, at the deadline, not before.
    await expect.poll(async () => (await restartsOf(platform, "stubborn-v1")).length, PAST_THE_DEADLINE).toBe(1);
    const finished = await stopAllServer.finished(operation!.id);
    expect(finished.state.deadlineAt - finished.state.startedAt).toBe(LIVE_DEADLINE_MS);
    const [restart] = await restartsOf(platform, "stubborn-v1");
    expect(restart!.at).toBeGreaterThanOrEqual(finished.state.deadlineAt);
    for (const { stopAll } of [ada, grace]) {
      await expect(stopAll.summary()).toHaveText(DRAINED_AND_RESTARTED);
      await expect(stopAll.target("Migrator (ignores cancel)").getByTestId("target-phase")).toHaveText("Restarted");
    }

    // Still one operation and one restart, once the Migrator is back online; nothing else restarted.
    await expect.poll(async () => (await platform.rows()).get("stubborn-v1")).toMatchObject({ status: "online", active_tasks: 0 });
    expect(await stopAllServer.startedSince(since)).toHaveLength(1);
    expect((await platform.requests({ method: "POST", path: /\/restart$/ })).map((r) => r.path)).toEqual(["/workspaces/stubborn-v1/restart"]);
  });

  test("the tab that started it closes long before the deadline: the restart still goes out at the deadline, and a page opened later shows the report", async ({
    page,
    context,
    platform,
    canvas,
    stopAll,
    stopAllServer,
  }) => {
    test.slow(); // waits out a real deadline
    await migratorStuck(platform, [{ page, canvas, stopAll }]);
    const { operation } = await stopAll.startOperation();
    await expect(stopAll.target("Builder (A2A 1.0)").getByTestId("target-phase")).toHaveText("Drained");
    await expect.poll(async () => (await platform.requests({ method: "POST", path: "/workspaces/stubborn-v1/a2a" })).map(rpcMethod)).toContain("CancelTask");

    // The only tab goes away once the cancels are out, long before the deadline: nobody watches the operation any more.
    await page.close();
    expect(Date.now()).toBeLessThan(operation.state.deadlineAt - 1000);
    expect(context.pages()).toEqual([]);

    // The server keeps the deadline on its own.
    await expect.poll(async () => (await restartsOf(platform, "stubborn-v1")).length, PAST_THE_DEADLINE).toBe(1);
    const [restart] = await restartsOf(platform, "stubborn-v1");
    expect(restart!.at).toBeGreaterThanOrEqual(operation.state.deadlineAt);
    await stopAllServer.finished(operation.id);

    // A page opened afterwards shows how it ended.
    const later = await context.newPage();
    await later.goto("/");
    const laterStopAll = new LiveStopAllUi(later);
    await expect(laterStopAll.summary()).toHaveText(DRAINED_AND_RESTARTED);
    await expect(laterStopAll.target("Builder (A2A 1.0)").getByTestId("target-phase")).toHaveText("Drained");
    await expect(laterStopAll.target("Migrator (ignores cancel)").getByTestId("target-phase")).toHaveText("Restarted");
    await expect(laterStopAll.byline()).toContainText("Started by anonymous, ");
    expect(await restartsOf(platform, "stubborn-v1")).toHaveLength(1);
  });

  test("who started it and why: the byline, another operator's view, the history and the report", async ({ platform, operator, stopAllServer }) => {
    const grace = await operator("grace@example.com");
    await grace.page.goto("/");
    await expect(grace.canvas.connection()).toHaveAccessibleName("Live connection: Live");
    await expect(grace.stopAll.button()).toHaveText("Stop All (1)");

    // The confirmation names this deployment's deadline and asks for a reason.
    await grace.stopAll.open({ reason: "  agents looping on the billing repo  " });
    await expect(grace.stopAll.dialog()).toContainText(`those still busy after ${LIVE_DEADLINE_MS / 1000} s are restarted`);
    const { status, operation } = await grace.stopAll.confirm();
    expect(status).toBe(201);
    await expect(grace.stopAll.byline()).toContainText(/^Started by grace@example\.com, (just now|\d+ s ago)/);
    await expect(grace.stopAll.reason()).toHaveText("Reason: agents looping on the billing repo");
    await expect(grace.stopAll.summary()).toHaveText(/^Stopped 1 workspace in \d+\.\d s: 1 drained$/);

    // Another operator who opens the canvas afterwards sees who did it and why.
    const ada = await operator("ada@example.com");
    await ada.page.goto("/");
    await expect(ada.stopAll.byline()).toContainText("Started by grace@example.com, ");
    await expect(ada.stopAll.reason()).toHaveText("Reason: agents looping on the billing repo");
    await expect(ada.stopAll.summary()).toHaveText(/^Stopped 1 workspace in \d+\.\d s: 1 drained$/);

    // The history, as the page reads it, and as Recent operations shows it.
    const history = (await grace.page.evaluate(() => fetch("/api/stop-all").then((r) => r.json()))) as { id: string }[];
    expect(history[0]).toMatchObject({
      id: operation.id,
      actor: "grace@example.com",
      reason: "agents looping on the billing repo",
      phase: "finished",
      targets: 1,
      summary: expect.stringMatching(/: 1 drained$/),
    });
    expect(await stopAllServer.view(operation.id)).toMatchObject({ actor: "grace@example.com", reason: "agents looping on the billing repo" });
    await ada.page.getByRole("button", { name: "Recent operations" }).click();
    const newest = ada.page.getByRole("list", { name: "Recent Stop All operations" }).getByRole("listitem").first();
    await expect(newest).toContainText("grace@example.com");
    await expect(newest).toContainText("Reason: agents looping on the billing repo");
    await expect(newest).toContainText(/Stopped 1 workspace in \d+\.\d s: 1 drained/);
    await ada.page.keyboard.press("Escape");

    // The report the panel downloads.
    const download = grace.page.waitForEvent("download");
    await grace.stopAll.panel().getByRole("button", { name: "Download report" }).click();
    const report = JSON.parse(await readFile((await (await download).path())!, "utf8")) as StopAllReport;
    expect(report.summary).toBe(await grace.stopAll.summary().textContent());
    expect(report.deadlineMs).toBe(LIVE_DEADLINE_MS);
    expect(report.counts).toMatchObject({ drained: 1, pending: 0 });
    expect(report.targets.map((target) => [target.workspaceId, target.outcome?.kind])).toEqual([["busy-v1", "drained"]]);
    expect(report.operation).toMatchObject({ id: operation.id, actor: "grace@example.com", reason: "agents looping on the billing repo", actions: [] });
    expect(await platform.requests({ method: "POST", path: /\/restart$/ })).toEqual([]);
  });

  test("the token reaches nothing the browser gets while the server runs a Stop All, its event stream included", async ({ page, platform, canvas, stopAll, network }) => {
    test.slow(); // waits out a real deadline
    await migratorStuck(platform, [{ page, canvas, stopAll }]);
    const { operation } = await stopAll.startOperation();
    // Cancels, a drain, the deadline, a restart and its answer: everything an operation sends comes through the stream.
    await expect(stopAll.summary()).toHaveText(DRAINED_AND_RESTARTED, PAST_THE_DEADLINE);
    const [restart] = await restartsOf(platform, "stubborn-v1");
    expect(restart!.headers.authorization).toBe(`Bearer ${LIVE_TOKEN}`);

    // The browser did read the operation's stream (opened after the start's answer, so events only, no snapshot), the restart among them…
    const stream = network.eventStreamMessages.filter((message) => new URL(message.url).pathname === `/api/stop-all/${operation.id}/events`);
    expect(stream.map((message) => message.event)).toContain("op");
    expect(stream.filter((message) => !["snapshot", "op", "progress"].includes(message.event))).toEqual([]);
    expect(stream.some((message) => message.event === "op" && message.data.includes('"restart-sent"'))).toBe(true);
    expect(network.eventStreamMessages.some((message) => new URL(message.url).pathname === "/api/platform/events")).toBe(true);
    expect(await network.occurrences(operation.id)).not.toEqual([]);
    // …and only from its own origin; nothing it received holds the token: headers, bodies (the start's answer, every read), stream messages, the DOM.
    expect(network.foreignRequests(new URL(LIVE_APP_URL).origin)).toEqual([]);
    expect(network.webSockets).toEqual([]);
    expect(await network.occurrences(LIVE_TOKEN)).toEqual([]);
    const stored = await page.evaluate(() => [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].join("\n"));
    expect(stored).not.toContain(LIVE_TOKEN);
  });

  test("a scoped stop: the server's operation targets the busy selected workspace only, and the others are never called", async ({ page, platform, canvas, stopAll, stopAllServer }) => {
    await migratorStuck(platform, [{ page, canvas, stopAll }]);
    await stopAll.closeEarlierReport();
    const since = Date.now();
    await canvas.node("Builder (A2A 1.0)").click();
    await canvas.node("Planner (A2A 1.0)").click({ modifiers: ["Shift"] });
    const selected = page.getByRole("button", { name: "Stop selected (1)" });
    await selected.click();
    await expect(stopAll.dialog()).toHaveAccessibleName("Stop 1 busy workspace?");
    await expect(page.getByTestId("stop-all-scope")).toHaveText("Only the 2 selected workspaces (the busy ones among them).");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await stopAllServer.startedSince(since)).length).toBe(1);
    const [started] = await stopAllServer.startedSince(since);
    const finished = await stopAllServer.finished(started!.id, 10_000);
    expect(finished.state.targets.map((target) => target.workspaceId)).toEqual(["busy-v1"]);
    await expect(stopAll.summary()).toHaveText(/^Stopped 1 workspace in \d+\.\d s: 1 drained$/);
    const called = new Set((await platform.requests({ method: "POST" })).filter((r) => r.at >= since).map((r) => r.path.split("/")[2]));
    expect([...called]).toEqual(["busy-v1"]);
    // The Migrator was not in the selection: still busy, and its team of one can still be stopped from the toolbar.
    expect((await platform.rows()).get("stubborn-v1")).toMatchObject({ active_tasks: 1 });
    await stopAll.panel().getByRole("button", { name: "Close", exact: true }).click();
    const pane = page.locator(".react-flow__pane");
    const box = (await pane.boundingBox())!;
    await pane.click({ position: { x: box.width - 30, y: 30 } });
    await expect(stopAll.button()).toHaveText("Stop All (1)");
  });

  test("the quiet watch: a drained workspace the platform gives work again is flagged from the server's events, and Stop these again stops it again", async ({
    page,
    platform,
    canvas,
    stopAll,
    stopAllServer,
  }) => {
    await page.goto("/");
    await idleOnScreen(canvas, "Migrator (ignores cancel)");
    await stopAll.closeEarlierReport();
    await canvas.node("Builder (A2A 1.0)").click();
    await page.getByRole("button", { name: "Stop selected (1)" }).click();
    const since = Date.now();
    await page.keyboard.press("Enter");
    await expect(stopAll.summary()).toHaveText(/^Stopped 1 workspace in \d+\.\d s: 1 drained$/);
    await expect(page.getByTestId("stop-all-quiet")).toContainText("Watching the stopped workspaces for work that comes back");
    // The platform hands it new work (a queued message): the server's operation records it, the page shows it.
    await platform.startTask("busy-v1", "answer the queued message");
    await expect(page.getByTestId("busy-again-busy-v1")).toHaveText(/^Builder \(A2A 1\.0\): busy again \d+\.\d s after it drained: answer the queued message$/);
    const [first] = await stopAllServer.startedSince(since);
    const recorded = await stopAllServer.view(first!.id);
    expect(recorded.state.targets[0]!.busyAgain).toEqual([expect.objectContaining({ task: "answer the queued message" })]);

    await page.getByRole("button", { name: "Stop these again (1)" }).click();
    await expect(page.getByTestId("stop-all-scope")).toHaveText("Only the 1 workspace that became busy again after the last Stop All.");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await stopAllServer.startedSince(since)).length).toBe(2);
    const again = (await stopAllServer.startedSince(since)).find((operation) => operation.id !== first!.id)!;
    const finished = await stopAllServer.finished(again.id, 10_000);
    expect(finished.state.targets.map((target) => target.workspaceId)).toEqual(["busy-v1"]);
  });

  test("stop and hold: the server pauses the drained one and, at the deadline, the stuck one, each once, never restarting; Resume held resumes both, with its actor, and a second press sends nothing", async ({
    page,
    platform,
    canvas,
    stopAll,
    stopAllServer,
  }) => {
    await migratorStuck(platform, [{ page, canvas, stopAll }]);
    await stopAll.closeEarlierReport();
    const since = Date.now();
    await stopAll.button().click();
    await stopAll.dialog().getByRole("radio", { name: /^Stop and hold/ }).check();
    await expect(page.getByTestId("stop-all-cascade")).toHaveText("Pausing stops no workspace besides these.");
    await stopAll.dialog().getByRole("button", { name: "Stop and hold 2 busy workspaces" }).click();
    await expect.poll(async () => (await stopAllServer.startedSince(since)).length).toBe(1);
    const [started] = await stopAllServer.startedSince(since);
    const finished = await stopAllServer.finished(started!.id);
    expect(finished.state.mode).toBe("hold");
    const outcomes = Object.fromEntries(finished.state.targets.map((target) => [target.workspaceId, target.phase.kind === "settled" ? target.phase.outcome : undefined]));
    expect(outcomes).toEqual({
      "busy-v1": { kind: "held", pause: { kind: "paused", count: 1 } },
      "stubborn-v1": { kind: "held-forced", trigger: "deadline", pause: { kind: "paused", count: 1 } },
    });
    const sent = async (action: "pause" | "resume" | "restart") => (await platform.requests({ method: "POST", path: new RegExp(`/${action}$`) })).filter((r) => r.at >= since);
    const pauses = await sent("pause");
    expect(pauses.map((r) => r.path).sort()).toEqual(["/workspaces/busy-v1/pause", "/workspaces/stubborn-v1/pause"]);
    expect(pauses.find((r) => r.path.includes("stubborn-v1"))!.at).toBeGreaterThanOrEqual(finished.state.deadlineAt);
    expect(await sent("restart")).toEqual([]);
    const rows = await platform.rows();
    expect([rows.get("busy-v1")?.status, rows.get("stubborn-v1")?.status]).toEqual(["paused", "paused"]);
    await expect(stopAll.summary()).toHaveText(/^Stopped and held 2 workspaces in \d+\.\d s: 1 held, 1 held at the deadline$/);

    await page.getByRole("button", { name: "Resume held (2)" }).click();
    await expect(stopAll.summary()).toHaveText(/; 2 resumed$/);
    expect((await sent("resume")).map((r) => r.path).sort()).toEqual(["/workspaces/busy-v1/resume", "/workspaces/stubborn-v1/resume"]);
    const resumed = await stopAllServer.finished(started!.id, 10_000);
    expect(resumed.actions).toEqual([expect.objectContaining({ action: "resume-held", actor: "anonymous" })]);
    // Pressed again (another tab, a double click that got through): nothing left to resume, nothing sent.
    const again = await page.evaluate(
      (id) => fetch(`/api/stop-all/${id}/actions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ action: "resume-held" }) }).then((r) => r.status),
      started!.id,
    );
    expect(again).toBe(200);
    expect(await sent("resume")).toHaveLength(2);
    await expect.poll(async () => (await platform.rows()).get("busy-v1")?.status, { timeout: 10_000 }).toBe("online");
  });

  test("an override from the panel shows its outcome: Restart undrained now, then Restarted and the summary", async ({ page, platform, canvas, stopAll, stopAllServer }) => {
    await migratorStuck(platform, [{ page, canvas, stopAll }]);
    const { operation } = await stopAll.startOperation();
    await expect(stopAll.target("Builder (A2A 1.0)").getByTestId("target-phase")).toHaveText("Drained");
    await stopAll.panel().getByRole("button", { name: "Restart undrained now" }).click();
    // The server is done at once (the operator asked: no deadline to wait for)…
    const finished = await stopAllServer.finished(operation.id, 5000);
    expect(finished.actions).toEqual([expect.objectContaining({ action: "restart-now", actor: "anonymous" })]);
    const [restart] = await restartsOf(platform, "stubborn-v1");
    expect(restart!.at).toBeLessThan(operation.state.deadlineAt);
    // …and so is the panel that asked for it.
    await expect(stopAll.target("Migrator (ignores cancel)").getByTestId("target-phase")).toHaveText("Restarted", { timeout: 2000 });
    await expect(stopAll.summary()).toHaveText(DRAINED_AND_RESTARTED, { timeout: 2000 });
  });
});
