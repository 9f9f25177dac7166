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
import { startServer } from "./app-build.mjs";
import { loadFleet, resetFleet, runFloor, startPlatform } from "./live-platform.mjs";
import { DEADLINE_MS } from "./measure.mjs";
import { cell, fmt, stats } from "./report.mjs";

const LIVE_PROBE = fileURLToPath(new URL("./live-probe.js", import.meta.url));
const VIEWPORT = { width: 1440, height: 900 };
/** The live canvas and its test platform listen here (the e2e suites use 3100, 3200, 3210, 4010). */
export const LIVE_APP_PORT = 3301;
export const LIVE_PLATFORM_PORT = 4601;
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

/** Waits until the page shows the summary of the operation its POST started or joined; resolves with the probe's record. */
async function finished(page) {
  await page.waitForFunction(() => window.__liveBench.finishedAt !== undefined, undefined, { timeout: 120_000, polling: 100 });
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

/** One operator: open, click Stop All, press Enter, wait for the summary, read the platform's metrics. */
async function oneOperator(browser, url, platform, fleet) {
  const machineLoad = loadavg()[0];
  const opened = await openLivePage(browser, url, fleet.busy.length);
  try {
    await openConfirm(opened);
    await opened.page.keyboard.press("Enter");
    const probe = await finished(opened.page);
    const clickAt = probe.posts[0].at;
    const figures = platformFigures(await platform.call("GET", "/_test/metrics"), fleet, clickAt);
    return { ...figures, clickToFinishedMs: probe.finishedAt - clickAt, summary: probe.finishedText, postStatus: probe.posts[0].status, machineLoad };
  } finally {
    await opened.context.close();
  }
}

/**
 * Two operators at once: two browser contexts on the same fleet, both
 * confirmations open, Enter pressed in both together. The server must run
 * one operation (one POST 201, the other 409 and joins it) and restart no
 * workspace twice.
 */
async function twoOperators(browser, url, platform, fleet) {
  const machineLoad = loadavg()[0];
  const a = await openLivePage(browser, url, fleet.busy.length);
  const b = await openLivePage(browser, url, fleet.busy.length).catch(async (error) => {
    await a.context.close();
    throw error;
  });
  try {
    await Promise.all([openConfirm(a), openConfirm(b)]);
    await Promise.all([a.page.keyboard.press("Enter"), b.page.keyboard.press("Enter")]);
    const [pa, pb] = await Promise.all([finished(a.page), finished(b.page)]);
    const posts = [pa.posts[0], pb.posts[0]];
    const clickAt = Math.min(...posts.map((post) => post.at));
    const figures = platformFigures(await platform.call("GET", "/_test/metrics"), fleet, clickAt);
    return {
      ...figures,
      answers: posts.map((post) => post.status).sort((x, y) => x - y).join("+"),
      sameOperation: pa.posts[0].operationId !== undefined && pa.posts[0].operationId === pb.posts[0].operationId,
      postsApartMs: Math.abs(posts[0].at - posts[1].at),
      clickToFinishedMs: Math.max(pa.finishedAt, pb.finishedAt) - clickAt,
      machineLoad,
    };
  } finally {
    await Promise.all([a.context.close(), b.context.close()]);
  }
}

const describeRun = (r) =>
  `first/last cancel +${fmt(r.clickToFirstCancelMs)}/+${fmt(r.clickToLastCancelMs)} ms, ${r.cancelledBeforeDeadline}/${r.targets} cancelled by the deadline, ` +
  `${r.fallbackRestarts} fallback + ${r.needlessRestarts} needless restarts, ${r.doubleRestarts} double, ${r.inFlightMax} in flight; finished +${fmt(r.clickToFinishedMs)} ms`;

/** Floors on the `-drain` fleet (every cancel answered): 256 in flight, then all at once, `count` times each. */
async function measureFloors(platform, size, count, log) {
  const out = { floor256: [], floorAll: [] };
  const fleet = await loadFleet(platform, `bench-${size}-drain`);
  for (let run = 1; run <= count; run++) {
    for (const [key, inFlight] of [["floor256", 256], ["floorAll", Infinity]]) {
      await resetFleet(platform);
      const floor = await runFloor(platform, fleet.busy, inFlight);
      out[key].push(floor);
      log(`live ${size} floor (${floor.inFlight} in flight) #${run}: last cancel +${fmt(floor.lastCancelMs)} ms, all answered +${fmt(floor.allAnsweredMs)} ms, ${floor.inFlightMax} in flight`);
    }
  }
  return out;
}

/** `count` runs of `kind` (oneOperator / twoOperators), each after a reset; a failed run is logged and left out. */
async function repeat(kind, count, { browser, url, platform, size, log }) {
  const results = [];
  for (let run = 1; run <= count; run++) {
    const fleet = await resetFleet(platform);
    try {
      const result = await kind(browser, url, platform, fleet);
      results.push(result);
      const extra = kind === twoOperators ? `; answers ${result.answers}${result.sameOperation ? ", one operation" : ", TWO OPERATIONS"}, POSTs ${fmt(result.postsApartMs)} ms apart` : "";
      log(`live ${size} ${kind === twoOperators ? "two operators" : "stop all"} #${run}: ${describeRun(result)}${extra}`);
    } catch (error) {
      log(`live ${size} ${kind.name} #${run}: FAILED, left out: ${error instanceof Error ? error.message.split("\n")[0] : error}`);
    }
  }
  return results;
}

/** Every live row for every size; `dir` holds the live build. Resolves with the samples per size. */
export async function measureLive({ browser, dir, sizes, runs, log }) {
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
        const context = { browser, url: server.url, platform, size, log };
        samples[size].op = await repeat(oneOperator, counts.op, context);
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
 * The live table's rows. `budget` per size; `check` says which figure of
 * the runs it holds for: the median (times) or the worst run (counts that
 * must be 0 in every run).
 */
export const LIVE_ROWS = [
  { label: "click → first cancel, at the platform", from: "op", key: "clickToFirstCancelMs", unit: "ms" },
  { label: "click → last cancel, at the platform", from: "op", key: "clickToLastCancelMs", unit: "ms", budget: { 1000: 500, 5000: 1500 }, check: "median" },
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
];

/** Summaries per size and row; `ok` per size that has a budget. */
export function summarizeLive(samples, sizes) {
  return LIVE_ROWS.map((row) => {
    const bySize = {};
    const ok = {};
    for (const size of sizes) {
      const list = samples[size]?.[row.from] ?? [];
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

/** The live table in Markdown. */
export function liveMarkdownTable(rows, sizes) {
  const sizeNames = sizes.map((s) => s.toLocaleString("en"));
  const lines = [`| live mode (server-owned Stop All) | budget (${sizeNames.join(" / ")}) | ${sizeNames.map((s) => `${s} workspaces`).join(" | ")} |`, `|---|---|${sizes.map(() => "---|").join("")}`];
  for (const row of rows) {
    const cells = sizes.map((size) => {
      const { value, pairs } = row.bySize[size];
      return [value, ...pairs].map((s) => cell(s, row.unit, row.digits)).join(row.joiner ?? " / ");
    });
    lines.push(`| ${row.label} | ${budgetCell(row, sizes)} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** The rows over budget, named with their size. */
export function liveFailures(rows) {
  return rows.flatMap((row) => Object.entries(row.ok).flatMap(([size, ok]) => (ok ? [] : [`live ${row.label} at ${Number(size).toLocaleString("en")}`])));
}
