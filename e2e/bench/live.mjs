// The live rows of `npm run bench`: the server-owned Stop All of a live build
// (PLATFORM_URL set), measured at the test platform (e2e/live), not in the
// page. Per size: the floor (the platform alone, from Node), then a live
// `next start` with a fresh DATA_DIR, and on it Stop All from one operator,
// then from two at once. Every operation runs on freshly loaded pages, after
// the platform was reset to its fleet.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, waitForRehearsal } from "./app-build.mjs";
import { browserProcesses, startCpuSampler, stealMs } from "./cpu-share.mjs";
import { loadFleet, resetFleet, runFloor, startPlatform } from "./live-platform.mjs";
import { DEADLINE_MS } from "./measure.mjs";
import { cell, fmt, stats } from "./report.mjs";

const LIVE_PROBE = fileURLToPath(new URL("./live-probe.js", import.meta.url));
const VIEWPORT = { width: 1440, height: 900 };
/**
 * The live canvas and its test platform listen here (the e2e suites use 3100, 3200, 3210, 4010);
 * BENCH_LIVE_APP_PORT / BENCH_LIVE_PLATFORM_PORT move them (e.g. beside another bench).
 */
export const LIVE_APP_PORT = Number(process.env.BENCH_LIVE_APP_PORT || 3301);
export const LIVE_PLATFORM_PORT = Number(process.env.BENCH_LIVE_PLATFORM_PORT || 4601);
export const LIVE_BENCH_PLATFORM_URL = `http://127.0.0.1:${LIVE_PLATFORM_PORT}`;
/** A bench value, not a secret: the test platform wants some bearer token, and the canvas server sends it. */
export const LIVE_BENCH_TOKEN = `fleet-canvas-bench-${randomBytes(12).toString("hex")}`;

/**
 * How many times each live measurement runs per size: operations at most
 * `runs` (3 above 1,000 workspaces), two-operator runs at most 2 (1 above
 * 1,000), floors `runs` (3 above 1,000; each takes a second or three).
 */
export function liveRunCounts(size, runs) {
  const large = size > 1000;
  return { op: large ? Math.min(runs, 3) : runs, twoOperators: large ? 1 : Math.min(runs, 2), floor: large ? Math.min(runs, 3) : runs };
}

/** Opens the live canvas in a fresh context; resolves once it is live and offers Stop All on `busy` workspaces. */
async function openLivePage(browser, url, busy) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.addInitScript({ path: LIVE_PROBE });
  await page.goto(`${url}/`);
  await page.getByRole("status", { name: "Live connection: Live" }).waitFor({ timeout: 60_000 });
  const button = page.getByRole("button", { name: `Stop All (${busy})`, exact: true });
  await button.waitFor({ timeout: 60_000 });
  // Let start-up work (the first rows' commits, the event streams) end before the click.
  await page.waitForTimeout(500);
  return { context, page, button };
}

/** Clicks Stop All and waits for its confirmation; Enter then submits it (the confirm button has focus). */
async function openConfirm({ page, button }) {
  await button.click();
  await page.getByRole("dialog", { name: /^Stop \d+ busy workspaces?\?$/ }).waitFor({ timeout: 10_000 });
}

/**
 * Waits until the page shows the summary of the operation its POST started
 * or joined; resolves with the probe's record. With `unfinishedOk`, a page
 * that shows no end within `finishTimeoutMs` resolves too (its record has
 * no finishedAt) instead of failing the run.
 */
async function finished(page, { finishTimeoutMs = 120_000, unfinishedOk = false } = {}) {
  try {
    await page.waitForFunction(() => window.__liveBench.finishedAt !== undefined, undefined, { timeout: finishTimeoutMs, polling: 100 });
  } catch (error) {
    if (!unfinishedOk || !(error instanceof Error) || error.name !== "TimeoutError") throw error;
  }
  return page.evaluate(() => window.__liveBench);
}

const numbers = (list) => list.filter((v) => typeof v === "number");
const maxOf = (list) => (list.length > 0 ? Math.max(...list) : undefined);
const minOf = (list) => (list.length > 0 ? Math.min(...list) : undefined);

