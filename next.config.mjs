// Mock or live is decided at build time: with no PLATFORM_URL the app is a
// mock build (MSW in the browser); with it, a live build with no MSW code.
const platformUrl = process.env.PLATFORM_URL?.trim();
const platformMode = platformUrl ? "live" : "mock";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  env: { NEXT_PUBLIC_PLATFORM_MODE: platformMode },
};

export default nextConfig;
