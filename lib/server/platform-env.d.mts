/** Types for platform-env.mjs (plain ESM so next.config.mjs can import it). */
export declare class PlatformEnvError extends Error {}

export interface PlatformEnv {
  /** The platform base URL ending with `/`, or null in mock mode. */
  platformUrl: string | null;
  /** The bearer token, or null when none is configured. */
  token: string | null;
}

export declare function readPlatformEnv(env: Record<string, string | undefined>): PlatformEnv;
