// The replica rows of `npm run bench` (and `--replicas-only`): two canvas
// servers of the live build sharing one Postgres journal, measured at the
// test platform. One throw-away Postgres cluster
// (lib/server/stop-all/testing/postgres-cluster.ts) for the whole run, a
// fresh database per fleet size; per size, the test platform (its own
// process, 127.0.0.1:4640) on `bench-N`, and two `next start` (3340, 3341)
// with the same DATABASE_URL, PLATFORM_URL and token and a DATA_DIR each
// (unused with Postgres). On them:
// - the live rows of live.mjs, operator pages alternating between the
//   replicas, and two operators at once on different replicas;
// - cross-replica event delay: a Stop All started from Node, its event
//   stream read from Node on the driving replica and on the other one;
// - takeover: the same, and the driver SIGKILLed 1 s before the deadline;
//   the lease's change in the journal and the new owner's first requests at
//   the platform (request log).
import { mkdtempSync, rmSync } from "node:fs";
import { register } from "node:module";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { startServer, waitForRehearsal } from "./app-build.mjs";
import { LIVE_BENCH_TOKEN, LIVE_ROWS, oneOperator, platformFigures, repeat, twoOperators } from "./live.mjs";
import { loadFleet, resetFleet, startPlatform } from "./live-platform.mjs";
import { DEADLINE_MS } from "./measure.mjs";
import { eventDelays, openEventStream, openJournalReader, percentiles, startOperation, takeoverRequests, watchWrites } from "./replica-probes.mjs";
import { fmt } from "./report.mjs";

/** Ports of the replica rows (the e2e suites use 3100, 3200, 3210, 3220-3229, 4010; the single-server live rows 3301, 4601). */
export const REPLICA_APP_PORTS = [3340, 3341];
export const REPLICA_PLATFORM_PORT = 4640;
export const REPLICA_POSTGRES_PORT = 4645;
/** The takeover runs kill the driving replica this long before the deadline: the fallback restarts are due while nobody drives. */
export const KILL_BEFORE_DEADLINE_MS = 1000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const errorText = (error) => (error instanceof Error ? error.message.split("\n")[0] : String(error));

/** Runs per size: at 1,000 operations min(runs, 3), two-operator 2, event-delay 2, takeover 3; above 1,000 operations 2, one of each other. */
export function replicaRunCounts(size, runs) {
  if (size > 1000) return { op: Math.min(runs, 2), twoOperators: 1, events: 1, takeover: 1 };
  return { op: Math.min(runs, 3), twoOperators: Math.min(runs, 2), events: Math.min(runs, 2), takeover: Math.min(runs, 3) };
}

/** The throw-away cluster, its TypeScript loaded as e2e/live/run-postgres.mjs does (e2e/live/ts-loader.mjs). */
async function startCluster() {
  register("../live/ts-loader.mjs", import.meta.url);
  const { startPostgresCluster } = await import("../../lib/server/stop-all/testing/postgres-cluster.ts");
  return startPostgresCluster({ port: REPLICA_POSTGRES_PORT });
}

/** Replica `index` (A, B) of the live build on its port; `restart()` starts it again (fresh DATA_DIR) after a kill. */
async function startReplica(dir, index, platform, databaseUrl) {
  const replica = { name: "AB"[index], port: REPLICA_APP_PORTS[index] };
  replica.start = async () => {
    replica.dataDir = mkdtempSync(path.join(tmpdir(), "fleet-canvas-bench-replica-"));
    replica.server = await startServer(dir, "live", replica.port, { platformUrl: platform.url, token: LIVE_BENCH_TOKEN, dataDir: replica.dataDir, databaseUrl });
    replica.url = replica.server.url;
    replica.pid = replica.server.child.pid;
  };
  replica.stop = async () => {
    await replica.server?.stop();
    if (replica.dataDir) rmSync(replica.dataDir, { recursive: true, force: true });
  };
  replica.restart = async () => {
    await replica.stop();
    await replica.start();
  };
  replica.owns = (row) => row?.lease_owner?.startsWith(`${replica.pid}-`) === true;
  await replica.start();
  await waitForRehearsal(replica.server);
  return replica;
}

