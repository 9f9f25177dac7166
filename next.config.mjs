import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";
import { PlatformEnvError, readPlatformEnv } from "./lib/server/platform-env.mjs";
import { readStopAllDeadlineMs, readStopAllQuietMs, StopAllSettingError } from "./lib/stop-all/deadline-setting.mjs";

// Mock or live is decided at build time: with no PLATFORM_URL the app is a
// mock build (MSW in the browser); with it, a live build with no MSW code.
// PLATFORM_URL / PLATFORM_TOKEN are validated here so `next build`,
// `next start` and `next dev` stop at once with a readable message.
function platformEnv() {
  try {
    return readPlatformEnv(process.env);
  } catch (error) {
    if (error instanceof PlatformEnvError) throw new Error(`Invalid live-mode configuration: ${error.message}`);
    throw error;
  }
}

// STOP_ALL_DEADLINE_MS (and STOP_ALL_QUIET_MS) are checked the same way. Mock mode runs Stop All in
// the page, so the value is inlined (NEXT_PUBLIC_STOP_ALL_DEADLINE_MS, read
// only by lib/stop-all/deployment-settings.ts): it is fixed at `next build`;
// `next start` checks it again but cannot change what was built.
function stopAllSetting(read) {
  try {
    return read(process.env);
  } catch (error) {
    if (error instanceof StopAllSettingError) throw new Error(`Invalid Stop All configuration: ${error.message}`);
    throw error;
  }
}

// One policy for mock and live, `next dev` and `next start`. Next's inline
// bootstrap scripts need 'unsafe-inline' (no nonces here); React's dev build
// needs 'unsafe-eval'. MSW's worker is /mockServiceWorker.js ('self').
// The browser only ever talks to its own origin (connect-src 'self').
function contentSecurityPolicy(dev) {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function securityHeaders(dev) {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(dev) },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    // Not no-referrer: under it browsers send `Origin: null` on same-origin
    // POSTs, which the CSRF check (lib/server/same-origin.ts) must refuse.
    { key: "Referrer-Policy", value: "strict-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ];
}

// A second build next to the default one (the live e2e build goes to
// `.next-live` so it does not clobber the mock build in `.next`). Next adds
// `<distDir>/types/**` to the tsconfig it type-checks with and rewrites it
// when missing, so such a build names its own tsconfig, one that `extends`
// the project's (Next leaves those alone): e2e/live/tsconfig.build.json.
function buildOutput(env) {
  const distDir = (env.NEXT_DIST_DIR ?? "").trim();
  if (distDir === "") return {};
  const tsconfigPath = (env.NEXT_TSCONFIG_PATH ?? "").trim();
  return { distDir, ...(tsconfigPath ? { typescript: { tsconfigPath } } : {}) };
}

/** @type {(phase: string) => import('next').NextConfig} */
export default function nextConfig(phase) {
  const { platformUrl } = platformEnv();
  const platformMode = platformUrl ? "live" : "mock";
  const deadlineMs = stopAllSetting(readStopAllDeadlineMs);
  const quietMs = stopAllSetting(readStopAllQuietMs);
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  return {
    ...buildOutput(process.env),
    reactStrictMode: true,
    poweredByHeader: false,
    env: { NEXT_PUBLIC_PLATFORM_MODE: platformMode, NEXT_PUBLIC_STOP_ALL_DEADLINE_MS: String(deadlineMs), NEXT_PUBLIC_STOP_ALL_QUIET_MS: String(quietMs) },
    // The event bridge's WebSocket client and the journal's drivers (SQLite,
    // Postgres) run as plain Node, not bundled.
    serverExternalPackages: ["ws", "better-sqlite3", "pg"],
    // `next dev` otherwise blocks its own scripts and HMR socket for pages
    // opened at 127.0.0.1 (tests and tools use loopback addresses).
    allowedDevOrigins: ["127.0.0.1"],
    async headers() {
      return [{ source: "/:path*", headers: securityHeaders(dev) }];
    },
  };
}
