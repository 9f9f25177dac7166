// Production builds for the bench, made in a copy of the working tree under
// the system temp dir, so a bench never touches the checkout others work in:
// not `.next` (their e2e runs), not next-env.d.ts or tsconfig.json (which
// `next build` rewrites for a non-default distDir). node_modules is copied as
// hard links (Turbopack refuses a node_modules symlink that leaves its root).
// The mock build goes to `.next`, the live one to `.next-live` (as the live
// e2e build does, with its own tsconfig), so `--no-build` finds both.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const SKIP = new Set(["node_modules", ".git", "test-results", "playwright-report", "blob-report", "bench-results", "coverage"]);
const isBuildOutput = (name) => name === ".next" || name.startsWith(".next-");

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status ?? result.signal})`);
}

/** Refreshes the copy of `repo` at `dir` (sources and node_modules; the builds are kept). */
export function prepareCopy(repo, dir = path.join(tmpdir(), "fleet-canvas-bench")) {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (!isBuildOutput(name)) rmSync(path.join(dir, name), { recursive: true, force: true });
  const entries = readdirSync(repo).filter((name) => !SKIP.has(name) && !isBuildOutput(name));
  const script = 'src="$1"; dst="$2"; shift 2; tar -C "$src" -cf - "$@" | tar -C "$dst" -xf -';
  const tar = spawnSync("bash", ["-c", script, "copy", repo, dir, ...entries], { stdio: "inherit" });
  if (tar.status !== 0) throw new Error("copying the working tree failed");
  const linked = spawnSync("cp", ["-al", path.join(repo, "node_modules"), path.join(dir, "node_modules")], { stdio: "inherit" });
  if (linked.status !== 0) run("cp", ["-a", path.join(repo, "node_modules"), path.join(dir, "node_modules")]);
  return dir;
}

const nextBin = (dir) => path.join(dir, "node_modules", "next", "dist", "bin", "next");

/** Where each mode's build goes in the copy (next.config.mjs reads NEXT_DIST_DIR / NEXT_TSCONFIG_PATH). */
const DIST = { mock: { dir: ".next", tsconfig: "" }, live: { dir: ".next-live", tsconfig: "e2e/live/tsconfig.build.json" } };

/**
 * The environment `next build` / `next start` run with for `mode`: mock (no
 * PLATFORM_URL) or live (`live.platformUrl`, default a port nobody answers
 * at, with `live.token` and `live.dataDir`; `live.databaseUrl` puts the
 * journal on that Postgres, else the embedded one in DATA_DIR, whatever
 * DATABASE_URL the bench itself was started with).
 */
function nextEnv(mode, live = {}) {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PLATFORM_URL: "", PLATFORM_TOKEN: "", NEXT_DIST_DIR: DIST[mode].dir, NEXT_TSCONFIG_PATH: DIST[mode].tsconfig };
  if (mode === "live") Object.assign(env, { PLATFORM_URL: live.platformUrl ?? LIVE_PLATFORM_URL, PLATFORM_TOKEN: live.token ?? "", DATABASE_URL: live.databaseUrl ?? "" });
  if (live.dataDir) env.DATA_DIR = live.dataDir;
  return env;
}

/** `next build` in `dir` for `mode` (mock or live; `live` as for nextEnv). */
export function buildApp(dir, mode, log, live) {
  const env = nextEnv(mode, live);
  const started = Date.now();
  log(`building (${mode}) in ${path.join(dir, DIST[mode].dir)} …`);
  const result = spawnSync(process.execPath, [nextBin(dir), "build"], { cwd: dir, env, encoding: "utf8" });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`next build (${mode}) failed`);
  }
  log(`built (${mode}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return path.join(dir, DIST[mode].dir);
}

/** Port 9 (discard): a live build needs a URL; nothing there answers, and the bench only loads its JS. */
export const LIVE_PLATFORM_URL = "http://127.0.0.1:9";

/**
 * Starts `next start` in `dir` on `mode`'s build (`live` as for nextEnv);
 * resolves once it answers, with `child` (Next's own process: `node …/next
 * start`, no shell around it, so a SIGKILL kills the server itself),
 * `stderr()`, what it wrote there so far, and `printed(pattern, timeoutMs)`,
 * which waits for a line of its output.
 */
export async function startServer(dir, mode, port, live) {
  if (!existsSync(path.join(dir, DIST[mode].dir, "BUILD_ID"))) throw new Error(`no ${mode} build in ${path.join(dir, DIST[mode].dir)} (run without --no-build)`);
  const env = nextEnv(mode, live);
  const child = spawn(process.execPath, [nextBin(dir), "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdout.on("data", (chunk) => (stdout += chunk));
  /** Resolves with the first line of stdout or stderr that matches `pattern`; rejects after `timeoutMs`, or when the server exits first. */
  const printed = async (pattern, timeoutMs) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const line = `${stdout}\n${stderr}`.split("\n").find((text) => pattern.test(text));
      if (line !== undefined) return line;
      if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}) before printing ${pattern}`);
      if (Date.now() > until) throw new Error(`next start did not print ${pattern} within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { url, child, stderr: () => stderr, printed, stop: () => stopServer(child) };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  stopServer(child);
  throw new Error(`next start did not answer on ${url} within 30 s`);
}

/**
 * Waits until a live server (`startServer`) says how its start-up rehearsal
 * of Stop All went (lib/server/stop-all/rehearsal.ts): a server an operator
 * uses has long finished it, so the bench's first operation must not
 * cancel it half-way. Logs the line.
 */
export async function waitForRehearsal(server, log) {
  if (process.env.STOP_ALL_REHEARSAL?.trim().toLowerCase() === "off") return;
  // Any of its lines (rehearsed, skipped, cancelled, did not complete); it gives up by itself after 60 s.
  const line = await server.printed(/Stop All rehears/, 90_000);
  log?.(`canvas server ${server.url}: ${line.trim()}`);
}

/** SIGTERM to the server this bench started; resolves once it exited (SIGKILL after 10 s), so its port is free again. */
export function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
