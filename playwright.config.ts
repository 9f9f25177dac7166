import { existsSync, rmSync } from "node:fs";
import { chromium, defineConfig, devices } from "@playwright/test";
import { LIVE_APP_PORT, LIVE_APP_URL, LIVE_DATA_DIR, LIVE_DIST_DIR, LIVE_PLATFORM_PORT, LIVE_PLATFORM_URL, LIVE_TOKEN, liveAppEnv } from "./e2e/live/env";

// The live app's Stop All journal starts empty each run, so no run sees an
// earlier one's history. Only where the config is first loaded: the worker
// processes load it again (and inherit this variable), while the app runs.
if (!process.env.FLEET_CANVAS_E2E_RUN) {
  process.env.FLEET_CANVAS_E2E_RUN = String(Date.now());
  rmSync(LIVE_DATA_DIR, { recursive: true, force: true });
}

// Playwright cannot download its own browser on our machines: use Debian's
// Chromium when Playwright's is not installed. Never download in CI.
function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // fall through to the system browser
  }
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));
}

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const reuseExistingServer = !process.env.CI;

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    ...devices["Desktop Chrome"],
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "mock", testIgnore: "live/**" },
    // A live production build against the test platform (e2e/live). Its
    // specs share one platform whose state they reset, so they run one at a
    // time, in real time (no page.clock).
    { name: "live", testDir: "e2e/live", use: { baseURL: LIVE_APP_URL }, fullyParallel: false, workers: 1 },
  ],
  // Started in this order, whichever project runs. The live build comes
  // before the mock one so that next-env.d.ts ends up pointing at `.next`.
  webServer: [
    // The test platform: real @a2a-js/sdk agents behind PLATFORM_API on loopback.
    {
      command: "node e2e/live/run-platform.mjs",
      url: `${LIVE_PLATFORM_URL}/workspaces`, // 401 without the token: up
      env: { PLATFORM_TOKEN: LIVE_TOKEN, PLATFORM_PORT: String(LIVE_PLATFORM_PORT), PLATFORM_FLEET: "e2e" },
      reuseExistingServer,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    // A live production build into .next-live, checked for leaks (the token,
    // MSW) before it is served: a leak fails the run here. Stop All's deadline
    // is LIVE_DEADLINE_MS (built in), the actor comes from X-Forwarded-Email,
    // and the journal lives in LIVE_DATA_DIR (e2e/live/env.ts).
    {
      command: `npx next build && node e2e/live/check-bundle.mjs ${LIVE_DIST_DIR} && npx next start -H 127.0.0.1 -p ${LIVE_APP_PORT}`,
      url: LIVE_APP_URL,
      env: liveAppEnv(LIVE_DATA_DIR),
      reuseExistingServer,
      timeout: 300_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    // A production build in mock mode: what designers and e2e suites run.
    {
      command: `npm run build && npx next start -H 127.0.0.1 -p ${port}`,
      url: baseURL,
      env: { PLATFORM_URL: "", NEXT_DIST_DIR: "", NEXT_TSCONFIG_PATH: "", NEXT_TELEMETRY_DISABLED: "1" },
      reuseExistingServer,
      timeout: 300_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
