// The platform connection thread (upstream-worker.ts starts it): the
// server's HTTP to the platform, on kept-alive sockets of its own, serving
// the requests the main thread posts.
import { parentPort, workerData } from "node:worker_threads";
import { createHttpTransport } from "./upstream-http";
import { serveUpstreamRequests } from "./upstream-port";

if (!parentPort) throw new Error("upstream-thread.ts runs as a worker thread (upstream-worker.ts)");
serveUpstreamRequests(parentPort, createHttpTransport({ maxSockets: (workerData as { maxSockets: number }).maxSockets }));