/**
 * What the platform saw of one operation, from `GET /_test/metrics`:
 * `fleet` is the rows before it (busy ids, names), `clickAt` the first
 * POST /api/stop-all leaving a page (epoch ms).
 */
export function platformFigures(metrics, fleet, clickAt) {
  const targets = new Set(fleet.busy);
  const of = (id) => metrics.workspaces[id];
  const restarted = (prefix) => fleet.busy.filter((id) => fleet.names.get(id)?.startsWith(prefix) && of(id)?.restarts.length > 0).length;
  const cancelAts = numbers(fleet.busy.map((id) => of(id)?.firstCancelTaskAt));
  const listAts = numbers(fleet.busy.map((id) => of(id)?.firstListTasksAt));
  const restartAts = Object.values(metrics.workspaces).flatMap((entry) => entry.restarts);
  const deadlineAt = clickAt + DEADLINE_MS;
  return {
    targets: targets.size,
    clickToFirstListMs: minOf(listAts) - clickAt,
    clickToFirstCancelMs: minOf(cancelAts) - clickAt,
    clickToLastCancelMs: maxOf(cancelAts) - clickAt,
    cancelled: cancelAts.length,
    cancelledBeforeDeadline: cancelAts.filter((at) => at < deadlineAt).length,
    drained: fleet.busy.filter((id) => typeof of(id)?.drainedAt === "number").length,
    needlessRestarts: restarted("drains-"),
    fallbackRestarts: restarted("ignores-cancel-"),
    restarts: metrics.totals.restarts,
    doubleRestarts: metrics.totals.restartedTwice,
    maxRestartsPerWorkspace: maxOf(Object.values(metrics.workspaces).map((entry) => entry.restarts.length)) ?? 0,
    restartsBeforeDeadline: restartAts.filter((at) => at < deadlineAt).length,
    deadlineToLastRestartMs: restartAts.length > 0 ? maxOf(restartAts) - deadlineAt : undefined,
    nonTargetsCalled: Object.entries(metrics.workspaces).filter(([id, entry]) => !targets.has(id) && (entry.a2a > 0 || entry.restarts.length > 0)).length,
    inFlightMax: metrics.inFlight.max,
    connectionsMax: metrics.connections.max,
    statuses: metrics.totals.statuses,
  };
}

/**
 * Samples the CPU of the canvas server (`serverPid`, when the bench
 * started it), the test platform and, with `browser`, the browser's
 * processes; `read(clickAt, figures)` stops it and gives each one's CPU
 * ms from the click to the last cancel (`cpu…ToLastCancelMs`; none when not
 * sampled). `stop()` (in a finally: a failed run must not leave it sampling).
 */
function cpuToLastCancel(platform, serverPid, { browser = false } = {}) {
  const groups = { Platform: () => [platform.pid] };
  if (serverPid !== undefined) groups.Server = () => [serverPid];
  // The bench's own process: it drives the page (Playwright's DevTools traffic lands here).
  groups.Bench = () => [process.pid];
  if (browser) {
    // Listed once, when the page is open: walking /proc every 20 ms (~130 processes) took 2-3 ms a
    // sample, ~10% of a core the bench stole from what it measures; the operation starts none.
    const browserPids = browserProcesses();
    groups.Browser = () => browserPids;
  }
  const sampler = startCpuSampler(groups, { Steal: stealMs });
  return {
    read(clickAt, figures) {
      sampler.stop();
      const used = typeof figures.clickToLastCancelMs === "number" ? sampler.between(clickAt, clickAt + figures.clickToLastCancelMs) : undefined;
      return Object.fromEntries(Object.entries(used ?? {}).map(([name, ms]) => [`cpu${name}ToLastCancelMs`, ms]));
    },
    stop: sampler.stop,
  };
}