/**
 * Kills `owner` (SIGKILL) 1 s before the deadline of the operation started
 * at `startedAt` and waits until the journal's lease names another replica
 * (polled every 10 ms); resolves with when, and who had it before and after.
 * `clean` is false when `owner` no longer held the lease at the kill (it had
 * lapsed and the other replica had taken over already): no takeover sample.
 */
async function killOwner({ journal, owner, survivor, id, startedAt }) {
  await sleep(Math.max(0, startedAt + DEADLINE_MS - KILL_BEFORE_DEADLINE_MS - Date.now()));
  const before = await journal.read(id);
  const killAt = Date.now();
  owner.server.child.kill("SIGKILL");
  if (!owner.owns(before) || Number(before.lease_generation) !== 1) return { killAt, clean: false, generations: `${before.lease_generation} at the kill`, ownerWasDriving: owner.owns(before) };
  const taken = await journal.waitFor(id, (row) => row.lease_owner !== before.lease_owner, { timeoutMs: 30_000 });
  if (!taken) throw new Error("no replica took the operation over within 30 s of the kill");
  return {
    killAt,
    clean: true,
    takenAt: taken.at,
    killToLeaseTakenMs: taken.at - killAt,
    ownerWasDriving: owner.owns(before),
    survivorTookOver: survivor.owns(taken.row),
    generations: `${before.lease_generation}→${taken.row.lease_generation}`,
  };
}

/**
 * What the request log, the journal and the survivor's stream (open since
 * the start, reconnecting as a browser's does) say about a takeover run:
 * the new owner's first requests; of the events the journal got after the
 * takeover, how many reached that stream (as `op` messages or in a later
 * snapshot), whether it got to the operation's final seq (`finalSeq`), and
 * when it carried the new owner's events first.
 */
async function takeoverFigures(platform, takeover, stream, written, finalSeq) {
  if (!takeover.clean) return takeover;
  const list = await platform.call("GET", "/_test/requests");
  const { killAt, takenAt } = takeover;
  const writtenAfter = [...written].filter(([, at]) => at >= takenAt).map(([seq]) => seq);
  const snapshotsAfter = stream.snapshots.filter((s) => s.at >= takenAt);
  const reached = writtenAfter.filter((seq) => stream.arrivals.has(seq) || snapshotsAfter.some((s) => s.seq >= seq));
  const lastSeen = Math.max(0, ...stream.arrivals.keys(), ...stream.snapshots.map((s) => s.seq));
  const firstAfter = Math.min(...[...stream.arrivals.values(), ...snapshotsAfter.map((s) => s.at)].filter((at) => at >= takenAt));
  return {
    ...takeover,
    ...takeoverRequests(list, killAt, takenAt),
    finalSeq,
    survivorLastSeq: lastSeen,
    survivorCaughtUp: lastSeen >= finalSeq ? 1 : 0,
    writtenAfterTakeover: writtenAfter.length,
    survivorStreamReachedAfter: reached.length,
    survivorStreamEnds: stream.ends.filter((at) => at >= killAt).length,
    killToSurvivorStreamResumedMs: Number.isFinite(firstAfter) ? firstAfter - killAt : undefined,
    survivorSawFinished: snapshotsAfter.some((s) => s.phase === "finished"),
  };
}

/** How many of the operation's targets the platform still shows busy (active tasks): none, once an operation has done its work. */
async function stillBusy(platform, fleet) {
  const targets = new Set(fleet.busy);
  const rows = await platform.call("GET", "/workspaces");
  return rows.filter((row) => targets.has(row.id) && row.active_tasks > 0).length;
}

/** After a page run: the journal's lease generation of its operation (1: nobody took it over) and the targets left busy. */
function inspectRun(journal, platform) {
  return async (result, fleet) => {
    const row = await journal.read(result.operationId);
    const generation = row ? Number(row.lease_generation) : undefined;
    return { leaseGeneration: generation, unplannedTakeovers: row ? generation - 1 : undefined, stillBusyAfter: await stillBusy(platform, fleet), outcomes: row ? await journal.outcomes(row.id) : undefined };
  };
}

/**
 * One operation started from Node on one replica (alternating), its event
 * stream read on both; with `kill`, the driver is killed before the
 * deadline (then started again). Resolves with the platform's figures, the
 * event delays and, with `kill`, the takeover's.
 */
