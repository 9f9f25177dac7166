/** The 400 body for an id that fails lib/platform/ids.ts. */
export const INVALID_ID = { error: "invalid workspace id" };

/** The `:id` path parameter as a string (MSW decodes it, so `ws%2Fx` arrives as `ws/x` and is refused). */
export function workspaceIdParam(value: string | readonly string[] | undefined): string {
  return typeof value === "string" ? value : "";
}