/** One operator's run, from the probe's record: the platform's figures from the click, and who used the CPU meanwhile. */
async function operatorFigures(probe, { platform, fleet, cpu, machineLoad }) {
  const clickAt = probe.posts[0].at;
  const figures = platformFigures(await platform.call("GET", "/_test/metrics"), fleet, clickAt);
  const shown = probe.finishedAt !== undefined;
  return {
    ...figures,
    ...cpu.read(clickAt, figures),
    clickToFinishedMs: shown ? probe.finishedAt - clickAt : undefined,
    pagesNotFinished: shown ? 0 : 1,
    summary: probe.finishedText,
    postStatus: probe.posts[0].status,
    operationId: probe.posts[0].operationId,
    machineLoad,
  };
}

/**
 * One operator, the page driven by Playwright: open, click Stop All, press
 * Enter, wait for the summary, read the platform's metrics (and, with
 * `serverPid`, who used the CPU).
 */
export async function oneOperator(browser, url, platform, fleet, options = {}) {
  const machineLoad = loadavg()[0];
  const opened = await openLivePage(browser, url, fleet.busy.length);
  const cpu = cpuToLastCancel(platform, options.serverPid, { browser: true });
  try {
    await openConfirm(opened);
    await opened.page.keyboard.press("Enter");
    return await operatorFigures(await finished(opened.page, options), { platform, fleet, cpu, machineLoad });
  } finally {
    cpu.stop();
    await opened.context.close();
  }
}

/** In the page: the centre of the button named `Stop All (busy)`, or null while there is none. */
const stopAllButtonCentre = (busy) =>
  `(() => { const button = [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === ${JSON.stringify(`Stop All (${busy})`)}); if (!button) return null; const r = button.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()`;

/**
 * One operator as oneOperator, the page driven by a bare DevTools pipe
 * (bare-chromium.mjs: no Network domain, so nothing relays the page's event
 * streams to the bench). `bare` is launchBareChromium's browser.
 */
export async function oneOperatorBare(bare, url, platform, fleet, options = {}) {
  const { finishTimeoutMs = 120_000, unfinishedOk = false } = options;
  const machineLoad = loadavg()[0];
  const page = await bare.newPage({ viewport: VIEWPORT, initScript: LIVE_PROBE });
  try {
    await page.goto(`${url}/`);
    await page.waitFor(`!!document.querySelector('[role=status][aria-label="Live connection: Live"]')`, { timeoutMs: 60_000 });
    await page.waitFor(stopAllButtonCentre(fleet.busy.length), { timeoutMs: 60_000 });
    // As openLivePage: start-up work ends before the click.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const cpu = cpuToLastCancel(platform, options.serverPid, { browser: true });
    try {
      await page.click(await page.evaluate(stopAllButtonCentre(fleet.busy.length)));
      await page.waitFor(`/^Stop \\d+ busy workspaces?\\?$/.test(document.getElementById("stop-all-title")?.textContent ?? "")`, { timeoutMs: 10_000, everyMs: 20 });
      // The confirm button has focus, as for oneOperator.
      await page.pressEnter();
      await page.waitFor("window.__liveBench.finishedAt !== undefined", { timeoutMs: finishTimeoutMs }).catch((error) => {
        if (!unfinishedOk || error.name !== "TimeoutError") throw error;
      });
      return await operatorFigures(await page.evaluate("window.__liveBench"), { platform, fleet, cpu, machineLoad });
    } finally {
      cpu.stop();
    }
  } finally {
    await page.close();
  }
}

/**
 * Reads `response`'s Server-Sent Events until a `progress` line says the
 * operation is finished; resolves with `Date.now()` then, or undefined when
 * the stream ends first. The frames are parsed only as far as that needs.
 */
async function finishedOnStream(response) {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of response.body) {
    buffered += decoder.decode(chunk, { stream: true });
    const frames = buffered.split("\n\n");
    buffered = frames.pop();
    for (const frame of frames) {
      if (!frame.startsWith("event: progress\n")) continue;
      const data = JSON.parse(frame.slice(frame.indexOf("data: ") + 6));
      if (data.phase === "finished") return Date.now();
    }
  }
  return undefined;
}

/**
 * The server alone: no browser on the machine. A Node script keeps the
 * fleet's event stream open (as a page would, so the server's upstream
 * socket is live), POSTs the busy ids as a page would, then reads the
 * operation's own event stream to its end, as a page watching it does (a
 * snapshot, every event, the progress lines). Against the browser rows it
 * says how much of the click → last cancel is the server's own work and how
 * much is the CPU it shares with the browser on this 2-core machine.
 */
