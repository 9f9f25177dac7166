import { z } from "zod";
import { MAX_BODY_CHARS, type PlatformResponse } from "../platform/client";
import { parseJsonRpcReply } from "./jsonrpc";

/** Why a bad body could not be read. */
export type BadBodyProblem = "empty" | "not-json" | "truncated" | "not-json-rpc";

/**
 * Answers of the platform proxy that are not the agent's JSON-RPC reply: the
 * request was not delivered, or nobody can tell that it was.
 */
export type ProxyFailure =
  | { kind: "queued-poll" }
  | { kind: "queued-busy"; queueDepth?: number }
  | { kind: "busy"; retryAfterMs?: number }
  | { kind: "waking" }
  | { kind: "platform-restarting" }
  | { kind: "platform-unavailable" }
  | { kind: "unreachable"; status: number }
  | { kind: "gone" }
  | { kind: "http-error"; status: number; detail: string }
  | { kind: "network-error"; message: string }
  | { kind: "timeout" }
  | { kind: "aborted" }
  | { kind: "bad-body"; status: number; problem: BadBodyProblem }
  | { kind: "id-mismatch" };

/** One answer to one A2A request through `POST /workspaces/:id/a2a`. */
export type A2AAnswer =
  | { kind: "rpc-result"; result: unknown }
  | { kind: "rpc-error"; code: number; message: string; reason?: string }
  | ProxyFailure;

const queuedPoll = z.object({ status: z.literal("queued"), delivery_mode: z.literal("poll") });
const queuedBusy = z.object({ queue_depth: z.number().int().nonnegative().optional().catch(undefined) });
const unavailable = z.object({
  restarting: z.literal(true).optional().catch(undefined),
  waking: z.literal(true).optional().catch(undefined),
  busy: z.literal(true).optional().catch(undefined),
  retry_after: z.number().nonnegative().optional().catch(undefined),
  code: z.string().optional().catch(undefined),
});

const DETAIL_CHARS = 200;

function badBody(response: Extract<PlatformResponse, { ok: true }>): ProxyFailure {
  if (response.text.length === 0) return { kind: "bad-body", status: response.status, problem: "empty" };
  if (response.text.length >= MAX_BODY_CHARS) return { kind: "bad-body", status: response.status, problem: "truncated" };
  return { kind: "bad-body", status: response.status, problem: "not-json" };
}

function read503(response: Extract<PlatformResponse, { ok: true }>): A2AAnswer {
  const body = unavailable.safeParse(response.json ?? {});
  const flags = body.success ? body.data : {};
  if (flags.restarting) return { kind: "platform-restarting" };
  if (flags.waking) return { kind: "waking" };
  if (flags.code === "platform_unavailable") return { kind: "platform-unavailable" };
  if (flags.busy) {
    const retryAfterMs = response.retryAfterMs ?? (flags.retry_after !== undefined ? flags.retry_after * 1000 : undefined);
    return retryAfterMs === undefined ? { kind: "busy" } : { kind: "busy", retryAfterMs };
  }
  return { kind: "http-error", status: 503, detail: response.text.slice(0, DETAIL_CHARS) };
}

function read2xx(response: Extract<PlatformResponse, { ok: true }>, requestId: string): A2AAnswer {
  if (response.json === undefined) return badBody(response);
  if (queuedPoll.safeParse(response.json).success) return { kind: "queued-poll" };
  const reply = parseJsonRpcReply(response.json);
  if (!reply) return { kind: "bad-body", status: response.status, problem: "not-json-rpc" };
  if (reply.kind === "result") {
    // Only a result that names our request proves that this request was delivered.
    return reply.id === requestId ? { kind: "rpc-result", result: reply.result } : { kind: "id-mismatch" };
  }
  // An error may carry `id: null` when the agent could not read the request at all.
  if (reply.id !== requestId && reply.id !== null && reply.id !== undefined) return { kind: "id-mismatch" };
  return { kind: "rpc-error", code: reply.code, message: reply.message, ...(reply.reason ? { reason: reply.reason } : {}) };
}

/**
 * Gives one proxy response its meaning (PLATFORM_API.md, "A2A proxy"). Pure:
 * `timedOut` says whether an abort came from the request's own timeout.
 */
export function readA2AAnswer(response: PlatformResponse, requestId: string, timedOut = false): A2AAnswer {
  if (!response.ok) {
    if (response.error === "network") return { kind: "network-error", message: response.message.slice(0, DETAIL_CHARS) };
    return timedOut ? { kind: "timeout" } : { kind: "aborted" };
  }
  const { status } = response;
  if (status === 202) {
    const body = queuedBusy.safeParse(response.json ?? {});
    const queueDepth = body.success ? body.data.queue_depth : undefined;
    return queueDepth === undefined ? { kind: "queued-busy" } : { kind: "queued-busy", queueDepth };
  }
  if (status >= 200 && status < 300) return read2xx(response, requestId);
  if (status === 503) return read503(response);
  if (status === 502) return { kind: "unreachable", status };
  if (status === 404) return { kind: "gone" };
  return { kind: "http-error", status, detail: response.text.slice(0, DETAIL_CHARS) };
}