async function nodeOperation({ platform, journal, databaseUrl, replicas }, run, kill) {
  const machineLoad = loadavg()[0];
  const fleet = await resetFleet(platform);
  const [owner, other] = run % 2 === 1 ? replicas : [...replicas].reverse();
  const started = await startOperation(owner.url, fleet.busy);
  const streams = { owner: openEventStream(owner.url, started.id, "bench-replicas-owner"), other: openEventStream(other.url, started.id, "bench-replicas-other") };
  const writes = await watchWrites(databaseUrl, started.id);
  let takeover;
  try {
    if (kill) takeover = await killOwner({ journal, owner, survivor: other, id: started.id, startedAt: started.at });
    const done = await journal.waitFor(started.id, (row) => row.status === "finished", { everyMs: 100, timeoutMs: 60_000 });
    if (!done) throw new Error("the operation did not finish within 60 s");
    // The other replica's stream may have ended (a takeover): let it reconnect and catch up, as a page would.
    await streams.other.settled();
    await writes.stop();
    const figures = platformFigures(await platform.call("GET", "/_test/metrics"), fleet, started.at);
    const delays = eventDelays(streams.owner, streams.other, { written: writes.seen, startedAt: started.at });
    const generation = Number(done.row.lease_generation);
    const planned = kill && takeover.clean ? 1 : 0;
    const result = { ...figures, owner: owner.name, startToFinishedMs: done.at - started.at, ...delays, otherStreamEnds: streams.other.ends.length, otherStreamErrors: streams.other.errors, machineLoad };
    const outcomes = await journal.outcomes(started.id);
    Object.assign(result, { leaseGeneration: generation, unplannedTakeovers: generation - 1 - planned, stillBusyAfter: await stillBusy(platform, fleet), outcomes });
    if (kill) result.takeover = await takeoverFigures(platform, takeover, streams.other, writes.seen, Number(done.row.base_seq));
    return result;
  } finally {
    await writes.stop();
    for (const stream of Object.values(streams)) stream.close();
    if (kill) await owner.restart();
  }
}

const describeNodeRun = (r) => {
  const delay = percentiles(r.delays);
  const [write, read] = [percentiles(r.writeLags), percentiles(r.readLags)];
  const head =
    `driver ${r.owner}; event delay ${fmt(delay?.median)} / ${fmt(delay?.p90)} / ${fmt(delay?.max)} ms over ${r.compared} events (${r.inSnapshot} in a snapshot, ${r.missing} missing; ` +
    `median write ${fmt(write?.median)}, read ${fmt(read?.median)} ms)`;
  const counts = `${r.fallbackRestarts} fallback + ${r.needlessRestarts} needless restarts, ${r.doubleRestarts} double, ${r.stillBusyAfter} targets still busy after the end, lease generation ${r.leaseGeneration}`;
  if (!r.takeover) return `${head}; ${counts}`;
  const t = r.takeover;
  if (!t.clean) return `${head}; ${counts}; NOT A TAKEOVER SAMPLE: the driver had lost its lease before the kill (generation ${t.generations})`;
  return (
    `${head}; kill → lease taken ${fmt(t.killToLeaseTakenMs)} ms (${t.survivorTookOver ? "by the survivor" : "NOT BY THE SURVIVOR"}, gen ${t.generations}), ` +
    `→ first request ${fmt(t.killToFirstRequestMs)} ms (${t.firstRequest}), → first restart ${fmt(t.killToFirstRestartMs)} ms; ${counts}; ` +
    `survivor's stream: ${t.survivorStreamEnds} end(s), resumed ${fmt(t.killToSurvivorStreamResumedMs)} ms after the kill, reached ${t.survivorStreamReachedAfter} of the ${t.writtenAfterTakeover} events journaled after the takeover, ${t.survivorCaughtUp ? "and" : "but NOT"} the final seq ${t.finalSeq}`
  );
};

/** `count` Node-started operations (`kill`: takeover runs); a failed run is logged and left out. */
async function repeatNode(context, count, kill) {
  const results = [];
  for (let run = 1; run <= count; run++) {
    try {
      const result = await nodeOperation(context, run, kill);
      results.push(result);
      context.log(`replicas ${context.size} ${kill ? "takeover" : "event delay"} #${run}: ${describeNodeRun(result)}`);
    } catch (error) {
      const platformGone = context.platform.exit() ? ` (the test platform ${context.platform.exit()}: ${context.platform.output()})` : "";
      context.log(`replicas ${context.size} ${kill ? "takeover" : "event delay"} #${run}: FAILED, left out: ${errorText(error)}${platformGone}`);
    }
  }
  return results;
}

