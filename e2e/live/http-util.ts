import type { IncomingMessage, ServerResponse } from "node:http";

const MAX_BODY = 2 * 1024 * 1024;

/** Answers with a JSON body (a response whose client has gone is left alone). */
export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** Resolves after `ms` (at once for 0, without a timer). */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** The request body as text; the request is destroyed past 2 MB. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error("request body too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The JSON-RPC method of a request body, if it has one. */
export function rpcMethodOf(body: string): string | undefined {
  try {
    const method = (JSON.parse(body) as { method?: unknown } | null)?.method;
    return typeof method === "string" ? method : undefined;
  } catch {
    return undefined;
  }
}
