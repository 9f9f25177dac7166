/**
 * Mock or live, fixed at build time by next.config.mjs (no PLATFORM_URL →
 * mock). Comparing the inlined constant lets the bundler drop mock-only code
 * from live builds.
 */
export const isMockMode = process.env.NEXT_PUBLIC_PLATFORM_MODE !== "live";
