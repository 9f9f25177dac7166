import type { PlatformClient } from "../platform/client";
import type { Clock } from "../time/clock";
import { LIST_TASKS, type A2AMethod } from "./a2a-methods";
import type { JsonRpcRequest } from "./jsonrpc";
import type { RequestLimiter } from "./limiter";
import { readA2AAnswer, type A2AAnswer } from "./proxy-answer";
import { sendWithin } from "./request-window";
import { sleep } from "./sleep";

/** What every A2A request of one Stop All shares. */
export interface A2ACallContext {
  platform: PlatformClient;
  clock: Clock;
  limiter?: RequestLimiter;
  nextRequestId: () => string;
  /** Upper bound of one request; it also always ends by the deadline. */
  requestTimeoutMs: number;
  /** How many times a `503 busy` answer is retried (each only if the deadline allows). */
  busyRetries: number;
  /** First wait after a busy answer without Retry-After; doubles on each retry. */
  busyBackoffMs: number;
}

/** Per-call limits: the operation's deadline and its abort signal. */
export interface A2ACallOptions {
  deadlineAt: number;
  signal?: AbortSignal;
}

/** JSON-RPC errors that mean "this method name is not the one the agent expects". */
export const VERSION_MISMATCH_CODES: ReadonlySet<number> = new Set([-32601, -32009]);

/** A retry needs at least this much time before the deadline to be worth sending. */
const MIN_ATTEMPT_MS = 200;

/** Sends one JSON-RPC request once, within the limiter and the request window. */
export async function sendOnce(
  ctx: A2ACallContext,
  workspaceId: string,
  method: A2AMethod,
  params: Record<string, unknown>,
  options: A2ACallOptions,
): Promise<A2AAnswer> {
  // A listing opens a target's turn; anything after it (its cancels) is a follow-up and goes first.
  const priority = method.name === LIST_TASKS.name ? "new" : "follow-up";
  const release = await (ctx.limiter?.acquire(options.signal, priority) ?? Promise.resolve(() => {}));
  if (!release) return { kind: "aborted" };
  try {
    const request: JsonRpcRequest = { jsonrpc: "2.0", id: ctx.nextRequestId(), method: method.name, params };
    const endsAt = Math.min(ctx.clock.now() + ctx.requestTimeoutMs, options.deadlineAt);
    const { response, timedOut } = await sendWithin(ctx.clock, { endsAt, signal: options.signal }, (signal) =>
      ctx.platform.postA2A(workspaceId, request, signal),
    );
    return readA2AAnswer(response, request.id, timedOut);
  } finally {
    release();
  }
}

/**
 * Sends one request and, when the agent is busy (`503` + Retry-After), waits
 * and sends it again, but only while the wait ends before the deadline.
 */
export async function sendRetryingBusy(
  ctx: A2ACallContext,
  workspaceId: string,
  method: A2AMethod,
  params: Record<string, unknown>,
  options: A2ACallOptions,
): Promise<A2AAnswer> {
  for (let attempt = 0; ; attempt++) {
    const answer = await sendOnce(ctx, workspaceId, method, params, options);
    if (answer.kind !== "busy" || attempt >= ctx.busyRetries) return answer;
    const wait = Math.max(answer.retryAfterMs ?? 0, ctx.busyBackoffMs * 2 ** attempt);
    if (ctx.clock.now() + wait + MIN_ATTEMPT_MS > options.deadlineAt) return answer;
    if (!(await sleep(ctx.clock, wait, options.signal))) return { kind: "aborted" };
  }
}

/** An answer together with the method name that produced it. */
export type FallbackAnswer =
  | { kind: "answered"; method: A2AMethod; answer: A2AAnswer }
  | { kind: "not-understood"; methods: string[]; codes: number[] };

/**
 * Tries `methods[0]`; when the agent says it does not know that method or
 * version (-32601 / -32009), tries `methods[1]` once, then gives up.
 */
export async function sendWithFallback(
  ctx: A2ACallContext,
  workspaceId: string,
  methods: readonly [A2AMethod, A2AMethod],
  params: Record<string, unknown>,
  options: A2ACallOptions,
): Promise<FallbackAnswer> {
  const codes: number[] = [];
  for (const method of methods) {
    const answer = await sendRetryingBusy(ctx, workspaceId, method, params, options);
    if (answer.kind !== "rpc-error" || !VERSION_MISMATCH_CODES.has(answer.code)) return { kind: "answered", method, answer };
    codes.push(answer.code);
  }
  return { kind: "not-understood", methods: methods.map((method) => method.name), codes };
}
