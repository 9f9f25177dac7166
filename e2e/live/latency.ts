/**
 * How long the test platform and its light agents take to answer, in ms.
 * Agent keys apply to light agents (light-agent.ts) only: real SDK agents
 * answer as fast as they do. Platform keys apply to every fleet.
 */
export interface Latency {
  /** Light agent: `ListTasks` answered after this. */
  list: number;
  /** Light agent: `GetTask` / `tasks/get`. */
  get: number;
  /** Light agent: an honoured cancel ends its task, and is answered, this long after it arrived. */
  cancel: number;
  /** Light agent: `SendMessage` / `message/send`. */
  send: number;
  /** Light agent: answers that need no work (errors, an already cancelled task, unknown methods). */
  other: number;
  /**
   * Light agent: the workspace's `active_tasks` (rows, TASK_UPDATED and
   * WORKSPACE_HEARTBEAT) drops this long after the cancel arrived, never
   * before the task ended: the platform's view lags the agent's.
   */
  drain: number;
  /** Platform: `GET /workspaces` answered after this. */
  rows: number;
  /** Platform: `POST /workspaces/:id/restart` answered after this (the restart itself begins at once). */
  restart: number;
  /** Platform: a restarted (or resumed) workspace is back online (WORKSPACE_ONLINE) this long after WORKSPACE_PROVISIONING. */
  online: number;
  /** Platform: `POST /workspaces/:id/pause` answered after this (the pause itself, and its WORKSPACE_PAUSED events, happen at once). */
  pause: number;
  /** Platform: `POST /workspaces/:id/resume` answered after this (the re-provisioning begins at once). */
  resume: number;
}

/** The benchmark's defaults: a 40 ms list, a 300 ms cancel, a drain 500 ms after the cancel. */
export const DEFAULT_LATENCY: Readonly<Latency> = Object.freeze({ list: 40, get: 40, cancel: 300, send: 40, other: 5, drain: 500, rows: 0, restart: 0, online: 500, pause: 0, resume: 0 });

const KEYS = Object.keys(DEFAULT_LATENCY) as (keyof Latency)[];
/** Above an hour a value is a typo, not a latency. */
const MAX_MS = 3_600_000;

/** Thrown for a latency setting that cannot be used; its message says what is wrong and what would be right. */
export class LatencyError extends Error {}

function checked(key: string, value: unknown): [keyof Latency, number] {
  if (!(KEYS as string[]).includes(key)) throw new LatencyError(`unknown latency key ${JSON.stringify(key)}; known keys: ${KEYS.join(", ")}`);
  const ms = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || ms > MAX_MS) {
    throw new LatencyError(`latency ${key} must be a number of milliseconds from 0 to ${MAX_MS}, got ${JSON.stringify(value)}`);
  }
  return [key as keyof Latency, ms];
}

/**
 * Parses `list:40,cancel:300,drain:500` (PLATFORM_LATENCY) or an object
 * `{ "list": 40 }` (`POST /_test/fleet`) over `base`; keys left out keep
 * `base`'s value. An empty string or undefined is `base` itself.
 */
export function parseLatency(input: unknown, base: Readonly<Latency> = DEFAULT_LATENCY): Latency {
  const latency = { ...base };
  if (input === undefined || input === null || (typeof input === "string" && input.trim() === "")) return latency;
  let pairs: [string, unknown][];
  if (typeof input === "string") {
    pairs = input.split(",").map((item) => {
      const parts = item.split(":");
      if (parts.length !== 2 || !parts[0]!.trim()) throw new LatencyError(`latency items are key:milliseconds separated by commas (e.g. list:40,cancel:300,drain:500), got ${JSON.stringify(item.trim())}`);
      return [parts[0]!.trim(), parts[1]!.trim()];
    });
  } else if (typeof input === "object" && !Array.isArray(input)) {
    pairs = Object.entries(input);
  } else {
    throw new LatencyError(`latency must be a "key:ms,…" string or an object of milliseconds, got ${JSON.stringify(input)}`);
  }
  for (const [key, value] of pairs) {
    const [name, ms] = checked(key, value);
    latency[name] = ms;
  }
  return latency;
}

/** `list:40,get:40,…`: the form PLATFORM_LATENCY takes, for logs. */
export function formatLatency(latency: Readonly<Latency>): string {
  return KEYS.map((key) => `${key}:${latency[key]}`).join(",");
}