export async function serverAlone(_browser, url, platform, fleet, options = {}) {
  const machineLoad = loadavg()[0];
  const cpu = cpuToLastCancel(platform, options.serverPid);
  const sameOrigin = { "sec-fetch-site": "same-origin" };
  const stream = new AbortController();
  const events = await fetch(`${url}/api/platform/events`, { headers: sameOrigin, signal: stream.signal });
  // Read and dropped: the stream only has to stay open.
  const reader = events.body.getReader();
  const drained = (async () => {
    while (!(await reader.read()).done);
  })().catch(() => {});
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const clickAt = Date.now();
    const posted = await fetch(`${url}/api/stop-all`, { method: "POST", headers: { ...sameOrigin, "content-type": "application/json" }, body: JSON.stringify({ targets: fleet.busy }) });
    const operation = await posted.json();
    if (posted.status !== 201) throw new Error(`POST /api/stop-all answered ${posted.status}: ${JSON.stringify(operation).slice(0, 300)}`);
    const watching = await fetch(`${url}/api/stop-all/${operation.id}/events`, { headers: sameOrigin, signal: AbortSignal.timeout(120_000) });
    if (watching.status !== 200) throw new Error(`GET /api/stop-all/${operation.id}/events answered ${watching.status}`);
    const finishedAt = await finishedOnStream(watching).catch((error) => {
      if (error instanceof Error && error.name === "TimeoutError") return undefined;
      throw error;
    });
    const figures = platformFigures(await platform.call("GET", "/_test/metrics"), fleet, clickAt);
    return { ...figures, ...cpu.read(clickAt, figures), clickToFinishedMs: finishedAt === undefined ? undefined : finishedAt - clickAt, pagesNotFinished: finishedAt === undefined ? 1 : 0, operationId: operation.id, machineLoad };
  } finally {
    cpu.stop();
    stream.abort();
    await drained;
  }
}

/**
 * Two operators at once: two browser contexts on the same fleet, both
 * confirmations open, Enter pressed in both together. The server must run
 * one operation (one POST 201, the other 409 and joins it) and restart no
 * workspace twice. The second operator's page is on `otherUrl` (another
 * replica; default the same server).
 */
export async function twoOperators(browser, url, platform, fleet, { otherUrl = url, ...options } = {}) {
  const machineLoad = loadavg()[0];
  const a = await openLivePage(browser, url, fleet.busy.length);
  const b = await openLivePage(browser, otherUrl, fleet.busy.length).catch(async (error) => {
    await a.context.close();
    throw error;
  });
  try {
    await Promise.all([openConfirm(a), openConfirm(b)]);
    await Promise.all([a.page.keyboard.press("Enter"), b.page.keyboard.press("Enter")]);
    const [pa, pb] = await Promise.all([finished(a.page, options), finished(b.page, options)]);
    const posts = [pa.posts[0], pb.posts[0]];
    const clickAt = Math.min(...posts.map((post) => post.at));
    const figures = platformFigures(await platform.call("GET", "/_test/metrics"), fleet, clickAt);
    return {
      ...figures,
      answers: posts.map((post) => post.status).sort((x, y) => x - y).join("+"),
      sameOperation: pa.posts[0].operationId !== undefined && pa.posts[0].operationId === pb.posts[0].operationId,
      postsApartMs: Math.abs(posts[0].at - posts[1].at),
      clickToFinishedMs: pa.finishedAt !== undefined && pb.finishedAt !== undefined ? Math.max(pa.finishedAt, pb.finishedAt) - clickAt : undefined,
      pagesNotFinished: [pa, pb].filter((probe) => probe.finishedAt === undefined).length,
      operationId: pa.posts[0].operationId ?? pb.posts[0].operationId,
      machineLoad,
    };
  } finally {
    await Promise.all([a.context.close(), b.context.close()]);
  }
}

