import "server-only";
import { Worker } from "node:worker_threads";
import type { UpstreamTransport } from "./upstream-http";
import { createPortTransport, type PortTransport } from "./upstream-port";

/** Starts the platform connection thread with `workerData` (tests start the .ts entry through a loader). */
export type StartUpstreamThread = (workerData: { maxSockets: number }) => Worker;

/**
 * The thread's young generation (V8's default semi-space is 16 MB; this is
 * 3 × a 64 MB one). Its 2,000 calls in flight outlive every scavenge, so
 * the default copied them every ~50 ms: 7-13 scavenges, 110-150 ms of the
 * thread's CPU from the click to the last cancel at 5,000 workspaces;
 * with this, 1-2 scavenges and 20-35 ms (--trace-gc, 4 operations each).
 * The main thread's scavenges stay as they are: there, a larger space cost
 * as much in fewer, longer ones.
 */
const THREAD_YOUNG_GENERATION_MB = 192;

// Next bundles the entry as a worker chunk of its own (Turbopack's worker_threads support).
const startBuiltThread: StartUpstreamThread = (workerData) => new Worker(new URL("./upstream-thread.ts", import.meta.url), { workerData, resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB } });

/**
 * The server's HTTP to the platform on a thread of its own
 * (upstream-thread.ts runs createHttpTransport there). At 2,000 targets the
 * operation's 4,000 calls kept the main thread busy from the click to the
 * last cancel, half of it node:http and the garbage it makes (npm run
 * bench, live rows): on their own thread and heap they run beside the
 * orchestrator, and the main thread's scavenges no longer copy every
 * request in flight. Started on the first request; a thread that dies
 * fails the requests it had (as network errors) and the next request
 * starts another.
 */
export function createWorkerTransport(options: { maxSockets: number; start?: StartUpstreamThread }): UpstreamTransport {
  const start = options.start ?? startBuiltThread;
  let current: PortTransport | undefined;

  const thread = () => {
    if (current) return current;
    const worker = start({ maxSockets: options.maxSockets });
    // The thread must not keep a server that is shutting down alive.
    worker.unref();
    const mine = createPortTransport(worker);
    const gone = (why: string) => {
      if (current === mine) current = undefined;
      mine.failAll(new Error(`the platform connection thread stopped (${why})`));
    };
    worker.on("error", (error) => gone(error.message));
    worker.on("exit", (code) => gone(`exit code ${code}`));
    current = mine;
    return mine;
  };
  return (request) => thread().transport(request);
}
