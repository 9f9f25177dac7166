// Runs the live test platform as a process, e.g. for a Playwright webServer:
//   PLATFORM_TOKEN=… PLATFORM_PORT=4010 node e2e/live/run-platform.mjs
// Optional: PLATFORM_FLEET=default|e2e (e2e/live/fleet.ts), PLATFORM_HEARTBEAT_MS,
// PLATFORM_RESTART_DELAY_MS. Prints its URL once it accepts requests; stops
// on SIGINT/SIGTERM.
import { register } from "node:module";

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

const { FLEETS } = await import("./fleet.ts");
const fleetName = process.env.PLATFORM_FLEET?.trim() || "default";
const fleet = FLEETS[fleetName];
if (!fleet) fail(`PLATFORM_FLEET must be one of ${Object.keys(FLEETS).join(", ")}, got ${JSON.stringify(fleetName)}`);

const { startLivePlatform } = await import("./platform-server.ts");
const platform = await startLivePlatform({ token, port, heartbeatMs, restartDelayMs, fleet }).catch((error) => fail(error instanceof Error ? error.message : String(error)));
console.log(`live platform (${fleetName} fleet, ${fleet.length} workspaces) listening on ${platform.url}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await platform.close();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