const describeInspected = (r) => {
  const ends = r.outcomes ? `; ends: ${Object.entries(r.outcomes.ends).map(([end, n]) => `${n} ${end}`).join(", ")}` : "";
  return `(lease generation ${r.leaseGeneration ?? "?"}, ${r.stillBusyAfter ?? "?"} targets still busy after the end${ends})`;
};

const describeRun = (r) =>
  `first/last cancel +${fmt(r.clickToFirstCancelMs)}/+${fmt(r.clickToLastCancelMs)} ms, ${r.cancelledBeforeDeadline}/${r.targets} cancelled by the deadline, ` +
  `${r.fallbackRestarts} fallback + ${r.needlessRestarts} needless restarts, ${r.doubleRestarts} double, ${r.inFlightMax} in flight; finished +${fmt(r.clickToFinishedMs)} ms` +
  (r.cpuServerToLastCancelMs === undefined ? "" : `; CPU to the last cancel: server ${fmt(r.cpuServerToLastCancelMs)}, platform ${fmt(r.cpuPlatformToLastCancelMs)}${r.cpuBrowserToLastCancelMs === undefined ? "" : `, browser ${fmt(r.cpuBrowserToLastCancelMs)}`}, bench ${fmt(r.cpuBenchToLastCancelMs)}, stolen by the host ${fmt(r.cpuStealToLastCancelMs)} ms`);

/** Floors on the `-drain` fleet (every cancel answered): 256 in flight, then all at once, `count` times each. */
async function measureFloors(platform, size, count, log) {
  const out = { floor256: [], floorAll: [] };
  const fleet = await loadFleet(platform, `bench-${size}-drain`);
  for (let run = 1; run <= count; run++) {
    for (const [key, inFlight] of [["floor256", 256], ["floorAll", Infinity]]) {
      await resetFleet(platform);
      const floor = await runFloor(platform, fleet.busy, inFlight);
      out[key].push(floor);
      log(`live ${size} floor (${floor.inFlight} in flight) #${run}: last cancel +${fmt(floor.lastCancelMs)} ms, all answered +${fmt(floor.allAnsweredMs)} ms, ${floor.inFlightMax} in flight, stolen by the host ${fmt(floor.stealMs)} ms`);
    }
  }
  return out;
}

const RUN_NAMES = new Map([
  [oneOperatorBare, "stop all"],
  [oneOperator, "stop all (Playwright)"],
  [serverAlone, "server alone"],
  [twoOperators, "two operators"],
]);

/**
 * `count` runs of `kind` (oneOperator / twoOperators), each after a reset; a
 * failed run is logged and left out. With `urls` (several replicas) run N
 * opens its (first) page on urls[N-1 mod length], a second operator on the
 * next one. `options` go to `kind` (finished's); `inspect(result, fleet)`,
 * when given, adds its figures to each run's.
 */
export async function repeat(kind, count, { browser, url, urls = [url], platform, size, log, tag = "live", options = {}, inspect }) {
  const results = [];
  for (let run = 1; run <= count; run++) {
    const fleet = await resetFleet(platform);
    const [first, other] = [urls[(run - 1) % urls.length], urls[run % urls.length]];
    try {
      const result = { ...(await kind(browser, first, platform, fleet, { ...options, otherUrl: other })), run };
      if (inspect) Object.assign(result, await inspect(result, fleet));
      results.push(urls.length > 1 ? { ...result, pages: kind === twoOperators ? [first, other] : [first] } : result);
      const extra = kind === twoOperators ? `; answers ${result.answers}${result.sameOperation ? ", one operation" : ", TWO OPERATIONS"}, POSTs ${fmt(result.postsApartMs)} ms apart` : "";
      const notShown = result.pagesNotFinished > 0 ? `; ${result.pagesNotFinished} PAGE(S) NEVER SHOWED THE END` : "";
      log(`${tag} ${size} ${RUN_NAMES.get(kind) ?? kind.name} #${run}: ${describeRun(result)}${extra}${notShown}${inspect ? ` ${describeInspected(result)}` : ""}`);
    } catch (error) {
      log(`${tag} ${size} ${kind.name} #${run}: FAILED, left out: ${error instanceof Error ? error.message.split("\n")[0] : error}`);
    }
  }
  return results;
}

