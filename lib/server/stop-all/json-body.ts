import "server-only";
import type { z } from "zod";
import { BodyTooLargeError, readBounded } from "../bounded-body";
import { jsonError } from "../responses";

/** A start names at most a fleet of ids: 2 MiB holds 20,000 of them with room to spare. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Reads a request's JSON body against `schema`, or the answer saying what
 * to fix: 415 when it is not application/json, 413 over MAX_BODY_BYTES,
 * 400 when it is not UTF-8, not JSON, or not what the schema asks for.
 */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) return { ok: false, response: jsonError(415, "send the body as application/json") };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await readBounded(request.body, MAX_BODY_BYTES));
  } catch (error) {
    return { ok: false, response: jsonError(error instanceof BodyTooLargeError ? 413 : 400, error instanceof BodyTooLargeError ? `the body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB` : "the body is not UTF-8 text") };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, response: jsonError(400, "the body is not valid JSON") };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  return { ok: false, response: jsonError(400, `${where}${issue?.message ?? "unexpected body"}`) };
}
