/**
 * JSON answers made by the proxy itself (as opposed to relayed platform
 * answers). Always `no-store`: they describe one moment of one request.
 */
export function jsonError(status: number, error: string, headers: Record<string, string> = {}): Response {
  return Response.json(
    { error },
    { status, headers: { "cache-control": "no-store", ...headers } },
  );
}

/** The answer in mock mode, where the browser's MSW worker normally answers first. */
export function mockModeResponse(): Response {
  return jsonError(
    503,
    "live platform unavailable: no PLATFORM_URL configured (mock mode; the browser's mock service worker answers /api/platform)",
  );
}
