import { DEFAULT_STOP_ALL_DEADLINE_MS } from "./deadline-setting.mjs";

/** Tunables of one Stop All; every one has a default. */
export interface StopAllOptions {
  /**
   * From the click to the fallback restart. Default 8000 ms; a deployment
   * sets its own with STOP_ALL_DEADLINE_MS (lib/stop-all/deployment-settings.ts).
   */
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
  /**
   * After the end, how long the targets are watched for work that comes
   * back (each busy again is flagged, "quiet watch"). Default 0 (off); a
   * deployment runs 60000 ms unless STOP_ALL_QUIET_MS says otherwise.
   */
  quietMs?: number;
}

export type ResolvedStopAllOptions = Required<StopAllOptions>;

export const DEFAULT_STOP_ALL_OPTIONS: ResolvedStopAllOptions = Object.freeze({
  deadlineMs: DEFAULT_STOP_ALL_DEADLINE_MS,
  maxInFlight: 256,
  requestTimeoutMs: 5000,
  restartTimeoutMs: 10_000,
  maxTasksPerTarget: 20,
  // Off in the core: a deployment turns it on (DEPLOYMENT_STOP_ALL_OPTIONS, 60 s by default).
  quietMs: 0,
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
    quietMs: pick(options.quietMs, d.quietMs, 0),
  };
}

const trimmed = (value: number, digits: number) => String(Number(value.toFixed(digits)));

/**
 * A deadline as the confirmation says it: "8 s", "1.5 s", "2 min",
 * "1 min 30 s". Exact to the millisecond, so it never rounds a deadline to
 * something the operation does not do.
 */
export function formatDeadline(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  if (whole < 60_000) return `${trimmed(whole / 1000, 3)} s`;
  const minutes = Math.floor(whole / 60_000);
  const rest = whole - minutes * 60_000;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${trimmed(rest / 1000, 3)} s`;
}

/**
 * Time left as the countdown shows it, to a tenth of a second: "5.3 s",
 * "2 min 05.3 s" once it is a minute or more.
 */
export function formatRemaining(ms: number): string {
  const tenths = Math.max(0, Math.round(ms / 100));
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const minutes = Math.floor(tenths / 600);
  return `${minutes} min ${((tenths % 600) / 10).toFixed(1).padStart(4, "0")} s`;
}
