import { DEFAULT_STOP_ALL_DEADLINE_MS, DEFAULT_STOP_ALL_QUIET_MS, readStopAllDeadlineMs, readStopAllQuietMs } from "./deadline-setting.mjs";
import type { StopAllOptions } from "./options";

/**
 * A setting from the value next.config.mjs inlined at build. It was
 * validated there (a bad value stops the build), so this only guards
 * against a bundle made without it (tests, tools): missing or unreadable
 * means the default, never a broken page.
 */
function fromBuild(read: () => number, fallback: number): number {
  try {
    return read();
  } catch {
    return fallback;
  }
}

export const deadlineFromBuild = (inlined: string | undefined) => fromBuild(() => readStopAllDeadlineMs({ STOP_ALL_DEADLINE_MS: inlined }), DEFAULT_STOP_ALL_DEADLINE_MS);
export const quietFromBuild = (inlined: string | undefined) => fromBuild(() => readStopAllQuietMs({ STOP_ALL_QUIET_MS: inlined }), DEFAULT_STOP_ALL_QUIET_MS);

/**
 * This deployment's Stop All deadline in milliseconds (STOP_ALL_DEADLINE_MS,
 * default 8000): the one value the confirmation, the operation (and so the
 * countdown, which counts to the operation's deadlineAt) all take. Fixed at
 * build: Next replaces the literal `process.env.NEXT_PUBLIC_…` below in both
 * the browser and the server bundles.
 */
export const stopAllDeadlineMs: number = deadlineFromBuild(process.env.NEXT_PUBLIC_STOP_ALL_DEADLINE_MS);

/** How long a finished Stop All of this deployment watches its targets for work that comes back (STOP_ALL_QUIET_MS, default 60000). */
export const stopAllQuietMs: number = quietFromBuild(process.env.NEXT_PUBLIC_STOP_ALL_QUIET_MS);

/** The options a Stop All of this deployment runs with. */
export const DEPLOYMENT_STOP_ALL_OPTIONS: Readonly<StopAllOptions> = Object.freeze({ deadlineMs: stopAllDeadlineMs, quietMs: stopAllQuietMs });