/** Every replica row for one size, on a fresh database and two fresh replicas. */
async function measureSize({ browser, dir, cluster, platform, size, runs, log }) {
  const counts = replicaRunCounts(size, runs);
  await loadFleet(platform, `bench-${size}`);
  const databaseUrl = await cluster.createDatabase(`fleet_canvas_bench_${size}`);
  const replicas = await Promise.all([0, 1].map((index) => startReplica(dir, index, platform, databaseUrl)));
  const journal = await openJournalReader(databaseUrl);
  try {
    log(`replicas ${size}: A ${replicas[0].url} (pid ${replicas[0].pid}), B ${replicas[1].url} (pid ${replicas[1].pid}), one Postgres journal`);
    const options = { finishTimeoutMs: 30_000, unfinishedOk: true };
    const pages = { browser, url: replicas[0].url, urls: replicas.map((r) => r.url), platform, size, log, tag: "replicas", options, inspect: inspectRun(journal, platform) };
    const op = await repeat(oneOperator, counts.op, pages);
    const twoOps = await repeat(twoOperators, counts.twoOperators, pages);
    const nodeContext = { platform, journal, databaseUrl, replicas, size, log };
    const events = await repeatNode(nodeContext, counts.events, false);
    const takeover = await repeatNode(nodeContext, counts.takeover, true);
    return { op, twoOperators: twoOps, events, takeover };
  } finally {
    await journal.close().catch(() => {});
    await Promise.all(replicas.map((replica) => replica.stop()));
  }
}

