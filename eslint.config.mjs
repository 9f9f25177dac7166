import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", ".next-live/**", ".next-*/**", "node_modules/**", "public/mockServiceWorker.js", "test-results/**", "playwright-report/**", "bench-results/**", "next-env.d.ts"]),
  {
    // lib/ is framework-free: no React, no app code, no raw timers or fetch.
    files: ["lib/**/*.ts"],
    ignores: ["lib/**/*.test.ts", "lib/time/clock.ts", "lib/mock/browser.ts", "lib/server/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["react", "react-dom", "next", "next/*"], message: "lib/ stays framework-free." },
            { group: ["@/components/*", "@/app/*", "../../components/*", "../../app/*"], message: "Imports flow app → components → lib." },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "setTimeout", message: "Take a Clock (lib/time/clock.ts) so tests can fake time." },
        { name: "setInterval", message: "Take a Clock (lib/time/clock.ts) so tests can fake time." },
        { name: "fetch", message: "Take a FetchLike / PlatformClient as a parameter." },
      ],
    },
  },
  {
    // Playwright fixtures call `use`, which is not React's hook.
    files: ["e2e/**/*.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*"], message: "Imports flow app → components → lib." }] }],
    },
  },
]);
