import "server-only";

/** Who did it when the deployment names no trusted header, or the header is absent or unusable. */
export const ANONYMOUS = "anonymous";
const MAX_ACTOR_CHARS = 200;

/**
 * Reads the actor of a request from the header the authenticating proxy in
 * front sets (`AUTH_USER_HEADER`, e.g. `X-Forwarded-Email`). Trusted only
 * when that variable names it: without a proxy that strips and sets it, any
 * client could write the header itself.
 */
export function readActor(request: Request, headerName: string | undefined): string {
  if (!headerName) return ANONYMOUS;
  const value = request.headers.get(headerName)?.trim();
  if (!value || value.length > MAX_ACTOR_CHARS || !/^[\x20-\x7e]+$/.test(value)) return ANONYMOUS;
  return value;
}

/** `AUTH_USER_HEADER` checked: an HTTP header name, or unset. Throws with what to fix. */
export function readAuthUserHeader(env: Record<string, string | undefined>): string | undefined {
  const raw = env.AUTH_USER_HEADER?.trim();
  if (!raw) return undefined;
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(raw)) throw new Error(`AUTH_USER_HEADER must be an HTTP header name such as X-Forwarded-Email, got ${JSON.stringify(raw.slice(0, 100))}`);
  return raw.toLowerCase();
}
