// npm run bench: the canvas under load, measured in a production build.
//
//   node e2e/bench/run.mjs [--sizes 1000,5000] [--runs 5] [--large-op-budget 120]
//                          [--no-build] [--no-live | --live-only | --replicas-only] [--no-replicas]
//                          [--url http://127.0.0.1:3300] [--out bench-results/bench.json]
//
// --no-build reuses the last builds in the copy; --url measures a server that
// is already running (a mock build) and skips the builds and everything live;
// --no-live skips the live build, its bundle, the live rows and the replica
// rows; --live-only skips the mock build and rows (and writes
// bench-results/bench-live.json); --replicas-only builds the live build and
// runs only the replica rows (bench-results/bench-replicas.json);
// --no-replicas skips the replica rows.
//
// Builds the app (mock mode into .next, then live mode into .next-live) in a
// copy of the working tree. Mock rows: `next start` on 127.0.0.1:3300, Debian's
// Chromium driven with Playwright on the zero-latency bench scenarios
// (lib/mock/scenarios/bench.ts). Live rows (live.mjs): the test platform
// (e2e/live) on 127.0.0.1:4601 with the bench fleets and latencies, the live
// build on 127.0.0.1:3301, Stop All measured at the platform. Replica rows
// (replicas.mjs): two `next start` of the live build (3340, 3341) on one
// throw-away Postgres journal (4645), their own platform (4640). Repeats every
// measurement, prints Markdown tables of medians and ranges and writes
// everything to bench-results/bench.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { launchBareChromium } from "./bare-chromium.mjs";
import { buildApp, prepareCopy, startServer } from "./app-build.mjs";
import { measureFirstLoadJs } from "./bundle-size.mjs";
import { openFleet, runNaive, runStopAll, runTransportFloor } from "./measure.mjs";
import { LIVE_APP_PORT, LIVE_BENCH_PLATFORM_URL, LIVE_BENCH_TOKEN, liveFailures, liveMarkdownTable, measureLive, summarizeLive } from "./live.mjs";
import { markdownTable, stats, summarize } from "./report.mjs";
import { measureReplicas, REPLICA_ROWS, replicaCellText, replicaRowSamples } from "./replicas.mjs";

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,5000" },
    runs: { type: "string", default: "5" },
    "no-build": { type: "boolean", default: false },
    "no-live": { type: "boolean", default: false },
    "live-only": { type: "boolean", default: false },
    "replicas-only": { type: "boolean", default: false },
    "no-replicas": { type: "boolean", default: false },
    // Operations on fleets above 1,000 get this many seconds in all; at least one of each kind runs.
    "large-op-budget": { type: "string", default: "120" },
    url: { type: "string" },
    out: { type: "string" },
  },
});
const sizes = args.sizes.split(",").map(Number);
const runs = Number(args.runs);
const repo = process.cwd();
const started = Date.now();
const log = (message) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

async function withServer(dir, mode, port, body, live) {
  const server = await startServer(dir, mode, port, live);
  try {
    return await body(server.url);
  } finally {
    await server.stop();
  }
}

/** One load plus (unless `kind` is "load") one operation of `kind` on a fresh page; the page is closed after. */
async function sample(browser, url, size, kind, { floor }) {
  const scenario = kind === "drain" ? `bench-${size}-drain` : `bench-${size}`;
  const machineLoad = loadavg()[0];
  const opened = await openFleet(browser, url, scenario);
  const { context, page } = opened;
  const load = { ...opened.load, machineLoad };
  try {
    if (kind === "load") return { load: { ...load, scenario } };
    if (kind === "naive") {
      // Same page, before the naive run: what the mock alone costs for one request per target,
      // through the app's transport as Stop All sends (256 in flight), and once per size through
      // the service worker (8 in flight, as the app did before it answered in the page).
      const appFloor = await runTransportFloor(page, (size * 2) / 5, 256, "app");
      const workerFloor = floor ? await runTransportFloor(page, (size * 2) / 5, 8, "worker") : undefined;
      const result = await runNaive(page);
      return {
        load: { ...load, scenario },
        result: { ...result, appFloorLastSentMs: appFloor.lastSentMs, appFloorAllAnsweredMs: appFloor.allAnsweredMs, floorLastSentMs: workerFloor?.lastSentMs, floorAllAnsweredMs: workerFloor?.allAnsweredMs },
      };
    }
    return { load: { ...load, scenario }, result: await runStopAll(page) };
  } finally {
    await context.close();
  }
}

