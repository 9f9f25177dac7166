/** A JSON-RPC 2.0 id: echoed back as it came. */
export type RpcId = string | number | null;

export interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

export interface RpcRequest {
  id: RpcId;
  method: string;
  params: unknown;
}

export type ParsedRpc = { ok: true; request: RpcRequest } | { ok: false; id: RpcId; error: RpcError };

/** The parts of a body worth logging, read leniently (the body may be anything). */
export interface RpcPeek {
  method?: string;
  params?: unknown;
  id?: RpcId;
}

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;

/** A request body arrives as raw text (from HTTP) or already decoded (from tests). */
export function decodeBody(body: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof body !== "string") return { ok: true, value: body };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

function isRpcId(value: unknown): value is RpcId {
  return value === null || typeof value === "string" || (typeof value === "number" && Number.isInteger(value));
}

/** Reads method, params and id where they look right; never throws. */
export function peekRpc(body: unknown): RpcPeek {
  const decoded = decodeBody(body);
  if (!decoded.ok || !decoded.value || typeof decoded.value !== "object" || Array.isArray(decoded.value)) return {};
  const record = decoded.value as Record<string, unknown>;
  return {
    method: typeof record.method === "string" ? record.method : undefined,
    params: record.params,
    id: isRpcId(record.id) ? record.id : undefined,
  };
}

/** Validates a JSON-RPC 2.0 request envelope: -32700 for broken JSON, -32600 for a wrong shape. */
export function parseRpcRequest(body: unknown): ParsedRpc {
  const decoded = decodeBody(body);
  if (!decoded.ok) return { ok: false, id: null, error: { code: PARSE_ERROR, message: "Parse error" } };
  const value = decoded.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, id: null, error: { code: INVALID_REQUEST, message: "Invalid Request" } };
  }
  const record = value as Record<string, unknown>;
  const id = "id" in record ? record.id : null;
  if (!isRpcId(id)) return { ok: false, id: null, error: { code: INVALID_REQUEST, message: "Invalid Request: bad id" } };
  if (record.jsonrpc !== "2.0" || typeof record.method !== "string" || record.method === "") {
    return { ok: false, id, error: { code: INVALID_REQUEST, message: "Invalid Request" } };
  }
  return { ok: true, request: { id, method: record.method, params: record.params } };
}

export function rpcResult(id: RpcId, result: unknown): Record<string, unknown> {
  return { jsonrpc: "2.0", id, result };
}

export function rpcErrorBody(id: RpcId, error: RpcError): Record<string, unknown> {
  return { jsonrpc: "2.0", id, error };
}
