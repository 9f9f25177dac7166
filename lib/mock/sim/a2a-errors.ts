import type { SimProtocol } from "./behaviour";
import { METHOD_NOT_FOUND, type RpcError } from "./json-rpc";

export const TASK_NOT_FOUND = -32001;
export const TASK_NOT_CANCELABLE = -32002;
export const UNSUPPORTED_OPERATION = -32004;
export const VERSION_NOT_SUPPORTED = -32009;

/** `google.rpc.ErrorInfo` reasons the A2A 1.0 SDK attaches to its errors. */
const REASONS: Record<number, string> = {
  [-32001]: "TASK_NOT_FOUND",
  [-32002]: "TASK_NOT_CANCELABLE",
  [-32003]: "PUSH_NOTIFICATION_NOT_SUPPORTED",
  [-32004]: "UNSUPPORTED_OPERATION",
  [-32005]: "CONTENT_TYPE_NOT_SUPPORTED",
  [-32006]: "INVALID_AGENT_RESPONSE",
  [-32007]: "EXTENDED_AGENT_CARD_NOT_CONFIGURED",
  [-32008]: "EXTENSION_SUPPORT_REQUIRED",
  [-32009]: "VERSION_NOT_SUPPORTED",
  [-32602]: "INVALID_PARAMS",
};

const DEFAULT_MESSAGES: Record<number, string> = {
  [-32001]: "Task not found",
  [-32002]: "Task cannot be canceled",
  [-32004]: "This operation is not supported",
  [-32009]: "Version not supported",
  [-32602]: "Request malformed",
};

/**
 * An A2A error as the agent's protocol spells it: 1.0 errors carry
 * `data: [{"@type": "…ErrorInfo", "reason", "domain"}]`, 0.3 errors do not.
 */
export function a2aError(protocol: SimProtocol, code: number, message?: string): RpcError {
  const text = message ?? DEFAULT_MESSAGES[code] ?? (code === METHOD_NOT_FOUND ? "Method not found" : "Error");
  const reason = REASONS[code];
  if (protocol === "1.0" && reason) {
    return { code, message: text, data: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: "a2a-protocol.org" }] };
  }
  return { code, message: text };
}
