import { z } from "zod";
import type { A2AProtocol } from "../platform/workspace";
import { type A2ACallContext, type A2ACallOptions, sendRetryingBusy, VERSION_MISMATCH_CODES } from "./a2a-call";
import { LIST_TASKS } from "./a2a-methods";
import { isUsableTaskId } from "./cancel-task";
import type { ProxyFailure } from "./proxy-answer";
import { isOpenTaskState, toTaskState } from "./task-state";

/** What asking an agent for its open tasks came to. */
export type ListOpenTasksResult =
  /** Open task ids, in the agent's order. `complete` is false when a page limit or a failed page cut the list short. */
  | { kind: "listed"; taskIds: string[]; pages: number; complete: boolean }
  /** The agent has no `ListTasks` (a 0.3 card, or -32601 / -32009): use the ids the canvas has seen. */
  | { kind: "not-supported"; code?: number }
  /** The agent answered `ListTasks` with another JSON-RPC error. */
  | { kind: "refused"; code: number; message: string }
  | ProxyFailure;

export const LIST_PAGE_SIZE = 100;

const pageSchema = z.object({
  tasks: z.array(z.unknown()).catch([]),
  nextPageToken: z.string().max(4096).optional().catch(undefined),
});
const taskSchema = z.object({
  id: z.string().refine(isUsableTaskId),
  status: z.object({ state: z.union([z.string(), z.number()]) }),
});

function openIdsOf(tasks: unknown[]): string[] {
  const ids: string[] = [];
  for (const raw of tasks) {
    const task = taskSchema.safeParse(raw);
    if (task.success && isOpenTaskState(toTaskState(task.data.status.state))) ids.push(task.data.id);
  }
  return ids;
}

/**
 * Lists the agent's open tasks with `ListTasks` (A2A 1.0), without a status
 * filter (it takes one value only), paging with `nextPageToken` up to
 * `maxPages`, and keeps the non-terminal ones.
 */
export async function listOpenTaskIds(
  ctx: A2ACallContext,
  workspace: { id: string; protocol: A2AProtocol },
  options: A2ACallOptions & { maxPages: number },
): Promise<ListOpenTasksResult> {
  if (workspace.protocol === "0.3") return { kind: "not-supported" };
  const ids = new Set<string>();
  const seenTokens = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 1; page <= options.maxPages; page++) {
    const params = { pageSize: LIST_PAGE_SIZE, historyLength: 0, ...(pageToken ? { pageToken } : {}) };
    const answer = await sendRetryingBusy(ctx, workspace.id, LIST_TASKS, params, options);
    if (answer.kind !== "rpc-result") {
      if (page > 1) return { kind: "listed", taskIds: [...ids], pages: page - 1, complete: false };
      if (answer.kind === "rpc-error") {
        return VERSION_MISMATCH_CODES.has(answer.code)
          ? { kind: "not-supported", code: answer.code }
          : { kind: "refused", code: answer.code, message: answer.message };
      }
      return answer;
    }
    const body = pageSchema.safeParse(answer.result);
    if (!body.success) {
      if (page > 1) return { kind: "listed", taskIds: [...ids], pages: page - 1, complete: false };
      return { kind: "bad-body", status: 200, problem: "not-json-rpc" };
    }
    for (const id of openIdsOf(body.data.tasks)) ids.add(id);
    const next = body.data.nextPageToken;
    if (!next) return { kind: "listed", taskIds: [...ids], pages: page, complete: true };
    if (seenTokens.has(next)) return { kind: "listed", taskIds: [...ids], pages: page, complete: false };
    seenTokens.add(next);
    pageToken = next;
  }
  return { kind: "listed", taskIds: [...ids], pages: options.maxPages, complete: false };
}
