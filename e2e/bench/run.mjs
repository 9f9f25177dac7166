// npm run bench: the canvas under load, measured in a production build.
//
//   node e2e/bench/run.mjs [--sizes 1000,5000] [--runs 5] [--large-op-budget 120]
//                          [--no-build] [--no-live] [--url http://127.0.0.1:3300] [--out bench-results/bench.json]
//
// --no-build reuses the last build in the copy; --url measures a server that
// is already running (a mock build) and skips the builds and the live bundle.
//
// Builds the app (mock mode, then live mode for its bundle size) in a copy of
// the working tree, starts `next start` on port 3300/3301, drives Debian's
// Chromium with Playwright on the zero-latency bench scenarios
// (lib/mock/scenarios/bench.ts), repeats every measurement, prints a Markdown
// table of medians and ranges and writes everything to bench-results/bench.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { buildApp, prepareCopy, startServer } from "./app-build.mjs";
import { measureFirstLoadJs } from "./bundle-size.mjs";
import { openFleet, runNaive, runStopAll, runTransportFloor } from "./measure.mjs";
import { markdownTable, stats, summarize } from "./report.mjs";

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,5000" },
    runs: { type: "string", default: "5" },
    "no-build": { type: "boolean", default: false },
    "no-live": { type: "boolean", default: false },
    // Operations on fleets above 1,000 get this many seconds in all; at least one of each kind runs.
    "large-op-budget": { type: "string", default: "120" },
    url: { type: "string" },
    out: { type: "string", default: "bench-results/bench.json" },
  },
});
const sizes = args.sizes.split(",").map(Number);
const runs = Number(args.runs);
const repo = process.cwd();
const started = Date.now();
const log = (message) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

async function withServer(dir, mode, port, body) {
  const server = await startServer(dir, mode, port);
  try {
    return await body(server.url);
  } finally {
    server.stop();
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

async function main() {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const browserVersion = browser.version();
  const bundles = {};
  let samples;
  try {
    if (args.url) {
      samples = await measureMock(browser, args.url);
      bundles.mock = await measureFirstLoadJs(browser, args.url, { mock: true });
    } else {
      const dir = prepareCopy(repo);
      if (!args["no-build"]) buildApp(dir, "mock", log);
      samples = await withServer(dir, "mock", 3300, async (url) => {
        bundles.mock = await measureFirstLoadJs(browser, url, { mock: true });
        return measureMock(browser, url);
      });
      if (!args["no-live"]) {
        buildApp(dir, "live", log);
        await withServer(dir, "live", 3301, async (url) => {
          bundles.live = await measureFirstLoadJs(browser, url, { mock: false });
        });
      }
    }
  } finally {
    await browser.close();
  }

  const rows = summarize(samples, sizes);
  const table = markdownTable(rows, sizes, bundles);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, Chromium ${browserVersion}`;
  console.log(`\n${table}\n\nMedians of ${runs} runs (min–max in brackets); ${machine}.`);
  const machineLoad = stats(sizes.flatMap((size) => samples[size].load.map((l) => l.machineLoad)));
  if (machineLoad) {
    console.log(`Machine load (1-min average) at each sample: median ${machineLoad.median.toFixed(1)} (${machineLoad.min.toFixed(1)}–${machineLoad.max.toFixed(1)}) on ${cpus().length} cores.`);
    // The bench itself (browser, server, driver) keeps the load near 2.
    if (machineLoad.median > cpus().length + 1) console.log("WARNING: other processes competed for the CPU during this run; its timings are inflated. Run it again on a quiet machine.");
  }
  const failed = rows.filter((row) => row.ok === false).map((row) => row.label);
  const liveOver = bundles.live && bundles.live.initialGzip / 1024 > 250;
  if (failed.length > 0 || liveOver) console.log(`Over budget: ${[...failed, ...(liveOver ? ["first-load JS (mocking off)"] : [])].join("; ")}`);

  const out = path.resolve(repo, args.out);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine, machineLoad, runs, sizes, table, rows, bundles, samples }, null, 2));
  log(`wrote ${path.relative(repo, out)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