function describe(kind, load, result) {
  const painted = `painted ${load.rowsToPaintedMs.toFixed(0)} ms after rows`;
  if (!result) return painted;
  const headline = kind === "naive" ? `${result.restartsSent} restarts, last sent +${result.clickToLastRestartMs.toFixed(0)} ms` : result.summary;
  return `${painted}; ${headline}; longest task ${result.longestTaskMs.toFixed(0)} ms`;
}

/**
 * Every size, `runs` times: a deadline run, a drain run and the naive
 * baseline, each on a freshly loaded page (so each also gives the load
 * figures). Above 1,000 workspaces an operation takes minutes here (see the
 * README): once `--large-op-budget` seconds are spent on a size, later
 * repetitions only load the page, so every load figure still has `runs` samples.
 */
async function measureMock(browser, url) {
  const samples = {};
  for (const size of sizes) {
    samples[size] = { load: [], drain: [], deadline: [], naive: [] };
    const sizeStarted = Date.now();
    const budgetMs = size > 1000 ? Number(args["large-op-budget"]) * 1000 : Infinity;
    for (let run = 1; run <= runs; run++) {
      let ran = 0;
      for (const kind of ["deadline", "drain", "naive"]) {
        if (Date.now() - sizeStarted > budgetMs && samples[size][kind].length > 0) continue;
        let taken;
        try {
          taken = await sample(browser, url, size, kind, { floor: samples[size].naive.every((n) => n.floorLastSentMs === undefined) });
        } catch (error) {
          log(`${size} ${kind} #${run}: FAILED, left out: ${error instanceof Error ? error.message.split("\n")[0] : error}`);
          continue;
        }
        const { load, result } = taken;
        samples[size].load.push(load);
        samples[size][kind].push(result);
        ran++;
        log(`${size} ${kind} #${run}: ${describe(kind, load, result)}`);
      }
      if (ran === 0) {
        const { load } = await sample(browser, url, size, "load", {});
        samples[size].load.push(load);
        log(`${size} load #${run}: ${describe("load", load)}`);
      }
    }
  }
  return samples;
}

