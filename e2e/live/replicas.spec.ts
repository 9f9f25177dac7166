import type { TestInfo } from "@playwright/test";
import { LEASE_MS, RENEW_MS } from "../../lib/server/stop-all/lease";
import type { OperationView } from "../../lib/stop-all-host/wire";
import { LIVE_DEADLINE_MS } from "./env";
import { restartsOf, rpcMethod, rpcParams, type Operator, type TestPlatform } from "./fixtures";
import { expect, migratorStuck, phase1Calls, restartCounts, test, until, type Replica, type Replicas } from "./replicas";

/**
 * Stop All across several canvas replicas (STOP_ALL.md, "Who owns the
 * operation"): two `next start` replicas of the live build on one Postgres
 * journal, the shared test platform, one operator's browser on each.
 */

/** What the panel says once the Builder drained and the Migrator (which ignores cancels) was restarted. */
const DRAINED_AND_RESTARTED = /^Stopped 2 workspaces in \d+\.\d s: 1 drained, 1 restarted$/;
/** When the owning replica dies or freezes: 3 s into the default 8 s deadline, the same share of this build's. */
const FAIL_AT_MS = (LIVE_DEADLINE_MS * 3) / 8;
/** When Postgres is stopped: well inside the deadline, after the cancels went out. */
const POSTGRES_STOP_AT_MS = 1000;
/**
 * The latest a survivor may send the restart: the owner's last renewal can
 * hold the lease up to LEASE_MS past the failure (which comes before the
 * deadline), the survivor looks every RENEW_MS, and 1 s for the resume and
 * the request itself.
 */
const TAKEOVER_SLACK_MS = LEASE_MS + RENEW_MS + 1000;
/** How long the resumed replica is watched for anything it sends. */
const AFTER_RESUME_MS = 3000;
const PAST_THE_TAKEOVER = { timeout: LIVE_DEADLINE_MS + TAKEOVER_SLACK_MS + 10_000 };

const phaseOf = (operator: Operator, name: string) => operator.stopAll.target(name).getByTestId("target-phase");

/** Each target's outcome (or phase) as a replica's server says it. */
async function outcomes(replica: Replica, id: string): Promise<[string, string][]> {
  const view = await replica.server.view(id);
  return view.state.targets.map((target) => [target.workspaceId, target.phase.kind === "settled" ? target.phase.outcome.kind : target.phase.kind]);
}

/** For the report: when the owner failed and when the survivor's restart went out, from the start and from the deadline. */
function timings(testInfo: TestInfo, operation: OperationView, what: string, failedAt: number, restartAt: number): void {
  const from = (at: number) => `${at - operation.state.startedAt} ms after the start, ${at - operation.state.deadlineAt} ms after the deadline`;
  testInfo.annotations.push({ type: "timings", description: `${what} ${from(failedAt)}; restart ${from(restartAt)}` });
}

/** The page of an operator on the replica that took the operation over shows its end: the summary, the Migrator restarted. */
/** The journal says the operation finished under generation 2, driven by `survivor`, which claimed the Migrator's one restart. */
async function expectTakenOverBy(journal: Replicas["journal"], survivor: Replica, id: string): Promise<void> {
  expect(await journal.operation(id)).toMatchObject({ status: "finished", lease_generation: 2, lease_owner: expect.stringMatching(new RegExp(`^${survivor.pid}-`)) });
  expect((await journal.restartClaims()).map((claim) => [claim.workspace_id, claim.attempt, claim.generation])).toEqual([["stubborn-v1", 1, 2]]);
}

/**
 * After replica A failed at `failed.at`: B, having taken the lease over,
 * restarts the Migrator once, not before the deadline and not later than
 * the lease allows, and the operation ends drained + restarted under B.
 */
async function survivorRestartsOnce(replicas: Replicas, platform: TestPlatform, operation: OperationView, failed: { testInfo: TestInfo; what: string; at: number }): Promise<void> {
  const { b } = replicas;
  await expect.poll(async () => (await restartsOf(platform, "stubborn-v1")).length, PAST_THE_TAKEOVER).toBe(1);
  const [restart] = await restartsOf(platform, "stubborn-v1");
  expect(restart!.at).toBeGreaterThanOrEqual(operation.state.deadlineAt);
  expect(restart!.at).toBeLessThanOrEqual(operation.state.deadlineAt + TAKEOVER_SLACK_MS);
  timings(failed.testInfo, operation, failed.what, failed.at, restart!.at);
  await b.server.finished(operation.id);
  expect(await outcomes(b, operation.id)).toEqual([
    ["busy-v1", "drained"],
    ["stubborn-v1", "restarted"],
  ]);
  await expectTakenOverBy(replicas.journal, b, operation.id);
}

