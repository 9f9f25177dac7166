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
