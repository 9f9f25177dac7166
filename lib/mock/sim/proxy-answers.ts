import { CONNECTION_REFUSED, jsonSimAnswer, HANG, PLATFORM_UNAVAILABLE, WORKSPACE_NOT_FOUND, type SimAnswer } from "./answer";
import type { PlainProxyStatus, ProxyAnswer } from "./behaviour";

/** Retry-After the platform sends while it wakes a hibernated workspace (seconds). */
export const WAKING_RETRY_AFTER_SECONDS = 15;

const STATUS_TEXT: Record<PlainProxyStatus, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  504: "Gateway Timeout",
  520: "Web server is returning an unknown error",
  521: "Web server is down",
  522: "Connection timed out",
  523: "Origin is unreachable",
  524: "A timeout occurred",
};

export const WAKING_ANSWER: SimAnswer = jsonSimAnswer(
  503,
  { error: "workspace is waking from hibernation — retry in ~15 seconds", waking: true, retry_after: WAKING_RETRY_AFTER_SECONDS },
  { "Retry-After": String(WAKING_RETRY_AFTER_SECONDS) },
);

/** What the proxy answers when a workspace has no running agent to forward to. */
export function noAgentAnswer(status: string): SimAnswer {
  return jsonSimAnswer(503, { error: "workspace has no URL", status });
}

function plainStatus(status: PlainProxyStatus): SimAnswer {
  if (status >= 520) return { status, rawBody: `error code: ${status}`, headers: { "Content-Type": "text/plain; charset=UTF-8" } };
  return jsonSimAnswer(status, { error: STATUS_TEXT[status] });
}

/** Faults that alter the agent's own reply rather than replace it. */
export type ReplyFault = Extract<ProxyAnswer, { kind: "truncated-body" | "not-json" | "mismatched-id" | "huge-body" | "empty-body" }>;

const REPLY_FAULTS: ReadonlySet<ProxyAnswer["kind"]> = new Set(["truncated-body", "not-json", "mismatched-id", "huge-body", "empty-body"]);

export function isReplyFault(answer: ProxyAnswer): answer is ReplyFault {
  return REPLY_FAULTS.has(answer.kind);
}

/** Default size of a `huge-body` answer: more than the canvas reads (MAX_BODY_CHARS, 1,000,000). */
export const HUGE_BODY_CHARS = 1_200_000;

/**
 * The HTTP answer for a proxy-level override, with bodies as the platform
 * (Molecule's workspace-server) sends them.
 */
export function proxyAnswer(answer: Exclude<ProxyAnswer, ReplyFault>, info: { method: string; queueId: string; queueDepth: number }): SimAnswer {
  switch (answer.kind) {
    case "poll-queued":
      return jsonSimAnswer(200, { status: "queued", delivery_mode: "poll", method: info.method });
    case "queued":
      return jsonSimAnswer(202, { queued: true, queue_id: info.queueId, queue_depth: answer.queueDepth ?? info.queueDepth });
    case "busy":
      if (answer.retryAfterSeconds === null) return jsonSimAnswer(503, { error: "workspace agent busy — retry after a short backoff", busy: true });
      return jsonSimAnswer(
        503,
        { error: "workspace agent busy — retry after a short backoff", busy: true, retry_after: answer.retryAfterSeconds },
        { "Retry-After": String(answer.retryAfterSeconds) },
      );
    case "waking":
      return WAKING_ANSWER;
    case "restarting":
      return jsonSimAnswer(503, { error: "workspace agent unreachable — container restart triggered", restarting: true });
    case "platform-unavailable":
      return PLATFORM_UNAVAILABLE;
    case "unreachable":
      return jsonSimAnswer(502, { error: "failed to reach workspace agent" });
    case "not-found":
      return WORKSPACE_NOT_FOUND;
    case "status":
      return plainStatus(answer.status);
    case "hang":
      return HANG;
    case "connection-refused":
      return CONNECTION_REFUSED;
  }
}

/** The agent's reply, damaged the way `fault` says. */
export function damageReply(fault: ReplyFault, reply: Record<string, unknown>): SimAnswer {
  switch (fault.kind) {
    case "truncated-body": {
      const text = JSON.stringify(reply);
      return { status: 200, rawBody: text.slice(0, Math.floor(text.length / 2)), headers: { "Content-Type": "application/json" } };
    }
    case "not-json":
      return { status: 200, rawBody: "<html><body><h1>Agent error</h1></body></html>", headers: { "Content-Type": "text/html" } };
    case "mismatched-id": {
      const id = reply.id;
      const other = typeof id === "number" ? id + 1000 : `${String(id)}-mismatched`;
      return jsonSimAnswer(200, { ...reply, id: other });
    }
    case "huge-body": {
      // Valid JSON-RPC, with the real reply in it: only its size is wrong.
      const text = JSON.stringify(reply);
      const head = `${text.slice(0, -1)}${text.length > 2 ? "," : ""}"padding":"`;
      const padding = "x".repeat(Math.max(0, (fault.chars ?? HUGE_BODY_CHARS) - head.length - 2));
      return { status: 200, rawBody: `${head}${padding}"}`, headers: { "Content-Type": "application/json" } };
    }
    case "empty-body":
      return { status: 200, rawBody: "", headers: { "Content-Type": "application/json" } };
  }
}
