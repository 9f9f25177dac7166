import { fileURLToPath } from "node:url";

export const DEADLINE_MS = 8000;
/** The page probe: a browser script run before the page's own (see its header for what it records). */
const PAGE_PROBE = fileURLToPath(new URL("./page-probe.js", import.meta.url));
const VIEWPORT = { width: 1440, height: 900 };

/**
 * Opens the canvas on `scenario` in a fresh context and waits until it is
 * painted, the live event stream is up and the page has settled. Returns the
 * load measurements and the page.
 */
export async function openFleet(browser, url, scenario) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.addInitScript({ path: PAGE_PROBE });
  await page.goto(`${url}/?scenario=${encodeURIComponent(scenario)}`);
  await page.waitForFunction(() => window.__bench.paintedAt !== undefined, undefined, { timeout: 120_000, polling: 100 });
  await page.getByRole("status", { name: "Live connection: Live" }).waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: /^Stop All \([1-9]\d*\)$/ }).waitFor({ timeout: 30_000 });
  // Let start-up work (first commits, event stream catch-up) end before anything is measured.
  await page.waitForTimeout(1000);
  await reportTaskIdsOnce(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  await cdp.detach();
  const load = await page.evaluate(() => {
    const b = window.__bench;
    return {
      rowsToPaintedMs: b.paintedAt - b.rowsAt,
      navigationToPaintedMs: b.paintedAt,
      nodesInDom: document.querySelectorAll(".react-flow__node").length,
      nodesAtPaint: b.nodesAtPaint,
      overviewAtPaint: b.overviewAtPaint,
    };
  });
  return { context, page, load: { ...load, heapMB: heap.usedSize / 2 ** 20 } };
}

/**
 * The bench fleets' busy agents speak A2A 0.3 (lib/mock/scenarios/bench.ts):
 * Stop All cancels the task ids the canvas saw in TASK_UPDATED events. Has
 * each busy agent report progress once, then waits until the page has every
 * event the mock sent.
 */
async function reportTaskIdsOnce(page) {
  await page.evaluate(async () => {
    const mock = window.__fleetMock;
    const rows = await (await fetch("/api/platform/workspaces")).json();
    const busy = rows.filter((r) => r.active_tasks > 0).map((r) => r.id);
    for (const id of busy) mock.setBehaviour(id, { progressEveryMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 80));
    for (const id of busy) mock.setBehaviour(id, { progressEveryMs: null });
  });
  await page.waitForFunction(() => window.__fleetProbe.eventsReceived() >= window.__fleetMock.probe().eventsSent, undefined, { timeout: 30_000, polling: 100 });
  await page.waitForTimeout(500);
}

/** Clicks Stop All, confirms, waits for the summary; returns the operation's timings. */
export async function runStopAll(page) {
  const before = await page.evaluate(() => {
    window.__bench.arm();
    return { ...(window.__fleetRenders ?? { canvas: 0, nodes: 0, overview: 0 }), busy: Number(document.querySelector('[data-testid="count-busy"]')?.textContent) };
  });
  await page.getByRole("button", { name: /^Stop All \(\d+\)$/ }).click();
  await page.getByRole("button", { name: /^Stop \d+ busy workspaces?$/ }).click();
  await page.waitForFunction(() => window.__bench.finishedAt !== undefined, undefined, { timeout: 300_000, polling: 250 });
  await page.waitForTimeout(300);
  return page.evaluate(
    ({ before, deadlineMs }) => {
      const b = window.__bench;
      const click = b.clickAt;
      const finished = b.finishedAt;
      const sent = b.requests.filter((r) => r.t >= click);
      const cancels = sent.filter((r) => r.rpc === "CancelTask" || r.rpc === "tasks/cancel");
      const restarts = sent.filter((r) => r.method === "POST" && r.path.endsWith("/restart"));
      const targets = new Set(sent.filter((r) => r.path.endsWith("/a2a")).map((r) => r.path.split("/")[4]));
      const drains = [...targets].map((id) => b.zeroAt[id]).filter((t) => t !== undefined);
      const lastDrain = drains.length > 0 ? Math.max(...drains) : undefined;
      // The operation ended with the last drain only when every target drained and nothing was restarted.
      const endedByDrain = restarts.length === 0 && drains.length === before.busy;
      const renders = window.__fleetRenders ?? { canvas: 0, nodes: 0, overview: 0 };
      const last = (list) => (list.length > 0 ? Math.max(...list.map((r) => r.t)) : undefined);
      return {
        summary: document.querySelector('[data-testid="stop-all-summary"]')?.textContent ?? "",
        targets: before.busy,
        cancelledTargets: targets.size,
        drainedSeen: drains.length,
        cancelsSent: cancels.length,
        a2aSent: sent.filter((r) => r.path.endsWith("/a2a")).length,
        restartsSent: restarts.length,
        clickToLastCancelMs: cancels.length > 0 ? last(cancels) - click : undefined,
        // Only meaningful when every target drained (the -drain scenarios): then the last drain ends the operation.
        lastDrainToFinishedMs: endedByDrain ? finished - lastDrain : undefined,
        deadlineToLastRestartMs: restarts.length > 0 ? last(restarts) - (click + deadlineMs) : undefined,
        clickToFinishedMs: finished - click,
        ...b.activity(click, finished),
        canvasRenders: renders.canvas - before.canvas,
        nodeRenders: renders.nodes - before.nodes,
        overviewDraws: renders.overview - before.overview,
      };
    },
    { before, deadlineMs: DEADLINE_MS },
  );
}