async function survivorPageShowsTheEnd(operator: Operator): Promise<void> {
  await expect(operator.stopAll.summary()).toHaveText(DRAINED_AND_RESTARTED);
  await expect(phaseOf(operator, "Migrator (ignores cancel)")).toHaveText("Restarted");
}

/**
 * Ada starts a Stop All on replica A (which so drives it); Grace opens the
 * canvas on replica B while it runs and watches it there, from the journal.
 */
/**
 * Ada, on replica A, starts a Stop All with the Migrator stuck; Grace, on
 * replica B, watches it; A drives it. Resolves once both pages show it and
 * the Migrator's (ignored) cancel is out.
 */
async function adaStartsGraceWatches(operator: (email: string, appUrl: string) => Promise<Operator>, replicas: Replicas, platform: TestPlatform) {
  const ada = await operator("ada@example.com", replicas.a.url);
  const grace = await operator("grace@example.com", replicas.b.url);
  await migratorStuck(platform, [ada]);
  const { status, operation } = await ada.stopAll.startOperation();
  expect(status).toBe(201);
  await grace.page.goto("/");
  for (const operator of [ada, grace]) {
    await expect(operator.stopAll.byline()).toContainText("Started by ada@example.com, ");
    await expect(phaseOf(operator, "Builder (A2A 1.0)")).toHaveText("Drained");
    await expect(phaseOf(operator, "Migrator (ignores cancel)")).toHaveText(/^(Cancelling|Waiting for drain)$/);
  }
  // The Migrator's cancel is out (it blocks: the agent ignores it).
  await expect.poll(async () => (await platform.requests({ method: "POST", path: "/workspaces/stubborn-v1/a2a" })).map(rpcMethod)).toContain("CancelTask");
  expect(await replicas.journal.drivingPid()).toBe(replicas.a.pid);
  return { ada, grace, operation };
}

