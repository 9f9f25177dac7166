import type { Page } from "@playwright/test";
import type { RequestLogEntry } from "@/lib/mock/control";
import { expect, test, type MockPlatform, type StopAllUi } from "./fixtures";

/**
 * The fault matrix of e2e/FAULTS.md, browser side: what the unit tests of
 * lib/stop-all/fault-matrix.test.ts cannot prove (the real page, the mock
 * platform's fault injection through the service worker, the event stream,
 * dialogs). Time is the paused page clock, moved with `mock.advance`.
 */

const DEADLINE_MS = 8000;
const RESTART_TIMEOUT_MS = 10_000;
const CANCEL_METHODS = ["ListTasks", "CancelTask", "tasks/cancel"];

const posts = (entries: RequestLogEntry[]) => entries.filter((e) => e.method === "POST");
const isRestart = (e: RequestLogEntry) => e.path.endsWith("/restart");

/**
 * What STOP_ALL.md forbids, read from the mock's request log: requests to
 * non-targets, A2A methods other than a cancel's, A2A after the deadline, a
 * restart before it, more restarts of a workspace than `restarts` allows
 * (default one). Every request path is one of the three the canvas makes.
 */
function expectNothingForbidden(log: RequestLogEntry[], o: { targets: string[]; clickedAt: number; restarts?: Record<string, number> }) {
  const deadlineAt = o.clickedAt + DEADLINE_MS;
  for (const entry of log) {
    expect(entry.path, `${entry.method} ${entry.path}`).toMatch(/^\/api\/platform\/(workspaces|events|workspaces\/[^/]+\/(a2a|restart))$/);
  }
  for (const entry of posts(log)) {
    expect(o.targets, `request to non-target ${entry.workspaceId}`).toContain(entry.workspaceId);
    if (isRestart(entry)) {
      expect(entry.at, `restart of ${entry.workspaceId} before the deadline`).toBeGreaterThanOrEqual(deadlineAt);
    } else {
      expect(CANCEL_METHODS, `A2A ${entry.rpcMethod}`).toContain(entry.rpcMethod);
      expect(entry.at, `A2A to ${entry.workspaceId} after the deadline`).toBeLessThan(deadlineAt);
    }
  }
  for (const id of o.targets) {
    expect(posts(log).filter((e) => isRestart(e) && e.workspaceId === id).length, `restarts of ${id}`).toBeLessThanOrEqual(o.restarts?.[id] ?? 1);
  }
}