/** The mock rows (unless --live-only / --replicas-only), the bundles, and (unless --no-live) the live and replica rows. */
async function collect(browser) {
  const bundles = {};
  if (args.url) {
    const samples = await measureMock(browser, args.url);
    bundles.mock = await measureFirstLoadJs(browser, args.url, { mock: true });
    return { samples, bundles };
  }
  const dir = prepareCopy(repo);
  if (args["replicas-only"]) {
    if (!args["no-build"]) buildApp(dir, "live", log, { platformUrl: LIVE_BENCH_PLATFORM_URL, token: LIVE_BENCH_TOKEN });
    return { bundles, replicas: await measureReplicas({ browser, dir, sizes, runs, log }) };
  }
  let samples;
  if (!args["live-only"]) {
    if (!args["no-build"]) buildApp(dir, "mock", log);
    samples = await withServer(dir, "mock", 3300, async (url) => {
      bundles.mock = await measureFirstLoadJs(browser, url, { mock: true });
      return measureMock(browser, url);
    });
  }
  let live;
  if (!args["no-live"]) {
    // Built and started with the bench platform's URL and token; for the bundle it is not running yet (no rows, as before).
    const platform = { platformUrl: LIVE_BENCH_PLATFORM_URL, token: LIVE_BENCH_TOKEN };
    if (!args["no-build"]) buildApp(dir, "live", log, platform);
    const dataDir = mkdtempSync(path.join(tmpdir(), "fleet-canvas-bench-data-"));
    try {
      await withServer(dir, "live", LIVE_APP_PORT, async (url) => (bundles.live = await measureFirstLoadJs(browser, url, { mock: false })), { ...platform, dataDir });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    live = await measureLive({ browser, launchBare: () => launchBareChromium(executablePath, CHROMIUM_ARGS), dir, sizes, runs, log });
  }
  const replicas = args["no-live"] || args["no-replicas"] ? undefined : await measureReplicas({ browser, dir, sizes, runs, log });
  return { samples, bundles, live, replicas };
}

/** The replica table (printed), its rows and the samples, for bench.json. */
function reportReplicas(replicas, machine) {
  const rows = summarizeLive(replicaRowSamples(replicas, sizes), sizes, REPLICA_ROWS);
  for (const row of rows) for (const size of sizes) row.bySize[size].text = replicaCellText(row, replicas, size);
  const table = liveMarkdownTable(rows, sizes, { title: "two replicas (Postgres journal)", budgets: false });
  const counts = sizes.map((size) => `${size.toLocaleString("en")}: ${["op", "twoOperators", "events", "takeover"].map((k) => `${replicas[size][k].length} ${k}`).join(", ")}`).join("; ");
  console.log(`\n${table}\n\nReplica medians (min–max in brackets); runs ${counts}; ${machine}.`);
  return { table, rows, samples: replicas };
}

function machineLoadLine(values) {
  const machineLoad = stats(values);
  if (!machineLoad) return undefined;
  console.log(`Machine load (1-min average) at each sample: median ${machineLoad.median.toFixed(1)} (${machineLoad.min.toFixed(1)}–${machineLoad.max.toFixed(1)}) on ${cpus().length} cores.`);
  // The bench itself (browser, server, driver) keeps the load near 2.
  if (machineLoad.median > cpus().length + 1) console.log("WARNING: other processes competed for the CPU during this run; its timings are inflated. Run it again on a quiet machine.");
  return machineLoad;
}

async function main() {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const browserVersion = browser.version();
  let collected;
  try {
    collected = await collect(browser);
  } finally {
    await browser.close();
  }
  const { samples, bundles, live, replicas } = collected;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, Chromium ${browserVersion}`;
  const rows = samples ? summarize(samples, sizes) : [];
  const table = samples ? markdownTable(rows, sizes, bundles) : undefined;
  if (table) console.log(`\n${table}\n\nMedians of ${runs} runs (min–max in brackets); ${machine}.`);
  const liveRows = live ? summarizeLive(live, sizes) : [];
  const liveTable = live ? liveMarkdownTable(liveRows, sizes) : undefined;
  if (liveTable) {
    const counts = sizes.map((size) => `${size.toLocaleString("en")}: ${live[size].op.length} operations, ${live[size].twoOperators.length} two-operator, ${live[size].floor256.length} floor runs`).join("; ");
    console.log(`\n${liveTable}\n\nLive medians (min–max in brackets); ${counts}; ${machine}.`);
    if (!table && bundles.live) console.log(`First-load JS of \`/\`, gzip, mocking off: ${(bundles.live.initialGzip / 1024).toFixed(1)} KB (budget 250 KB).`);
  }
  const replicaDoc = replicas ? reportReplicas(replicas, machine) : undefined;
  const runsOf = (doc, size) => (doc ? [...(doc[size].op ?? []), ...(doc[size].twoOperators ?? []), ...(doc[size].events ?? []), ...(doc[size].takeover ?? [])] : []);
  const loads = [...sizes.flatMap((size) => samples?.[size].load.map((l) => l.machineLoad) ?? []), ...sizes.flatMap((size) => [...runsOf(live, size), ...runsOf(replicas, size)].map((r) => r.machineLoad))];
  const machineLoad = machineLoadLine(loads);
  const failed = [...rows.filter((row) => row.ok === false).map((row) => row.label), ...liveFailures(liveRows)];
  if (bundles.live && bundles.live.initialGzip / 1024 > 250) failed.push("first-load JS (mocking off)");
  if (failed.length > 0) console.log(`Over budget: ${failed.join("; ")}`);

  const out = path.resolve(repo, args.out ?? (args["replicas-only"] ? "bench-results/bench-replicas.json" : args["live-only"] ? "bench-results/bench-live.json" : "bench-results/bench.json"));
  mkdirSync(path.dirname(out), { recursive: true });
  const liveDoc = live ? { table: liveTable, rows: liveRows, samples: live } : undefined;
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine, machineLoad, runs, sizes, table, rows, bundles, samples, live: liveDoc, replicas: replicaDoc }, null, 2));
  log(`wrote ${path.relative(repo, out)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