/** Every replica row for every size; `dir` holds the live build. Resolves with the samples per size. */
export async function measureReplicas({ browser, dir, sizes, runs, log }) {
  const started = Date.now();
  const cluster = await startCluster();
  log(`replicas: throw-away Postgres on 127.0.0.1:${cluster.port} (${cluster.dataDir})`);
  const samples = {};
  try {
    const platform = await startPlatform(dir, { port: REPLICA_PLATFORM_PORT, token: LIVE_BENCH_TOKEN, fleet: `bench-${sizes[0]}` });
    try {
      for (const size of sizes) samples[size] = await measureSize({ browser, dir, cluster, platform, size, runs, log });
    } finally {
      await platform.stop();
    }
  } finally {
    await cluster.destroy();
  }
  log(`replicas: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return samples;
}

const liveRow = (key, label) => ({ ...LIVE_ROWS.find((row) => row.key === key && row.from !== "twoOperators"), budget: undefined, ...(label ? { label } : {}) });

/** The replica table's rows: the live rows (no floors), then the cross-replica ones. */
export const REPLICA_ROWS = [
  liveRow("clickToFirstCancelMs"),
  liveRow("clickToLastCancelMs"),
  liveRow("cancelledBeforeDeadline"),
  liveRow("needlessRestarts"),
  liveRow("fallbackRestarts"),
  liveRow("drained"),
  liveRow("inFlightMax"),
  liveRow("clickToFinishedMs"),
  liveRow("deadlineToLastRestartMs"),
  { label: "two operators at once, on different replicas: workspaces restarted twice", from: "twoOperators", key: "doubleRestarts", unit: "" },
  { label: "two operators at once, on different replicas: restarts (fallback + needless)", from: "twoOperators", key: "fallbackRestarts", also: ["needlessRestarts"], joiner: " + ", unit: "" },
  { label: "operator pages that never showed the end (within 30 s): one operator / two operators", counts: ["op", "twoOperators"], key: "pagesNotFinished", runsOf: "pages" },
  { label: "unplanned takeovers (the driver's lease lapsed while it was alive): one operator / two operators / Node-started / takeover runs", counts: ["op", "twoOperators", "events", "takeover"], key: "unplannedTakeovers", runsOf: "runs" },
  { label: "targets still busy at the platform after the end, worst run: one operator / two operators / Node-started / takeover", worst: ["op", "twoOperators", "events", "takeover"], key: "stillBusyAfter" },
  { label: "cross-replica event delay: an `op` event on the driver's stream → on the other replica's (median / p90 / max, every event of the runs)", pooled: "delays", unit: "ms" },
  { label: "of that: the driver's journal write (event on its stream → in Postgres, polled every 10 ms), median / p90 / max", pooled: "writeLags", unit: "ms" },
  { label: "events seen on the driver's stream that never reached the other replica's", from: "events", key: "missing", unit: "" },
  { label: "takeover: driver SIGKILLed at click + 7 s → its lease taken over, in the journal", from: "takeover", key: "killToLeaseTakenMs", unit: "ms" },
  { label: "takeover: kill → first request from the new owner, at the platform (its rows read)", from: "takeover", key: "killToFirstRequestMs", unit: "ms" },
  { label: "takeover: kill → first restart from the new owner, at the platform", from: "takeover", key: "killToFirstRestartMs", unit: "ms" },
  { label: "takeover: restarts (fallback + needless)", from: "takeover", key: "fallbackRestarts", also: ["needlessRestarts"], joiner: " + ", unit: "" },
  { label: "takeover: workspaces restarted twice", from: "takeover", key: "doubleRestarts", unit: "" },
  { label: "takeover: kill → the survivor's stream (open since the start; reconnecting as EventSource does) carries the new owner's events again", from: "takeover", key: "killToSurvivorStreamResumedMs", unit: "ms" },
  { label: "takeover: events journaled after it that reached that stream / there were", from: "takeover", key: "survivorStreamReachedAfter", also: ["writtenAfterTakeover"], unit: "" },
  { label: "takeover: runs in which that stream got to the operation's final seq", counts: ["takeover"], key: "survivorCaughtUp", runsOf: "runs", clean: true },
];

/** The samples the rows read: takeover figures lifted to the run, the pooled delays per size. */
export function replicaRowSamples(samples, sizes) {
  const out = {};
  for (const size of sizes) {
    const s = samples[size] ?? {};
    out[size] = { ...s, takeover: (s.takeover ?? []).filter((r) => r.takeover?.clean).map((r) => ({ ...r, ...r.takeover })) };
  }
  return out;
}

/**
 * A pooled cell (`key`: delays, writeLags): every value of a size's
 * event-delay runs, as median / p90 / max. A run whose driver lost its lease
 * on its own is left out (its "driver's stream" was a follower's after that).
 */
function pooledDelayText(samples, size, key = "delays") {
  const all = samples[size]?.events ?? [];
  const runs = all.filter((r) => r.unplannedTakeovers === 0);
  const p = percentiles(runs.flatMap((r) => r[key] ?? []));
  const left = all.length > runs.length ? `; ${all.length - runs.length} with an unplanned takeover left out` : "";
  return p ? `${fmt(p.median)} / ${fmt(p.p90)} / ${fmt(p.max)} ms (${fmt(p.n)} events, ${runs.length} operation${runs.length === 1 ? "" : "s"}${left})` : `—${left ? ` (${left.slice(2)})` : ""}`;
}

/**
 * The cells that are not a median of runs: pooled delays, sums over runs
 * (`counts`: "2 of 3" per group; `runsOf: "pages"` counts a two-operator
 * run's two pages), the worst run (`worst`). Undefined for a plain row.
 */
export function replicaCellText(row, samples, size) {
  const s = samples[size] ?? {};
  if (row.pooled) return pooledDelayText(samples, size, row.pooled);
  if (row.counts) {
    return row.counts
      .map((group) => {
        const runs = (s[group] ?? []).map((r) => (group === "takeover" && row.clean ? r.takeover : r)).filter((r) => r && (!row.clean || r.clean));
        const of = row.runsOf === "pages" && group === "twoOperators" ? runs.length * 2 : runs.length;
        const sum = fmt(runs.reduce((total, r) => total + (r[row.key] ?? 0), 0));
        return row.runsOf === "pages" ? `${sum} of ${of}` : `${sum} in ${of} run${of === 1 ? "" : "s"}`;
      })
      .join(" / ");
  }
  if (row.worst) return row.worst.map((group) => fmt((s[group] ?? []).reduce((max, r) => Math.max(max, r[row.key] ?? 0), (s[group] ?? []).length ? 0 : undefined))).join(" / ");
  return undefined;
}