/**
 * The naive baseline, as the reference canvas did it: every busy workspace
 * restarted at once with Promise.all, no cancel. Sent through the transport
 * the app's own requests take (the mock's in-page fetch), so it pays what
 * Stop All pays per request. The window for long tasks and commits runs until
 * a second after the last answer (the canvas redraws the restarted nodes).
 */
export async function runNaive(page) {
  const before = await page.evaluate(() => ({ ...(window.__fleetRenders ?? { canvas: 0, nodes: 0, overview: 0 }) }));
  const run = await page.evaluate(async () => {
    const b = window.__bench;
    b.arm();
    const rows = await (await fetch("/api/platform/workspaces")).json();
    const ids = rows.filter((r) => r.active_tasks > 0 && (r.status === "online" || r.status === "degraded")).map((r) => r.id);
    const send = window.__fleetMock.fetch;
    const click = performance.now();
    let lastSent = click;
    const answers = await Promise.all(
      ids.map((id) => {
        lastSent = performance.now();
        return send(`/api/platform/workspaces/${id}/restart`, { method: "POST" });
      }),
    );
    return { click, lastSent, sent: ids.length, answered: performance.now(), ok: answers.filter((a) => a.ok).length };
  });
  await page.waitForTimeout(1000 + 300);
  return page.evaluate(
    ({ run, before }) => {
      const b = window.__bench;
      const renders = window.__fleetRenders ?? { canvas: 0, nodes: 0, overview: 0 };
      return {
        restartsSent: run.sent,
        restartsOk: run.ok,
        clickToLastRestartMs: run.lastSent - run.click,
        clickToAllAnsweredMs: run.answered - run.click,
        ...b.activity(run.click, run.answered + 1000),
        canvasRenders: renders.canvas - before.canvas,
        nodeRenders: renders.nodes - before.nodes,
        overviewDraws: renders.overview - before.overview,
      };
    },
    { run, before },
  );
}

/**
 * What the mock platform alone costs: `count` A2A requests (GetTask of a
 * task that does not exist, so nothing changes), `inFlight` at a time, with
 * no app work around them. `via` "app": the in-page transport the app's own
 * requests take (the floor under "click → last cancel sent"); "worker": the
 * page's plain fetch, through MSW's service worker (what DevTools or an e2e
 * fetch pays, and what the in-page transport saves).
 */
export async function runTransportFloor(page, count, inFlight, via) {
  return page.evaluate(
    async ({ count, inFlight, via }) => {
      const fetch = via === "app" ? window.__fleetMock.fetch : window.fetch.bind(window);
      const rows = await (await fetch("/api/platform/workspaces")).json();
      const ids = rows.filter((r) => r.active_tasks > 0).map((r) => r.id);
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tasks/get", params: { id: "bench-no-such-task" } });
      const click = performance.now();
      let next = 0;
      let lastSent = click;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < count) {
            const id = ids[next++ % ids.length];
            lastSent = performance.now();
            await (await fetch(`/api/platform/workspaces/${id}/a2a`, { method: "POST", body, headers: { "content-type": "application/json" } })).text();
          }
        }),
      );
      return { requests: count, inFlight, lastSentMs: lastSent - click, allAnsweredMs: performance.now() - click };
    },
    { count, inFlight, via },
  );
}
