import "server-only";
import { readPlatformEnv } from "./platform-env.mjs";

/**
 * What the server knows about the platform. `mock` means no PLATFORM_URL:
 * the browser's mock service worker answers, and the route handlers only
 * explain that. The token lives here and nowhere the browser can see.
 */
export type ServerConfig =
  | { mode: "mock" }
  | { mode: "live"; platformUrl: string; token: string | null };

/** Validates an environment into a ServerConfig; throws PlatformEnvError with a readable message. */
export function parseServerConfig(env: Record<string, string | undefined>): ServerConfig {
  const { platformUrl, token } = readPlatformEnv(env);
  return platformUrl === null ? { mode: "mock" } : { mode: "live", platformUrl, token };
}

let cached: ServerConfig | undefined;

/** The process's configuration, read and validated once on first use. */
export function serverConfig(): ServerConfig {
  cached ??= parseServerConfig(process.env);
  return cached;
}