/** Uncaught errors of the page: none may happen whatever the platform answers. */
function collectPageErrors(page: Page) {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** The page still answers the operator: the Stop All button opens its dialog, Escape closes it. */
async function expectUsable(page: Page, stopAll: StopAllUi) {
  await expect(stopAll.panel().getByRole("button", { name: "Download report" })).toBeEnabled();
  if (await stopAll.button().isEnabled()) {
    await stopAll.button().click();
    await expect(stopAll.dialog()).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(stopAll.dialog()).toBeHidden();
  }
}

const phaseOf = (stopAll: StopAllUi, name: string) => stopAll.target(name).getByTestId("target-phase");

/** Runs the paused clock past the deadline and the restart timeout: fine steps around the deadline, coarser after. */
async function runToTheEnd(mock: MockPlatform, alreadyMs: number) {
  await mock.advance(DEADLINE_MS + 500 - alreadyMs);
  await mock.advance(RESTART_TIMEOUT_MS + 500, 250);
}

test.describe("fault matrix (e2e)", () => {
  test("faults scenario end to end: every target ends in its outcome, the summary shows, the page stays usable, nothing forbidden is sent", async ({
    page,
    mock,
    stopAll,
    canvas,
  }) => {
    test.setTimeout(120_000);
    const errors = collectPageErrors(page);
    await mock.open("faults", { pause: true });
    // answers-32009 reports progress every 2 s: let the canvas learn its task id first.
    await mock.advance(2500);
    await expect(stopAll.button()).toHaveText("Stop All (14)");
    const clickedAt = await stopAll.start();
    await mock.advance(DEADLINE_MS - 200);
    expect(await mock.requests({ kind: "restart" })).toEqual([]);
    await runToTheEnd(mock, DEADLINE_MS - 200);

    await expect(stopAll.summary()).toHaveText(/^Stopped 14 workspaces in 1[89]\.\d s: 4 drained, 6 restarted, 1 gone, 2 restart failed, 1 restart answer lost$/);
    const expected: Record<string, [string, RegExp]> = {
      "cancel-hangs": ["Restarted", /^no answer in time$/],
      "list-hangs": ["Restarted", /^no answer in time$/],
      "truncated-body": ["Restarted", /^unreadable answer \(not-json\)$/],
      "not-json-body": ["Restarted", /^unreadable answer \(not-json\)$/],
      "mismatched-rpc-id": ["Restarted", /^answer for another request: not proof of delivery$/],
      "refuses-cancel": ["Restarted", /^cancel refused \(-32004, unsupported operation\)$/],
      "busy-twice-then-drains": ["Drained", /^cancel delivered for 1 task$/],
      // It drains 0.5 s into its 3 s cancel: the answer is still read, and the report says what it was.
      "cancel-answers-after-3s": ["Drained", /^cancel delivered for 1 task$/],
      "answers-32009": ["Drained", /^cancel delivered for 1 task$/],
      "task-history": ["Drained", /^cancel delivered for 2 tasks$/],
      "restart-hangs": ["Restart answer lost", /^cancel delivered for 1 task$/],
      "restart-fails-404": ["Gone", /^cancel delivered for 1 task$/],
      "restart-fails-409": ["Restart failed", /^cancel delivered for 1 task$/],
      "restart-fails-503": ["Restart failed", /^cancel delivered for 1 task$/],
    };
    for (const [name, [phase, finding]] of Object.entries(expected)) {
      await expect.soft(phaseOf(stopAll, name), name).toHaveText(phase);
      await expect.soft(stopAll.target(name).getByTestId("target-finding"), name).toHaveText(finding);
    }
    await expect(stopAll.target("restart-fails-409").getByTestId("target-outcome")).toHaveText(/^restart failed \(HTTP 409\): /);
    await expect(stopAll.target("restart-hangs").getByTestId("target-outcome")).toHaveText(/^restart answer lost \(timeout\)/);
    await expect(stopAll.panel().getByRole("button", { name: "Retry failed (2)" })).toBeVisible();

    const log = await mock.requests();
    const targets = Object.keys(expected).map((name) => `ws-${name}`);
    expectNothingForbidden(log, { targets, clickedAt });
    // Drained and gone-before-restart targets get no restart; the busy-twice agent was asked three times in all.
    const restarted = new Set(posts(log).filter(isRestart).map((e) => e.workspaceId));
    for (const name of ["busy-twice-then-drains", "cancel-answers-after-3s", "answers-32009", "task-history"]) expect(restarted.has(`ws-${name}`), name).toBe(false);
    expect(posts(log).filter((e) => e.workspaceId === "ws-busy-twice-then-drains" && e.rpcMethod === "CancelTask")).toHaveLength(3);
    expect(errors).toEqual([]);
    await expect(canvas.node("cancel-hangs")).toBeVisible();
    await expectUsable(page, stopAll);
  });

  test("event stream dropped mid-operation: the drain is still seen, by polling about once a second", async ({ page, mock, stopAll, canvas }) => {
    await mock.open("stuck", { pause: true });
    await expect(canvas.connection()).toHaveAccessibleName(/live/i);
    const clickedAt = await stopAll.start();
    await mock.advance(100);
    // The stream goes away for good: open streams drop, reconnects get 503.
    await mock.setEventStream(false);
    await mock.advance(200);
    const eventsAtDrop = await page.evaluate(() => window.__fleetProbe!.eventsReceived());
    const pollsAtDrop = (await mock.requests({ kind: "workspaces" })).length;
    await mock.advance(3500);
    await expect(phaseOf(stopAll, "drains-at-1s")).toHaveText("Drained");
    await expect(phaseOf(stopAll, "drains-at-2s")).toHaveText("Drained");
    await expect(canvas.connection()).toHaveAccessibleName(/polling/);
    expect(await page.evaluate(() => window.__fleetProbe!.eventsReceived())).toBe(eventsAtDrop);
    expect((await mock.requests({ kind: "workspaces" })).length - pollsAtDrop).toBeGreaterThanOrEqual(3);
    await runToTheEnd(mock, 3800);
    await expect(stopAll.summary()).toHaveText(/^Stopped 3 workspaces in 8\.\d s: 2 drained, 1 restarted$/);
    expectNothingForbidden(await mock.requests(), { targets: ["ws-ignores-cancel", "ws-drains-at-1s", "ws-drains-at-2s"], clickedAt });
    expect((await mock.requests({ kind: "restart" })).map((e) => e.workspaceId)).toEqual(["ws-ignores-cancel"]);
  });

  test("restart answer lost: shown as 'Restart answer lost'; 'Restart again…' asks first and, confirmed, sends exactly one more restart", async ({
    page,
    mock,
    stopAll,
  }) => {
    test.setTimeout(90_000);
    const errors = collectPageErrors(page);
    await mock.open("stuck", { pause: true });
    // The first restart happens but its answer never comes back; a second one is answered.
    await mock.setBehaviour("ws-ignores-cancel", { restartFaults: [{ answer: { kind: "hang", restartMs: 3000 }, firstAttempts: 1 }] });
    const clickedAt = await stopAll.start();
    await runToTheEnd(mock, 0);
    await expect(phaseOf(stopAll, "ignores-cancel")).toHaveText("Restart answer lost");
    await expect(stopAll.target("ignores-cancel").getByTestId("target-outcome")).toHaveText(/^restart answer lost \(timeout\): it may or may not have restarted$/);
    await expect(stopAll.summary()).toHaveText(/: 2 drained, 1 restart answer lost$/);
    // Not a failure: the blanket retry does not offer it.
    await expect(stopAll.panel().getByRole("button", { name: /Retry failed/ })).toHaveCount(0);
    expect(await mock.requests({ kind: "restart" })).toHaveLength(1);

    const again = stopAll.panel().getByRole("button", { name: "Restart again: ignores-cancel" });
    page.once("dialog", (dialog) => void dialog.dismiss());
    await again.click();
    await mock.advance(1000);
    expect(await mock.requests({ kind: "restart" }), "a dismissed confirm sends nothing").toHaveLength(1);

    let question = "";
    page.once("dialog", (dialog) => {
      question = dialog.message();
      void dialog.accept();
    });
    await again.click();
    await mock.advance(1000);
    expect(question).toMatch(/may already have happened/);
    await expect(phaseOf(stopAll, "ignores-cancel")).toHaveText("Restarted");
    await expect(stopAll.target("ignores-cancel").getByTestId("target-outcome")).toHaveText("restarted on request");
    await mock.advance(5000, 250);
    const restarts = await mock.requests({ kind: "restart" });
    expect(restarts.map((e) => e.workspaceId)).toEqual(["ws-ignores-cancel", "ws-ignores-cancel"]);
    expect(restarts[1]!.status).toBe(200);
    await expect(stopAll.panel().getByRole("button", { name: "Restart again: ignores-cancel" })).toHaveCount(0);
    expectNothingForbidden(await mock.requests(), {
      targets: ["ws-ignores-cancel", "ws-drains-at-1s", "ws-drains-at-2s"],
      clickedAt,
      restarts: { "ws-ignores-cancel": 2 },
    });
    expect(errors).toEqual([]);
  });

  test("one restart fails while the others succeed: each target shows its own outcome, one restart each, retry only the failed one", async ({ mock, stopAll }) => {
    test.setTimeout(90_000);
    await mock.open("stuck", { pause: true });
    await mock.setBehaviour("ws-drains-at-1s", { cancel: { kind: "ignore" } });
    await mock.setBehaviour("ws-drains-at-2s", { cancel: { kind: "ignore" }, restart: { kind: "fail", status: 500 } });
    const clickedAt = await stopAll.start();
    await mock.advance(DEADLINE_MS - 200);
    expect(await mock.requests({ kind: "restart" })).toEqual([]);
    await mock.advance(1200);
    await expect(stopAll.summary()).toHaveText(/^Stopped 3 workspaces in 8\.\d s: 2 restarted, 1 restart failed$/);
    await expect(phaseOf(stopAll, "ignores-cancel")).toHaveText("Restarted");
    await expect(phaseOf(stopAll, "drains-at-1s")).toHaveText("Restarted");
    await expect(phaseOf(stopAll, "drains-at-2s")).toHaveText("Restart failed");
    await expect(stopAll.target("drains-at-2s").getByTestId("target-outcome")).toHaveText("restart failed (HTTP 500): failed to restart workspace");
    const targets = ["ws-ignores-cancel", "ws-drains-at-1s", "ws-drains-at-2s"];
    expectNothingForbidden(await mock.requests(), { targets, clickedAt });
    expect((await mock.requests({ kind: "restart" })).map((e) => e.workspaceId).sort()).toEqual([...targets].sort());

    await mock.setBehaviour("ws-drains-at-2s", { restart: { kind: "ok", restartMs: 1000 } });
    await stopAll.panel().getByRole("button", { name: "Retry failed (1)" }).click();
    await mock.advance(500);
    await expect(phaseOf(stopAll, "drains-at-2s")).toHaveText("Restarted");
    const restarts = (await mock.requests({ kind: "restart" })).map((e) => e.workspaceId);
    expect(restarts.filter((id) => id === "ws-drains-at-2s")).toHaveLength(2);
    expect(restarts).toHaveLength(4);
  });

  test("a target that disappears mid-operation is gone: no restart, nothing more sent to it, its node leaves the canvas", async ({ page, mock, stopAll, canvas }) => {
    const errors = collectPageErrors(page);
    await mock.open("stuck", { pause: true });
    await mock.setBehaviour("ws-ignores-cancel", { removeAfterCancelMs: 1500 });
    const clickedAt = await stopAll.start();
    await mock.advance(2500);
    await expect(phaseOf(stopAll, "ignores-cancel")).toHaveText("Gone");
    await expect(canvas.node("ignores-cancel")).toHaveCount(0);
    const sentBeforeRemoval = posts(await mock.requests({ workspaceId: "ws-ignores-cancel" })).length;
    await runToTheEnd(mock, 2500);
    await expect(stopAll.summary()).toHaveText(/^Stopped 3 workspaces in \d\.\d s: 2 drained, 1 gone$/);
    expect(posts(await mock.requests({ workspaceId: "ws-ignores-cancel" }))).toHaveLength(sentBeforeRemoval);
    expect(await mock.requests({ kind: "restart" })).toEqual([]);
    expectNothingForbidden(await mock.requests(), { targets: ["ws-ignores-cancel", "ws-drains-at-1s", "ws-drains-at-2s"], clickedAt });
    expect(errors).toEqual([]);
  });

  // Found by this matrix (fixed in the store: a dropped row keeps the workspace's last known state).
  test("a target whose row turns malformed mid-operation (active_tasks -1) is dropped with a warning but not taken for gone: restarted at the deadline", async ({
    page,
    mock,
    stopAll,
    canvas,
  }) => {
    await mock.open("stuck", { pause: true });
    const clickedAt = await stopAll.start();
    await mock.advance(500);
    await mock.setBehaviour("ws-ignores-cancel", { rowPatch: { active_tasks: -1 } });
    await mock.advance(1500);
    await expect(page.getByRole("alert").filter({ hasText: "dropped because the platform sent invalid data" })).toBeVisible();
    await expect(canvas.node("ignores-cancel")).toBeVisible();
    await expect(phaseOf(stopAll, "ignores-cancel")).toHaveText("Waiting for drain");
    await runToTheEnd(mock, 2000);
    await expect(stopAll.summary()).toHaveText(/^Stopped 3 workspaces/);
    expectNothingForbidden(await mock.requests(), { targets: ["ws-ignores-cancel", "ws-drains-at-1s", "ws-drains-at-2s"], clickedAt });
    await expect(phaseOf(stopAll, "ignores-cancel")).toHaveText("Restarted");
    expect((await mock.requests({ kind: "restart" })).map((e) => e.workspaceId)).toEqual(["ws-ignores-cancel"]);
  });

  test("transport faults in the browser: a huge body, a refused connection and an empty body are findings, a refused restart is a lost answer; no crash", async ({
    page,
    mock,
    stopAll,
  }) => {
    test.setTimeout(90_000);
    const errors = collectPageErrors(page);
    await mock.open("stuck", { pause: true });
    await mock.setBehaviour("ws-drains-at-1s", { faults: [{ answer: { kind: "huge-body" }, methods: ["ListTasks"] }] });
    await mock.setBehaviour("ws-drains-at-2s", { faults: [{ answer: { kind: "connection-refused" } }], restart: { kind: "connection-refused" } });
    await mock.setBehaviour("ws-ignores-cancel", { faults: [{ answer: { kind: "empty-body" }, methods: ["CancelTask"] }] });
    const clickedAt = await stopAll.start();
    await mock.advance(1000);
    await expect(stopAll.target("drains-at-1s").getByTestId("target-finding")).toHaveText("unreadable answer (truncated)");
    await expect(stopAll.target("drains-at-2s").getByTestId("target-finding")).toHaveText("network error: not delivered");
    await expect(stopAll.target("ignores-cancel").getByTestId("target-finding")).toHaveText("unreadable answer (empty)");
    await runToTheEnd(mock, 1000);
    await expect(stopAll.summary()).toHaveText(/^Stopped 3 workspaces in 8\.\d s: 2 restarted, 1 restart answer lost$/);
    await expect(stopAll.target("drains-at-2s").getByTestId("target-outcome")).toHaveText(/^restart answer lost \(network\)/);
    expectNothingForbidden(await mock.requests(), { targets: ["ws-ignores-cancel", "ws-drains-at-1s", "ws-drains-at-2s"], clickedAt });
    // A refused connection has no status in the log: it never reached the platform.
    expect((await mock.requests({ workspaceId: "ws-drains-at-2s" })).filter((e) => e.method === "POST").every((e) => e.status === null)).toBe(true);
    expect(errors).toEqual([]);
    await expectUsable(page, stopAll);
  });
});
