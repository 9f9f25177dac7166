import os from "node:os";
import path from "node:path";

/**
 * Where the live e2e project's servers listen and the bearer token they
 * share, read by playwright.config.ts (to start them) and by the specs (to
 * reach the test platform's `/_test` helpers). Ports stay clear of the mock
 * server (3100); override with E2E_LIVE_PORT / E2E_PLATFORM_PORT.
 *
 * The token is a test value, not a secret: the specs look for it in
 * everything the browser receives, so it is long and unusual enough not to
 * occur by accident.
 */
export const LIVE_TOKEN = process.env.E2E_LIVE_TOKEN ?? "fleet-canvas-e2e-live-9c4f1a7b3d2e8065";
export const LIVE_APP_PORT = Number(process.env.E2E_LIVE_PORT ?? 3200);
export const LIVE_PLATFORM_PORT = Number(process.env.E2E_PLATFORM_PORT ?? 4010);
export const LIVE_APP_URL = `http://127.0.0.1:${LIVE_APP_PORT}`;
export const LIVE_PLATFORM_URL = `http://127.0.0.1:${LIVE_PLATFORM_PORT}`;

/** The live build's output, beside the mock build's `.next` (see next.config.mjs). */
export const LIVE_DIST_DIR = ".next-live";
/** Its tsconfig, so `next build` does not rewrite tsconfig.json for the extra dist dir. */
export const LIVE_TSCONFIG = "e2e/live/tsconfig.build.json";

/**
 * Stop All's deadline in the live build (STOP_ALL_DEADLINE_MS, read by
 * `next build` and checked by `next start`): shorter than the default 8 s
 * so the specs that wait out a real deadline stay fast. Every live spec
 * reads it from here.
 */
export const LIVE_DEADLINE_MS = 4000;

/** The header the authenticating proxy in front would set (AUTH_USER_HEADER): the specs' browser contexts send it themselves. */
export const LIVE_AUTH_USER_HEADER = "X-Forwarded-Email";

/** The shared live app's journal (DATA_DIR), outside the repo; playwright.config.ts empties it once per run. */
export const LIVE_DATA_DIR = path.join(os.tmpdir(), "fleet-canvas-e2e-live-journal");

/**
 * The environment of a live `next build` / `next start` of this project
 * against the test platform: playwright.config.ts's live webServer, and
 * the extra servers a spec starts itself (app-process.ts), each with its
 * own journal directory.
 */
export function liveAppEnv(dataDir: string): Record<string, string> {
  return {
    PLATFORM_URL: LIVE_PLATFORM_URL,
    PLATFORM_TOKEN: LIVE_TOKEN,
    NEXT_DIST_DIR: LIVE_DIST_DIR,
    NEXT_TSCONFIG_PATH: LIVE_TSCONFIG,
    STOP_ALL_DEADLINE_MS: String(LIVE_DEADLINE_MS),
    AUTH_USER_HEADER: LIVE_AUTH_USER_HEADER,
    DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
  };
}
