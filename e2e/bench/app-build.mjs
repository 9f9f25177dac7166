// Production builds for the bench, made in a copy of the working tree under
// the system temp dir, so a bench never touches the checkout others work in:
// not `.next` (their e2e runs), not next-env.d.ts or tsconfig.json (which
// `next build` rewrites for a non-default distDir). node_modules is copied as
// hard links (Turbopack refuses a node_modules symlink that leaves its root).
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

/** Refreshes the copy of `repo` at `dir` (sources and node_modules; `.next/cache` is kept). */
export function prepareCopy(repo, dir = path.join(tmpdir(), "fleet-canvas-bench")) {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name !== ".next") rmSync(path.join(dir, name), { recursive: true, force: true });
  const entries = readdirSync(repo).filter((name) => !SKIP.has(name) && !isBuildOutput(name));
  const script = 'src="$1"; dst="$2"; shift 2; tar -C "$src" -cf - "$@" | tar -C "$dst" -xf -';
  const tar = spawnSync("bash", ["-c", script, "copy", repo, dir, ...entries], { stdio: "inherit" });
  if (tar.status !== 0) throw new Error("copying the working tree failed");
  const linked = spawnSync("cp", ["-al", path.join(repo, "node_modules"), path.join(dir, "node_modules")], { stdio: "inherit" });
  if (linked.status !== 0) run("cp", ["-a", path.join(repo, "node_modules"), path.join(dir, "node_modules")]);
  return dir;
}

const nextBin = (dir) => path.join(dir, "node_modules", "next", "dist", "bin", "next");

/** `next build` in `dir` for `mode`: mock (no PLATFORM_URL) or live (a platform nobody answers at). */
export function buildApp(dir, mode, log) {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PLATFORM_URL: mode === "live" ? LIVE_PLATFORM_URL : "", PLATFORM_TOKEN: "" };
  delete env.NEXT_DIST_DIR;
  delete env.NEXT_TSCONFIG_PATH;
  const started = Date.now();
  log(`building (${mode}) in ${dir} …`);
  const result = spawnSync(process.execPath, [nextBin(dir), "build"], { cwd: dir, env, encoding: "utf8" });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`next build (${mode}) failed`);
  }
  log(`built (${mode}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return path.join(dir, ".next");
}

/** Port 9 (discard): a live build needs a URL; nothing there answers, and the bench only loads its JS. */
export const LIVE_PLATFORM_URL = "http://127.0.0.1:9";

/** Starts `next start` in `dir`; resolves once it answers. */
export async function startServer(dir, mode, port) {
  if (!existsSync(path.join(dir, ".next", "BUILD_ID"))) throw new Error(`no build in ${dir}`);
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PLATFORM_URL: mode === "live" ? LIVE_PLATFORM_URL : "", PLATFORM_TOKEN: "" };
  const child = spawn(process.execPath, [nextBin(dir), "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: dir, env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { url, stop: () => stopServer(child) };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  stopServer(child);
  throw new Error(`next start did not answer on ${url} within 30 s`);
}

function stopServer(child) {
  if (child.exitCode === null) child.kill("SIGTERM");
}
