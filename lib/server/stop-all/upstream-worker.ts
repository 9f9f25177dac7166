import "server-only";
import { Worker } from "node:worker_threads";
import type { UpstreamTransport } from "./upstream-http";
import { createPortTransport, type PortTransport } from "./upstream-port";

/** Starts the platform connection thread with `workerData` (tests start the .ts entry through a loader). */
export type StartUpstreamThread = (workerData: { maxSockets: number }) => Worker;

// Next bundles the entry as a worker chunk of its own (Turbopack's worker_threads support).
const startBuiltThread: StartUpstreamThread = (workerData) => new Worker(new URL("./upstream-thread.ts", import.meta.url), { workerData });

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
