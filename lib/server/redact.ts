/**
 * Last line of defence for the bearer token: whatever the platform echoes
 * (a debug body, an error message quoting the request) reaches the browser
 * with the token replaced. Bytes without the token are returned untouched.
 */
export const REDACTED = "[redacted]";

export function redactBytes(body: Uint8Array, token: string | null): Uint8Array {
  if (!token) return body;
  const haystack = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (haystack.indexOf(token) === -1) return body;
  return Buffer.from(haystack.toString("latin1").split(token).join(REDACTED), "latin1");
}

export function redactText(text: string, token: string | null): string {
  return token ? text.split(token).join(REDACTED) : text;
}
