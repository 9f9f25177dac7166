// Starts a throw-away Postgres for trying several canvas replicas on one
// machine (`npm run db:start`): a fresh cluster in a temporary directory, on
// a free loopback port (or POSTGRES_PORT), run as an unprivileged user (as
// root: Debian's `postgres` user). Needs Debian's postgresql
// (`apt-get install postgresql`; no service of its own needs to run).
// Prints the DATABASE_URL to give every replica; Ctrl-C (SIGINT/SIGTERM)
// stops the server and deletes its data. Not for real data: fsync is off.
//   npm run db:start
//   POSTGRES_PORT=5433 node e2e/live/run-postgres.mjs
import { register } from "node:module";

register("./ts-loader.mjs", import.meta.url);

function fail(message) {
  console.error(`run-postgres: ${message}`);
  process.exit(2);
}

const portText = process.env.POSTGRES_PORT?.trim();
const port = portText ? Number(portText) : undefined;
if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) fail(`POSTGRES_PORT must be a port number 1-65535, got ${JSON.stringify(portText)}`);

const startedAt = performance.now();
const { startPostgresCluster } = await import("../../lib/server/stop-all/testing/postgres-cluster.ts");
const cluster = await startPostgresCluster({ port }).catch((error) => fail(error instanceof Error ? error.message : String(error)));
const url = await cluster.createDatabase("fleet_canvas").catch(async (error) => {
  await cluster.destroy();
  fail(error instanceof Error ? error.message : String(error));
});

console.log(`throw-away Postgres listening on 127.0.0.1:${cluster.port} (started in ${(performance.now() - startedAt).toFixed(0)} ms, data in ${cluster.dataDir})`);
console.log(`export DATABASE_URL=${url}`);
console.log("Ctrl-C stops it and deletes its data.");

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await cluster.destroy().catch((error) => console.error(`run-postgres: ${error instanceof Error ? error.message : String(error)}`));
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
// Keep the process alive until a signal arrives.
setInterval(() => {}, 1 << 30);
