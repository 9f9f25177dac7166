/**
 * Workspace ids are opaque (UUIDs in practice) but end up inside URL paths,
 * so anything outside a conservative alphabet is refused before use. This
 * blocks `..`, slashes, percent-encoding and whitespace tricks in one rule.
 */
const WORKSPACE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function isValidWorkspaceId(value: unknown): value is string {
  return typeof value === "string" && WORKSPACE_ID.test(value);
}
