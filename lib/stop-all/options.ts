/** Tunables of one Stop All; every one has a default. */
export interface StopAllOptions {
  /** From the click to the fallback restart. Default 8000 ms. */
  deadlineMs?: number;
  /**
   * Platform requests in flight at once (cancels, listings, restarts). Default
   * 256: each goes to a different workspace's agent, the browser's own
   * connection pool queues what it cannot send yet, and every request still
   * ends by the deadline. With 8, 400 targets took 1.5 s to reach the last
   * cancel even against a zero-latency mock (npm run bench). Phase 1 starts
   * in batches (PHASE1_START_BATCH) so no task sends them all at once.
   */
  maxInFlight?: number;
  /** Upper bound of one A2A request; it also always ends by the deadline. Default 5000 ms. */
  requestTimeoutMs?: number;
  /** A restart with no answer this long after it was sent is reported as unknown. Default 10000 ms. */
  restartTimeoutMs?: number;
  /** Most tasks cancelled per workspace. Default 20. */
  maxTasksPerTarget?: number;
}

export type ResolvedStopAllOptions = Required<StopAllOptions>;

export const DEFAULT_STOP_ALL_OPTIONS: ResolvedStopAllOptions = Object.freeze({
  deadlineMs: 8000,
  maxInFlight: 256,
  requestTimeoutMs: 5000,
  restartTimeoutMs: 10_000,
  maxTasksPerTarget: 20,
});

function pick(value: number | undefined, fallback: number, min: number): number {
  return value !== undefined && Number.isFinite(value) ? Math.max(min, value) : fallback;
}

/** Fills in defaults and clamps nonsense (negative, NaN, infinite) to safe values. */
export function resolveOptions(options: StopAllOptions = {}): ResolvedStopAllOptions {
  const d = DEFAULT_STOP_ALL_OPTIONS;
  return {
    deadlineMs: pick(options.deadlineMs, d.deadlineMs, 0),
    maxInFlight: Math.floor(pick(options.maxInFlight, d.maxInFlight, 1)),
    requestTimeoutMs: pick(options.requestTimeoutMs, d.requestTimeoutMs, 1),
    restartTimeoutMs: pick(options.restartTimeoutMs, d.restartTimeoutMs, 1),
    maxTasksPerTarget: Math.floor(pick(options.maxTasksPerTarget, d.maxTasksPerTarget, 1)),
  };
}
