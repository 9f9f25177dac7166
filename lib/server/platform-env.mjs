// Plain ESM on purpose: next.config.mjs imports it at `next build` /
// `next start` time (no TypeScript there), and lib/server/config.ts imports
// it again at run time, so both places apply exactly the same rules.

/** A configuration value the app cannot start with. */
export class PlatformEnvError extends Error {
  constructor(message) {
    super(message);
    this.name = "PlatformEnvError";
  }
}

const MAX_SHOWN = 120;
const show = (value) => JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);

/**
 * Reads and validates `PLATFORM_URL` and `PLATFORM_TOKEN`.
 * Returns `{ platformUrl: null }` in mock mode (no URL), otherwise the URL
 * normalised to end with `/` so relative upstream paths keep its base path.
 * Throws PlatformEnvError with a message that says what to fix; the token
 * itself is never part of a message.
 */
export function readPlatformEnv(env) {
  const rawUrl = (env.PLATFORM_URL ?? "").trim();
  const rawToken = (env.PLATFORM_TOKEN ?? "").trim();
  const token = rawToken === "" ? null : checkToken(rawToken);
  if (rawUrl === "") return { platformUrl: null, token };

  let url;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new PlatformEnvError(`PLATFORM_URL must be an absolute http(s) URL such as http://127.0.0.1:8080, got ${show(rawUrl)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new PlatformEnvError(`PLATFORM_URL must use http: or https:, got ${show(url.protocol)} in ${show(rawUrl)}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new PlatformEnvError("PLATFORM_URL must not contain user:password credentials; put the bearer token in PLATFORM_TOKEN");
  }
  if (url.search !== "" || url.hash !== "") {
    throw new PlatformEnvError(`PLATFORM_URL must not have a query string or fragment, got ${show(rawUrl)}`);
  }
  if (!url.pathname.endsWith("/")) url.pathname = `${url.pathname}/`;
  return { platformUrl: url.href, token };
}

function checkToken(token) {
  // The token goes into an Authorization header: printable ASCII, no spaces.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new PlatformEnvError("PLATFORM_TOKEN must be printable ASCII without spaces or control characters (it is sent as `Authorization: Bearer <token>`)");
  }
  return token;
}
