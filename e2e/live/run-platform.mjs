// Runs the live test platform as a process, e.g. for a Playwright webServer
// or the benchmark:
//   PLATFORM_TOKEN=… PLATFORM_PORT=4010 node e2e/live/run-platform.mjs
//   PLATFORM_TOKEN=… PLATFORM_PORT=4501 PLATFORM_FLEET=bench-5000 PLATFORM_LATENCY=list:40,cancel:300,drain:500 node e2e/live/run-platform.mjs
// Optional:
//   PLATFORM_FLEET       default | e2e | e2e-teams | bench-1000 | bench-5000 | bench-N[-drain][-teams] (e2e/live/fleet.ts)
//   PLATFORM_LATENCY     key:ms,… over the defaults (e2e/live/latency.ts): list, get, cancel, send,
//                        other, drain (light agents), rows, restart, online, pause, resume (platform)
//   PLATFORM_HEARTBEAT_MS        every workspace's heartbeat interval (default 10000; 0 = off)
//   PLATFORM_RESTART_DELAY_MS    restart → online (default 500; `online` in PLATFORM_LATENCY wins)
//   PLATFORM_REQUEST_LOG         full | light (default: full up to 200 workspaces)
// Prints its URL, start time and memory once it accepts requests; stops on
// SIGINT/SIGTERM. The routes, /_test helpers and metrics are described at
// the top of e2e/live/platform-server.ts.
import { register } from "node:module";

const startedAt = performance.now();
register("./ts-loader.mjs", import.meta.url);

function fail(message) {
  console.error(`run-platform: ${message}`);
  process.exit(2);
}

const token = process.env.PLATFORM_TOKEN?.trim();
if (!token) fail("set PLATFORM_TOKEN to the bearer token the platform should require (the canvas gets the same value)");
const port = Number(process.env.PLATFORM_PORT ?? "0");
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PLATFORM_PORT must be a port number 0-65535, got ${JSON.stringify(process.env.PLATFORM_PORT)}`);
const heartbeatMs = Number(process.env.PLATFORM_HEARTBEAT_MS ?? "10000");
if (!Number.isFinite(heartbeatMs) || heartbeatMs < 0) fail("PLATFORM_HEARTBEAT_MS must be a number of milliseconds (0 turns heartbeats off)");

const restartDelayMs = Number(process.env.PLATFORM_RESTART_DELAY_MS ?? "500");
if (!Number.isFinite(restartDelayMs) || restartDelayMs < 0) fail("PLATFORM_RESTART_DELAY_MS must be a number of milliseconds");

const requestLog = process.env.PLATFORM_REQUEST_LOG?.trim() || undefined;
if (requestLog !== undefined && requestLog !== "full" && requestLog !== "light") fail(`PLATFORM_REQUEST_LOG must be full or light, got ${JSON.stringify(requestLog)}`);

const { DEFAULT_LATENCY, formatLatency, parseLatency } = await import("./latency.ts");
let latency;
try {
  latency = parseLatency(process.env.PLATFORM_LATENCY, { ...DEFAULT_LATENCY, online: restartDelayMs });
} catch (error) {
  fail(`PLATFORM_LATENCY: ${error instanceof Error ? error.message : String(error)}`);
}

const { FLEET_NAMES, fleetByName } = await import("./fleet.ts");
const fleetName = process.env.PLATFORM_FLEET?.trim() || "default";
const fleet = fleetByName(fleetName);
if (!fleet) fail(`PLATFORM_FLEET must be one of ${FLEET_NAMES.join(", ")}, got ${JSON.stringify(fleetName)}`);

const { startLivePlatform } = await import("./platform-server.ts");
const platform = await startLivePlatform({ token, port, heartbeatMs, fleet, fleetName, latency, requestLog }).catch((error) => fail(error instanceof Error ? error.message : String(error)));
const rssMb = (process.memoryUsage().rss / 1024 / 1024).toFixed(0);
console.log(
  `live platform (${fleetName} fleet, ${fleet.length} workspaces) listening on ${platform.url}` +
    ` (started in ${(performance.now() - startedAt).toFixed(0)} ms, rss ${rssMb} MB, latency ${formatLatency(latency)})`,
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await platform.close();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
