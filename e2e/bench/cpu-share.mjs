// CPU time of the bench's processes over a stretch of wall time, read from
// /proc (Linux): on a 2-core machine the canvas server, the test platform
// and the browser share the cores, so a click → last cancel is read beside
// who used them meanwhile. Sampled every 20 ms; a stretch is read between
// the samples nearest its ends. Elsewhere than Linux it reads nothing.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

const SAMPLE_MS = 20;
const CLOCK_TICKS = (() => {
  try {
    return Number(execSync("getconf CLK_TCK", { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of `pid` in ms (its threads included), or 0 once it is gone. */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * CPU time the hypervisor gave to others while this machine's vCPUs wanted
 * it (`steal` in /proc/stat, both cores together), in ms; 0 where it is not
 * read. The same code ran 1.8 s and 1.0 s apart within an hour on this
 * machine: steal says how much of that was the host.
 */
export function stealMs() {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
    return ((Number(fields[8]) || 0) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * The browser's processes (its renderers, GPU and network helpers): every
 * process whose program is Chrome or Chromium. Debian's /usr/bin/chromium
 * is a script that runs /usr/lib/chromium/chromium, so the name is matched,
 * not the path the bench launched. Only the bench's browsers run meanwhile
 * (beside a bare-driven one, Playwright's idles, pageless: a few ms).
 */
export function browserProcesses() {
  if (!existsSync("/proc")) return [];
  return readdirSync("/proc").flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      // Renderers and helpers rewrite their title with spaces (setproctitle), not NULs.
      const program = readFileSync(`/proc/${name}/cmdline`, "utf8").split(/[\0 ]/)[0];
      return /(^|\/)(chromium|chrome|headless_shell)$/.test(program) ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Starts sampling `groups` ({name: () => pids}) and `counters` ({name: () =>
 * ms so far}, machine-wide ones such as stealMs); `stop()` ends it, then
 * `between(from, to)` says each one's ms between those epoch ms
 * (undefined when nothing was sampled: not Linux, or too short).
 */
export function startCpuSampler(groups, counters = {}) {
  const samples = [];
  const read = () => ({
    ...Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids().reduce((sum, pid) => sum + cpuMsOf(pid), 0)])),
    ...Object.fromEntries(Object.entries(counters).map(([name, counter]) => [name, counter()])),
  });
  const sample = () => samples.push({ at: Date.now(), cpu: read() });
  const timer = existsSync("/proc") ? setInterval(sample, SAMPLE_MS) : undefined;
  if (timer) sample();
  return {
    stop: () => clearInterval(timer),
    between(from, to) {
      const first = samples.findLast((s) => s.at <= from) ?? samples[0];
      const last = samples.find((s) => s.at >= to) ?? samples.at(-1);
      if (!first || !last || last === first) return undefined;
      return Object.fromEntries(Object.keys(first.cpu).map((name) => [name, Math.round(last.cpu[name] - first.cpu[name])]));
    },
  };
}
