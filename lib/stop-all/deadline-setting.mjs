// Plain ESM on purpose, like lib/server/platform-env.mjs: next.config.mjs
// imports it at `next build` / `next dev` / `next start` time (no TypeScript
// there), and lib/stop-all/deployment-settings.ts imports it again for the
// page and the server, so every place applies exactly the same rules.

/** The deadline when a deployment sets none: 8 s from the click to the fallback restart. */
export const DEFAULT_STOP_ALL_DEADLINE_MS = 8000;
/** How long a finished Stop All keeps watching its targets for work that comes back, when a deployment sets none. */
export const DEFAULT_STOP_ALL_QUIET_MS = 60_000;
/** The longest quiet watch: an hour (0 turns it off). */
export const MAX_STOP_ALL_QUIET_MS = 3_600_000;
/** Shorter than this, a polite cancel has no real chance to drain. */
export const MIN_STOP_ALL_DEADLINE_MS = 1000;
/** Longer than this, an operator who pressed Stop All is not being served. */
export const MAX_STOP_ALL_DEADLINE_MS = 600_000;

/** A Stop All setting the app cannot start with. */
export class StopAllSettingError extends Error {
  constructor(message) {
    super(message);
    this.name = "StopAllSettingError";
  }
}

const MAX_SHOWN = 120;
const show = (value) => JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);

const inRange = (ms) => ms >= MIN_STOP_ALL_DEADLINE_MS && ms <= MAX_STOP_ALL_DEADLINE_MS;

/** A likely meaning of a value written in seconds or with a unit, or "". */
function hint(raw) {
  const seconds = /^(\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)?$/i.exec(raw);
  if (seconds) {
    const ms = Math.round(Number(seconds[1]) * 1000);
    if (!/^\d+$/.test(raw) || Number(raw) < MIN_STOP_ALL_DEADLINE_MS) {
      return inRange(ms) ? `; the value is in milliseconds: did you mean ${ms} (${seconds[1]} s)?` : "";
    }
  }
  const millis = /^(\d+)\s*ms$/i.exec(raw);
  if (millis && inRange(Number(millis[1]))) return `; write it without a unit: ${millis[1]}`;
  return "";
}

/**
 * Reads and validates `STOP_ALL_DEADLINE_MS`: the time from the Stop All
 * click to the fallback restart, a whole number of milliseconds from 1000 to
 * 600000 inclusive. Empty or unset means the default, 8000. Throws
 * StopAllSettingError with a message that says what to fix.
 */
export function readStopAllDeadlineMs(env) {
  const raw = (env.STOP_ALL_DEADLINE_MS ?? "").trim();
  if (raw === "") return DEFAULT_STOP_ALL_DEADLINE_MS;
  const ms = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (inRange(ms)) return ms;
  throw new StopAllSettingError(
    `STOP_ALL_DEADLINE_MS must be a whole number of milliseconds from ${MIN_STOP_ALL_DEADLINE_MS} (1 s) to ${MAX_STOP_ALL_DEADLINE_MS} (10 min), got ${show(raw)}${hint(raw)}`,
  );
}

/**
 * Reads and validates `STOP_ALL_QUIET_MS`: how long a finished Stop All
 * keeps watching its targets and flags those that become busy again, a
 * whole number of milliseconds from 0 (off) to 3600000 (an hour). Empty or
 * unset means the default, 60000. Throws StopAllSettingError with a message
 * that says what to fix.
 */
export function readStopAllQuietMs(env) {
  const raw = (env.STOP_ALL_QUIET_MS ?? "").trim();
  if (raw === "") return DEFAULT_STOP_ALL_QUIET_MS;
  const ms = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (ms >= 0 && ms <= MAX_STOP_ALL_QUIET_MS) return ms;
  const seconds = /^(\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)$/i.exec(raw);
  const hinted = seconds ? `; the value is in milliseconds: did you mean ${Math.round(Number(seconds[1]) * 1000)} (${seconds[1]} s)?` : "";
  throw new StopAllSettingError(`STOP_ALL_QUIET_MS must be a whole number of milliseconds from 0 (off) to ${MAX_STOP_ALL_QUIET_MS} (1 h), got ${show(raw)}${hinted}`);
}
