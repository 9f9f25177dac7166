import { z } from "zod";
import type { LeftOutTarget } from "./wire";

/** A server answer as the host uses it: the body, or what went wrong in words. */
export type HostAnswer =
  | { ok: true; status: number; body: unknown }
  | { ok: false; status: number | undefined; error: string; operation?: unknown; leftOut?: LeftOutTarget[] };

const errorSchema = z.looseObject({
  error: z.string(),
  operation: z.unknown().optional(),
  leftOut: z.array(z.object({ workspaceId: z.string(), why: z.string() })).optional(),
});

/** Reads a fetch's answer; never throws (a network failure is an answer too). */
export async function readAnswer(pending: Promise<Response>): Promise<HostAnswer> {
  let response: Response;
  try {
    response = await pending;
  } catch (error) {
    return { ok: false, status: undefined, error: `the canvas server cannot be reached (${error instanceof Error ? error.message : String(error)})` };
  }
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return { ok: true, status: response.status, body };
  const parsed = errorSchema.safeParse(body);
  if (!parsed.success) return { ok: false, status: response.status, error: text.slice(0, 200) || response.statusText || "no answer" };
  const { error, operation } = parsed.data;
  // A 422's left-out list travels as `operation.leftOut` (the service's body).
  const leftOut = parsed.data.leftOut ?? (z.object({ leftOut: errorSchema.shape.leftOut }).safeParse(operation).data?.leftOut ?? undefined);
  return { ok: false, status: response.status, error, ...(response.status === 409 ? { operation } : {}), ...(leftOut ? { leftOut } : {}) };
}

/** A refused answer in words: the status, the server's error, and what was left out. */
export function describeAnswer(answer: HostAnswer): string {
  if (answer.ok) return "ok";
  const leftOut = answer.leftOut?.length ? `; left out: ${answer.leftOut.map((entry) => `${entry.workspaceId} (${entry.why})`).join(", ")}` : "";
  return `${answer.status ? `${answer.status}: ` : ""}${answer.error}${leftOut}`;
}