/**
 * Every live row for every size; `dir` holds the live build, `launchBare`
 * starts the bare-driven Chromium (bare-chromium.mjs). Resolves with the
 * samples per size.
 */
export async function measureLive({ browser, launchBare, dir, sizes, runs, log }) {
  const samples = {};
  const platform = await startPlatform(dir, { port: LIVE_PLATFORM_PORT, token: LIVE_BENCH_TOKEN, fleet: `bench-${sizes[0]}` });
  try {
    for (const size of sizes) {
      const counts = liveRunCounts(size, runs);
      samples[size] = await measureFloors(platform, size, counts.floor, log);
      await loadFleet(platform, `bench-${size}`);
      const dataDir = mkdtempSync(path.join(tmpdir(), "fleet-canvas-bench-data-"));
      const server = await startServer(dir, "live", LIVE_APP_PORT, { platformUrl: platform.url, token: LIVE_BENCH_TOKEN, dataDir });
      try {
        await waitForRehearsal(server, log);
        const context = { browser, url: server.url, platform, size, log, options: { serverPid: server.child.pid } };
        const bare = await launchBare();
        try {
          samples[size].op = await repeat(oneOperatorBare, counts.op, { ...context, browser: bare });
        } finally {
          await bare.close();
        }
        samples[size].playwright = await repeat(oneOperator, counts.op, context);
        samples[size].alone = await repeat(serverAlone, counts.op, context);
        samples[size].twoOperators = await repeat(twoOperators, counts.twoOperators, context);
      } finally {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await platform.stop();
  }
  return samples;
}

/**
 * The live table's rows, each read from `samples[size][from]` (only the runs `where`
 * keeps, when given). `budget` per size; `check` says which figure of
 * the runs it holds for: the median (times) or the worst run (counts that
 * must be 0 in every run).
 */
export const LIVE_ROWS = [
  { label: "click → first cancel, at the platform", from: "op", key: "clickToFirstCancelMs", unit: "ms" },
  { label: "click → last cancel, at the platform", from: "op", key: "clickToLastCancelMs", unit: "ms", budget: { 1000: 500, 5000: 1500 }, check: "median" },
  { label: "the same, the first operation after the server started (and rehearsed) only", from: "op", where: (run) => run.run === 1, key: "clickToLastCancelMs", unit: "ms" },
  { label: "the same, the page driven by Playwright (its Network domain relays every event-stream message to the bench over DevTools)", from: "playwright", key: "clickToLastCancelMs", unit: "ms" },
  { label: "the same with no browser on the machine (the server alone, started from Node) → last cancel", from: "alone", key: "clickToLastCancelMs", unit: "ms" },
  {
    label: "CPU used from the click to the last cancel (2 cores): canvas server / test platform / browser, all its processes / the bench itself",
    from: "op",
    key: "cpuServerToLastCancelMs",
    also: ["cpuPlatformToLastCancelMs", "cpuBrowserToLastCancelMs", "cpuBenchToLastCancelMs"],
    unit: "ms",
  },
  {
    label: "the same, the page driven by Playwright: canvas server / test platform / browser, all its processes / the bench itself",
    from: "playwright",
    key: "cpuServerToLastCancelMs",
    also: ["cpuPlatformToLastCancelMs", "cpuBrowserToLastCancelMs", "cpuBenchToLastCancelMs"],
    unit: "ms",
  },
  { label: "the same, the server alone: canvas server / test platform", from: "alone", key: "cpuServerToLastCancelMs", also: ["cpuPlatformToLastCancelMs"], unit: "ms" },
  // The same code's last cancel moved by ~2× within an hour on this machine; the floor below and this row say how fast it was.
  { label: "CPU the host took from this machine meanwhile (steal, both cores)", from: "op", key: "cpuStealToLastCancelMs", unit: "ms" },
  { label: "targets cancelled before the deadline (of 400 / 2,000)", from: "op", key: "cancelledBeforeDeadline", unit: "" },
  { label: "needless restarts: drainable workspaces (drains-*) restarted", from: "op", key: "needlessRestarts", unit: "", budget: { 1000: 0, 5000: 0 }, check: "max" },
  { label: "fallback restarts: ignores-cancel-* restarted (of 40 / 200)", from: "op", key: "fallbackRestarts", unit: "" },
  { label: "drained, at the platform (of 360 / 1,800 drainable)", from: "op", key: "drained", unit: "" },
  { label: "platform calls in flight (max)", from: "op", key: "inFlightMax", unit: "" },
  { label: "click → finished shown", from: "op", key: "clickToFinishedMs", unit: "ms" },
  { label: "click + 8 s → last restart, at the platform", from: "op", key: "deadlineToLastRestartMs", unit: "ms" },
  { label: "two operators at once: workspaces restarted twice", from: "twoOperators", key: "doubleRestarts", unit: "", budget: { 1000: 0, 5000: 0 }, check: "max" },
  { label: "two operators at once: restarts (fallback + needless)", from: "twoOperators", key: "fallbackRestarts", also: ["needlessRestarts"], joiner: " + ", unit: "" },
  {
    label: "floor: the platform alone, ListTasks then CancelTask per target straight from Node, 256 in flight → last cancel (at the platform) / all answered",
    from: "floor256",
    key: "lastCancelMs",
    also: ["allAnsweredMs"],
    unit: "ms",
  },
  { label: "floor: the same, all targets at once → last cancel (at the platform) / all answered", from: "floorAll", key: "lastCancelMs", also: ["allAnsweredMs"], unit: "ms" },
  { label: "floor, all at once: CPU the host took over the run (steal, both cores)", from: "floorAll", key: "stealMs", unit: "ms" },
];

/** Summaries per size and row (`rows`: LIVE_ROWS or rows like them); `ok` per size that has a budget. */
export function summarizeLive(samples, sizes, rows = LIVE_ROWS) {
  return rows.map((row) => {
    const bySize = {};
    const ok = {};
    for (const size of sizes) {
      const list = (samples[size]?.[row.from] ?? []).filter(row.where ?? (() => true));
      const value = stats(list.map((s) => s[row.key]));
      bySize[size] = { value, pairs: (row.also ?? []).map((key) => stats(list.map((s) => s[key]))), runs: list.length };
      const budget = row.budget?.[size];
      if (budget !== undefined && value) ok[size] = (row.check === "max" ? value.max : value.median) <= budget;
    }
    return { ...row, bySize, ok };
  });
}

function budgetCell(row, sizes) {
  if (!row.budget) return "";
  const parts = sizes.map((size) => {
    const budget = row.budget[size];
    if (budget === undefined) return "—";
    const mark = row.ok[size] === undefined ? "" : row.ok[size] ? " ✅" : " ❌";
    return `${budget === 0 ? "0" : `≤ ${fmt(budget)} ${row.unit}`}${mark}`;
  });
  return parts.join(" / ");
}

/**
 * The live table in Markdown. `title` heads the first column; `budgets:
 * false` leaves the budget column out. A row's `bySize[size].text`, when
 * set, is its cell as it stands.
 */
export function liveMarkdownTable(rows, sizes, { title = "live mode (server-owned Stop All)", budgets = true } = {}) {
  const sizeNames = sizes.map((s) => s.toLocaleString("en"));
  const budgetHead = budgets ? ` budget (${sizeNames.join(" / ")}) |` : "";
  const lines = [`| ${title} |${budgetHead} ${sizeNames.map((s) => `${s} workspaces`).join(" | ")} |`, `|---|${budgets ? "---|" : ""}${sizes.map(() => "---|").join("")}`];
  for (const row of rows) {
    const cells = sizes.map((size) => {
      const { value, pairs, text } = row.bySize[size];
      return text ?? [value, ...pairs].map((s) => cell(s, row.unit, row.digits)).join(row.joiner ?? " / ");
    });
    lines.push(`| ${row.label} |${budgets ? ` ${budgetCell(row, sizes)} |` : ""} ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** The rows over budget, named with their size. */
export function liveFailures(rows) {
  return rows.flatMap((row) => Object.entries(row.ok).flatMap(([size, ok]) => (ok ? [] : [`live ${row.label} at ${Number(size).toLocaleString("en")}`])));
}
