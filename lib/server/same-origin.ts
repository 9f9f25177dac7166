/**
 * CSRF guard for mutating routes. Route handlers get no automatic check
 * (Server Actions do), and a Stop All must not be triggerable by another
 * site through a logged-in operator's browser.
 *
 * Rule: when the browser sends `Sec-Fetch-Site` it must be `same-origin`;
 * otherwise an `Origin` whose host is this app's host is required.
 * `Origin: null` (sandboxed frames, some redirects) counts as cross-site, and
 * a request with neither header is refused. Header values are never echoed.
 */
export function crossSiteRefusal(request: Request): string | null {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) {
    if (site === "same-origin") return null;
    const known = ["same-site", "cross-site", "none"].includes(site) ? site : "an unrecognised value";
    return `cross-site request refused: Sec-Fetch-Site is ${known}, this route only accepts same-origin requests`;
  }
  const origin = request.headers.get("origin");
  if (origin === null) return "cross-site request refused: the request carries neither Sec-Fetch-Site nor Origin";
  if (origin === "null") return "cross-site request refused: Origin is null";
  const originHost = hostOf(origin);
  if (originHost === null) return "cross-site request refused: Origin is not an http(s) origin";
  return ownHosts(request).has(originHost) ? null : "cross-site request refused: Origin is not this app's origin";
}

function hostOf(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** The names this app is reached by: the request URL, `Host`, and a proxy's `X-Forwarded-Host`. */
function ownHosts(request: Request): Set<string> {
  const hosts = new Set<string>([new URL(request.url).host.toLowerCase()]);
  const host = request.headers.get("host");
  if (host) hosts.add(host.trim().toLowerCase());
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  if (forwarded) hosts.add(forwarded.toLowerCase());
  return hosts;
}

/**
 * Lighter guard for reads (the workspace list, the event stream): another
 * site's page can still make a browser open `/api/platform/events` (an
 * EventSource or `<img>` is sent even when its answer cannot be read), and
 * each stream holds an upstream socket. Browsers mark those requests
 * `cross-site` / `same-site`; typed URLs (`none`), tools sending no
 * `Sec-Fetch-Site`, and the app's own requests pass.
 */
export function crossSiteReadRefusal(request: Request): string | null {
  const site = request.headers.get("sec-fetch-site");
  return site === "cross-site" || site === "same-site" ? `cross-site read refused: Sec-Fetch-Site is ${site}` : null;
}