test.describe("Stop All across canvas replicas on one Postgres journal", () => {
  test("two operators on two replicas press Stop All at the same moment: one operation, one driver, the stuck workspace restarted once", async ({
    platform,
    operator,
    replicas,
  }, testInfo) => {
    test.slow(); // two replicas boot, and a real deadline
    const { a, b, journal } = replicas;
    const ada = await operator("ada@example.com", a.url);
    const grace = await operator("grace@example.com", b.url);
    await migratorStuck(platform, [ada, grace]);

    const starts: { replica: Replica; email: string; sentAt: number; status?: number }[] = [];
    for (const [who, replica] of [
      [ada, a],
      [grace, b],
    ] as const) {
      who.page.on("request", (r) => {
        if (r.method() === "POST" && new URL(r.url()).pathname === "/api/stop-all") starts.push({ replica, email: who.email, sentAt: Date.now() });
      });
      who.page.on("response", (r) => {
        if (r.request().method() === "POST" && new URL(r.url()).pathname === "/api/stop-all") starts.find((s) => s.replica === replica)!.status = r.status();
      });
    }

    // Both confirmations open, then Enter in both at once: two starts, one on each replica.
    await Promise.all([ada.stopAll.open(), grace.stopAll.open()]);
    await Promise.all([ada.page.keyboard.press("Enter"), grace.page.keyboard.press("Enter")]);
    await expect.poll(() => starts.filter((s) => s.status !== undefined).length).toBe(2);
    testInfo.annotations.push({ type: "starts", description: `sent ${Math.abs(starts[0]!.sentAt - starts[1]!.sentAt)} ms apart` });

    // One operation: one start won (201), the other joined it (409); the winner's replica drives it.
    expect(starts.map((s) => s.status).sort()).toEqual([201, 409]);
    const winner = starts.find((s) => s.status === 201)!;
    const [row, ...others] = await journal.operations();
    expect(others).toEqual([]);
    expect(await journal.drivingPid()).toBe(winner.replica.pid);
    for (const replica of [a, b]) expect((await replica.server.current())?.id).toBe(row!.id);
    for (const { stopAll } of [ada, grace]) {
      await expect(stopAll.byline()).toContainText(`Started by ${winner.email}, `);
      await expect(stopAll.target("Builder (A2A 1.0)").getByTestId("target-phase")).toHaveText("Drained");
    }

    // The Migrator ignores its cancel: one restart, at the deadline, from one replica.
    await expect.poll(async () => (await restartsOf(platform, "stubborn-v1")).length, { timeout: LIVE_DEADLINE_MS + 10_000 }).toBe(1);
    const finished = await winner.replica.server.finished(row!.id);
    const [restart] = await restartsOf(platform, "stubborn-v1");
    expect(restart!.at).toBeGreaterThanOrEqual(finished.state.deadlineAt);
    for (const operator of [ada, grace]) {
      await expect(operator.stopAll.summary()).toHaveText(DRAINED_AND_RESTARTED);
      await expect(phaseOf(operator, "Migrator (ignores cancel)")).toHaveText("Restarted");
    }

    // Still one operation, one claim and one restart once the Migrator is back online; each cancel went out once.
    await expect.poll(async () => (await platform.rows()).get("stubborn-v1")).toMatchObject({ status: "online", active_tasks: 0 });
    expect(await restartCounts(platform)).toEqual({ "stubborn-v1": 1 });
    expect((await journal.restartClaims()).map((claim) => [claim.workspace_id, claim.attempt, claim.generation])).toEqual([["stubborn-v1", 1, 1]]);
    expect(await journal.operations()).toEqual([expect.objectContaining({ id: row!.id, status: "finished", lease_generation: 1 })]);
    const cancelled = (await platform.requests({ method: "POST", path: /\/a2a$/ })).filter((r) => rpcMethod(r) === "CancelTask").map((r) => `${r.path} ${String(rpcParams(r).id)}`);
    expect(new Set(cancelled).size, cancelled.join("\n")).toBe(cancelled.length);
    expect(await phase1Calls(platform)).toEqual(["busy-v1 CancelTask", "busy-v1 CancelTask", "busy-v1 ListTasks", "stubborn-v1 CancelTask", "stubborn-v1 ListTasks"]);
  });

  test("the owning replica is killed with SIGKILL during the operation: the other takes it over and restarts the stuck workspace once, by the deadline plus the lease", async ({
    platform,
    operator,
    replicas,
  }, testInfo) => {
    test.slow();
    const { a, b } = replicas;
    const { grace, operation } = await adaStartsGraceWatches(operator, replicas, platform);

    // Replica A dies before the deadline: nothing restarted yet.
    await until(operation.state.startedAt + FAIL_AT_MS);
    const killedAt = await a.app.kill();
    expect(killedAt).toBeLessThan(operation.state.deadlineAt);
    expect(await restartCounts(platform)).toEqual({});
    const sentBeforeTheKill = await phase1Calls(platform);

    // Replica B takes the lapsed lease and sends the restart: once, not before the deadline, not long after the lease.
    await survivorRestartsOnce(replicas, platform, operation, { testInfo, what: "killed", at: killedAt });

    // One restart in all, and no listing or cancel sent again by the survivor.
    await expect.poll(async () => (await platform.rows()).get("stubborn-v1")).toMatchObject({ status: "online", active_tasks: 0 });
    expect(await restartCounts(platform)).toEqual({ "stubborn-v1": 1 });
    expect(await phase1Calls(platform)).toEqual(sentBeforeTheKill);
    expect(await b.server.history()).toEqual([expect.objectContaining({ id: operation.id, phase: "finished" })]);

    // Grace's page on the survivor, which watched it from the journal until the takeover, shows how it ended.
    await survivorPageShowsTheEnd(grace);
  });

  test("the owning replica is frozen with SIGSTOP: the other takes over and restarts once; resumed with SIGCONT, the first sends nothing (fencing)", async ({
    platform,
    operator,
    replicas,
  }, testInfo) => {
    test.slow();
    const { a, b } = replicas;
    const { grace, operation } = await adaStartsGraceWatches(operator, replicas, platform);

    // Replica A hangs before the deadline, its sockets and timers intact.
    await until(operation.state.startedAt + FAIL_AT_MS);
    const frozenAt = a.app.freeze();
    expect(frozenAt).toBeLessThan(operation.state.deadlineAt);
    expect(await restartCounts(platform)).toEqual({});

    // Replica B takes over and restarts the Migrator once, within the lease's bound.
    await survivorRestartsOnce(replicas, platform, operation, { testInfo, what: "frozen", at: frozenAt });
    await expect.poll(async () => (await platform.rows()).get("stubborn-v1")).toMatchObject({ status: "online", active_tasks: 0 });
    const sentBeforeTheResume = await phase1Calls(platform);

    // Replica A wakes up past its deadline and its lease: its fence holds. Nothing reaches the platform in
    // the next 3 s but reads of the rows (not fenced, by design: its fleet poll, and the pages' own polls
    // through their replica): no A2A call, no restart, no write of any kind.
    const resumedAt = a.app.resume();
    await until(resumedAt + AFTER_RESUME_MS);
    const sinceTheResume = (await platform.requests()).filter((r) => r.at >= resumedAt);
    expect(sinceTheResume.filter((r) => !(r.method === "GET" && r.path === "/workspaces")).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(await phase1Calls(platform)).toEqual(sentBeforeTheResume);
    expect(await restartCounts(platform)).toEqual({ "stubborn-v1": 1 });
    await expectTakenOverBy(replicas.journal, b, operation.id);
    expect(await b.server.history()).toEqual([expect.objectContaining({ id: operation.id, phase: "finished" })]);

    // Grace's page on the survivor shows how it ended.
    await survivorPageShowsTheEnd(grace);
  });

  test("Postgres stops during the operation: no restart goes out twice (none at all: it cannot be claimed), the page says why, and a new Stop All is refused with 503", async ({
    platform,
    operator,
    replicas,
  }) => {
    test.slow();
    const { journal, cluster } = replicas;
    const { ada, operation } = await adaStartsGraceWatches(operator, replicas, platform);

    // The journal goes away before the deadline.
    await until(operation.state.startedAt + POSTGRES_STOP_AT_MS);
    await cluster.stop();
    expect(Date.now()).toBeLessThan(operation.state.deadlineAt);

    // At the deadline the Migrator's restart cannot be claimed, so it is not sent; the panel says so, and why.
    const migratorOutcome = ada.stopAll.target("Migrator (ignores cancel)").getByTestId("target-outcome");
    await expect(migratorOutcome).toHaveText(/^restart failed: (?=.*the Stop All journal cannot be reached)(?=.*not sent)/, { timeout: LIVE_DEADLINE_MS + 10_000 });
    const counts = await restartCounts(platform);
    expect(Object.values(counts).every((count) => count <= 1), JSON.stringify(counts)).toBe(true);
    expect(counts).toEqual({});
    // The page's notice names the journal problem (the progress line of the stream carries it). Soft: the rest still runs.
    await expect.soft(ada.page.getByRole("alert").filter({ hasText: /^Stop All journal problem: the Stop All journal cannot be reached / }), "the journal problem notice").toBeVisible();

    // A new Stop All cannot start without the journal: 503, and the operator is told why.
    await ada.stopAll.panel().getByRole("button", { name: "Close", exact: true }).click();
    await expect(ada.stopAll.button()).toHaveText("Stop All (1)");
    await ada.stopAll.button().click();
    await expect(ada.stopAll.dialog()).toBeVisible();
    const refused = ada.page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/stop-all");
    await ada.page.keyboard.press("Enter");
    const answer = await refused;
    expect(answer.status()).toBe(503);
    expect(((await answer.json()) as { error: string }).error).toMatch(/^the Stop All journal cannot be reached \(.+\): no Stop All can start or change until it is back$/);
    await expect(ada.page.getByRole("alert").filter({ hasText: /Stop All could not start \(503: the Stop All journal cannot be reached / })).toBeVisible();

    // Postgres back: the operation ends in the journal, and still no workspace was restarted twice.
    await cluster.start();
    await expect.poll(async () => (await journal.operation(operation.id))?.status, { timeout: 15_000 }).toBe("finished");
    const finalCounts = await restartCounts(platform);
    expect(Object.values(finalCounts).every((count) => count <= 1), JSON.stringify(finalCounts)).toBe(true);
  });
});
