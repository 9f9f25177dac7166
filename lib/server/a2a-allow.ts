/**
 * The A2A methods the canvas server sends for a Stop All: listing, reading
 * and cancelling tasks, in both protocol versions. Anything else (sending
 * messages, push config) is refused before it is sent, so no bug or input
 * can make the canvas drive agents with the platform's token
 * (lib/server/stop-all/upstream-client.ts applies it to every body).
 */
export const ALLOWED_A2A_METHODS: ReadonlySet<string> = new Set(["ListTasks", "GetTask", "CancelTask", "tasks/get", "tasks/cancel"]);

export type A2ACheck = { ok: true; body: string } | { ok: false; status: 400 | 403; error: string };

/**
 * Checks a JSON-RPC body against the allow-list. On success returns the
 * body re-serialised from what was checked, so a parser difference
 * upstream (duplicate `method` keys, odd whitespace) cannot smuggle in a
 * method other than the one that was allowed.
 */
export function checkA2ABody(bytes: Uint8Array): A2ACheck {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, status: 400, error: "A2A body must be a UTF-8 JSON-RPC 2.0 request object" };
  }
  return checkA2AText(text);
}

/** checkA2ABody for a body that is text already (the server's own client: what JSON.stringify wrote). */
export function checkA2AText(text: string): A2ACheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, error: "A2A body must be a UTF-8 JSON-RPC 2.0 request object" };
  }
  if (Array.isArray(value)) return { ok: false, status: 400, error: "JSON-RPC batches are not forwarded: send one request per call" };
  if (typeof value !== "object" || value === null) return { ok: false, status: 400, error: "A2A body must be a JSON-RPC 2.0 request object" };
  const { jsonrpc, method } = value as { jsonrpc?: unknown; method?: unknown };
  if (jsonrpc !== "2.0") return { ok: false, status: 400, error: 'A2A body must have "jsonrpc": "2.0"' };
  if (typeof method !== "string") return { ok: false, status: 400, error: 'A2A body must have a string "method"' };
  if (!ALLOWED_A2A_METHODS.has(method)) {
    const shown = JSON.stringify(method.length > 64 ? `${method.slice(0, 64)}…` : method);
    return { ok: false, status: 403, error: `A2A method ${shown} is not allowed (the canvas sends only ${[...ALLOWED_A2A_METHODS].join(", ")})` };
  }
  return { ok: true, body: JSON.stringify(value) };
}
