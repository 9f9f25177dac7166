// The live test platform (e2e/live/run-platform.mjs) as the bench drives it:
// started as a process of its own, switched between fleets and reset through
// its /_test helpers (documented at the top of e2e/live/platform-server.ts),
// and the floor: the platform alone, one ListTasks and one CancelTask per
// target sent straight to it from Node, with no canvas in between.
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { stopServer } from "./app-build.mjs";
import { stealMs } from "./cpu-share.mjs";

/** The bench's latencies (ms): ListTasks answered after 40, an honoured cancel after 300, the drain 500 after the cancel. */
export const LIVE_LATENCY = "list:40,cancel:300,drain:500";

/**
 * Starts `node e2e/live/run-platform.mjs` from `dir` on 127.0.0.1:`port`
 * with `fleet` and LIVE_LATENCY; resolves once it prints that it listens.
 */
export async function startPlatform(dir, { port, token, fleet }) {
  const env = { ...process.env, PLATFORM_TOKEN: token, PLATFORM_PORT: String(port), PLATFORM_FLEET: fleet, PLATFORM_LATENCY: LIVE_LATENCY };
  const child = spawn(process.execPath, [path.join(dir, "e2e", "live", "run-platform.mjs")], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the test platform did not start within 60 s: ${output.slice(-2000)}`)), 60_000);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (output.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the test platform exited (${code}): ${output.slice(-2000)}`));
    });
  });
  try {
    await listening;
  } catch (error) {
    await stopServer(child);
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  // What it printed, and how it ended if it did (a failing run can say why the platform stopped answering).
  const exit = () => (child.exitCode !== null || child.signalCode !== null ? `exited (${child.exitCode ?? child.signalCode})` : undefined);
  return { url, token, pid: child.pid, call: platformCaller(url, token), output: () => output.slice(-2000), exit, stop: () => stopServer(child) };
}

/** `call(method, path, body?)`: one request to the platform with the token; resolves with its JSON (throws unless 2xx). */
function platformCaller(url, token) {
  return async (method, pathname, body) => {
    const response = await fetch(`${url}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`test platform: ${method} ${pathname} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
}

/** Loads `fleet` afresh with LIVE_LATENCY (log and metrics emptied); resolves with its rows and their busy ones. */
export async function loadFleet(platform, fleet) {
  await platform.call("POST", "/_test/fleet", { fleet, latency: LIVE_LATENCY });
  return fleetRows(platform);
}

/** Every workspace back to its spec, metrics emptied; resolves with the rows. */
export async function resetFleet(platform) {
  await platform.call("POST", "/_test/reset");
  return fleetRows(platform);
}

/** The rows (`GET /workspaces`), the ids of the busy ones, and each id's name. */
async function fleetRows(platform) {
  const rows = await platform.call("GET", "/workspaces");
  const busy = rows.filter((row) => row.active_tasks > 0 && (row.status === "online" || row.status === "degraded")).map((row) => row.id);
  return { rows, busy, names: new Map(rows.map((row) => [row.id, row.name])) };
}

/**
 * The floor: for each of `targets`, `ListTasks` then a `CancelTask` for
 * every task it lists, sent straight to the platform from this process
 * (Node's fetch, as the canvas server sends), `inFlight` targets at a time
 * (Infinity: all at once). Run it on a `-drain` fleet, where every cancel is
 * answered. The last cancel is read at the platform (its metrics, epoch ms)
 * like the canvas rows; "all answered" is this sender's clock.
 */
export async function runFloor(platform, targets, inFlight) {
  await platform.call("POST", "/_test/metrics/reset");
  // node:http with kept-alive sockets, as the canvas server sends (lib/server/stop-all/upstream-http.ts).
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.isFinite(inFlight) ? inFlight : targets.length, scheduling: "lifo" });
  const rpc = (id, method, params) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
      const headers = { authorization: `Bearer ${platform.token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) };
      const request = http.request(`${platform.url}/workspaces/${id}/a2a`, { method: "POST", headers, agent }, (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
        response.on("error", reject);
      });
      request.on("error", reject);
      request.end(body);
    });
  const one = async (id) => {
    const listed = await rpc(id, "ListTasks", {});
    for (const task of listed.result?.tasks ?? []) await rpc(id, "CancelTask", { id: task.id });
  };
  const startedAt = Date.now();
  const stealAtStart = stealMs();
  let next = 0;
  const lanes = Math.min(inFlight, targets.length);
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < targets.length) await one(targets[next++]);
    }),
  );
  const answeredAt = Date.now();
  const stealRunMs = Math.round(stealMs() - stealAtStart);
  agent.destroy();
  const metrics = await platform.call("GET", "/_test/metrics");
  const cancels = targets.map((id) => metrics.workspaces[id]?.firstCancelTaskAt).filter((at) => typeof at === "number");
  return {
    inFlight: Number.isFinite(inFlight) ? inFlight : "all",
    targets: targets.length,
    cancelled: cancels.length,
    lastCancelMs: cancels.length > 0 ? Math.max(...cancels) - startedAt : undefined,
    allAnsweredMs: answeredAt - startedAt,
    inFlightMax: metrics.inFlight.max,
    stealMs: stealRunMs,
  };
}
