/** Types for deadline-setting.mjs (plain ESM so next.config.mjs can import it). */
export declare const DEFAULT_STOP_ALL_DEADLINE_MS: 8000;
export declare const MIN_STOP_ALL_DEADLINE_MS: 1000;
export declare const MAX_STOP_ALL_DEADLINE_MS: 600000;

export declare class StopAllSettingError extends Error {}

export declare function readStopAllDeadlineMs(env: Record<string, string | undefined>): number;
export declare const DEFAULT_STOP_ALL_QUIET_MS: 60000;
export declare const MAX_STOP_ALL_QUIET_MS: 3600000;
export declare function readStopAllQuietMs(env: Record<string, string | undefined>): number;
