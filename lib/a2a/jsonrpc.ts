import { z } from "zod";

/** A JSON-RPC 2.0 request as the canvas sends it through the platform proxy. */
export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: string;
  method: string;
  params: Record<string, unknown>;
}

/** What a JSON-RPC reply said, once its envelope is checked. */
export type JsonRpcReply =
  | { kind: "result"; id: unknown; result: unknown }
  | { kind: "error"; id: unknown; code: number; message: string; reason?: string };

const MAX_MESSAGE_CHARS = 300;

const errorSchema = z.object({
  code: z.number().int(),
  message: z.string().catch(""),
  data: z.unknown().optional(),
});

const envelopeSchema = z.object({
  jsonrpc: z.literal("2.0").optional(),
  id: z.union([z.string(), z.number(), z.null()]).optional(),
});

const errorInfoSchema = z.object({ reason: z.string().max(100) });

/** 1.0 errors carry `data: [{"@type": "…ErrorInfo", "reason": "TASK_NOT_CANCELABLE"}]`. */
function reasonOf(data: unknown): string | undefined {
  if (!Array.isArray(data)) return undefined;
  for (const entry of data) {
    const info = errorInfoSchema.safeParse(entry);
    if (info.success) return info.data.reason;
  }
  return undefined;
}

/** Parses a JSON-RPC 2.0 reply; undefined when the body is not one. */
export function parseJsonRpcReply(body: unknown): JsonRpcReply | undefined {
  if (!body || typeof body !== "object" || Array.isArray(body)) return undefined;
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return undefined;
  const record = body as Record<string, unknown>;
  const hasResult = Object.hasOwn(record, "result");
  const hasError = Object.hasOwn(record, "error");
  if (hasResult === hasError) return undefined;
  const id = envelope.data.id;
  if (hasResult) return { kind: "result", id, result: record.result };
  const error = errorSchema.safeParse(record.error);
  if (!error.success) return undefined;
  const reason = reasonOf(error.data.data);
  return {
    kind: "error",
    id,
    code: error.data.code,
    message: error.data.message.slice(0, MAX_MESSAGE_CHARS),
    ...(reason ? { reason } : {}),
  };
}

/** Request ids are unique per client so an answer can be matched to its request. */
export function createRequestIds(prefix = "stop-all"): () => string {
  let next = 0;
  return () => `${prefix}-${++next}`;
}
