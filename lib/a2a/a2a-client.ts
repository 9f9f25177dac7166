import type { PlatformClient } from "../platform/client";
import type { A2AProtocol } from "../platform/workspace";
import type { Clock } from "../time/clock";
import type { A2ACallContext, A2ACallOptions } from "./a2a-call";
import { cancelTask, type CancelResult } from "./cancel-task";
import { createRequestIds } from "./jsonrpc";
import type { RequestLimiter } from "./limiter";
import { listOpenTaskIds, type ListOpenTasksResult } from "./list-open-tasks";

export type { CancelRefusal, CancelResult } from "./cancel-task";
export type { ListOpenTasksResult } from "./list-open-tasks";
export type { A2AAnswer, BadBodyProblem, ProxyFailure } from "./proxy-answer";

/** The workspace fields the A2A client needs: where to send, which method names. */
export interface A2ATarget {
  id: string;
  protocol: A2AProtocol;
}

/** Limits of one call: the operation's deadline (every request ends by it) and its abort signal. */
export type A2ARequestOptions = A2ACallOptions;

/** Cancel-side A2A calls for Stop All, through the platform proxy. Never throws. */
export interface StopAllA2AClient {
  /** Open task ids from `ListTasks` (1.0; tried first for an unknown protocol). */
  listOpenTaskIds(workspace: A2ATarget, options: A2ARequestOptions): Promise<ListOpenTasksResult>;
  /** Cancels one task with the method name of the workspace's protocol, falling back once to the other. */
  cancelTask(workspace: A2ATarget, taskId: string, options: A2ARequestOptions): Promise<CancelResult>;
}

export interface A2AClientDeps {
  platform: PlatformClient;
  clock: Clock;
  /** Shared bound on requests in flight (omit for none). */
  limiter?: RequestLimiter;
  /** Upper bound of one request, default 5000 ms; a request also always ends by the deadline. */
  requestTimeoutMs?: number;
  /** Retries of a `503 busy` answer, default 3, each only when it can end before the deadline. */
  busyRetries?: number;
  /** First wait after a busy answer without Retry-After, default 250 ms, doubling. */
  busyBackoffMs?: number;
  /** Most `ListTasks` pages read per workspace, default 5. */
  maxListPages?: number;
  /** JSON-RPC request ids; default `stop-all-1`, `stop-all-2`, … */
  nextRequestId?: () => string;
}

/** Builds the Stop All A2A client on the platform client and the injected clock. */
export function createA2AClient(deps: A2AClientDeps): StopAllA2AClient {
  const ctx: A2ACallContext = {
    platform: deps.platform,
    clock: deps.clock,
    limiter: deps.limiter,
    nextRequestId: deps.nextRequestId ?? createRequestIds(),
    requestTimeoutMs: deps.requestTimeoutMs ?? 5000,
    busyRetries: deps.busyRetries ?? 3,
    busyBackoffMs: deps.busyBackoffMs ?? 250,
  };
  const maxPages = deps.maxListPages ?? 5;
  return {
    listOpenTaskIds: (workspace, options) => listOpenTaskIds(ctx, workspace, { ...options, maxPages }),
    cancelTask: (workspace, taskId, options) => cancelTask(ctx, workspace, taskId, options),
  };
}
