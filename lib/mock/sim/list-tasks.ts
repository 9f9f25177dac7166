import { a2aError } from "./a2a-errors";
import { INVALID_PARAMS, type RpcError } from "./json-rpc";
import { TASK_STATE_ENUM, toEnumState } from "../../platform/task-states";
import { taskJson, type SimTask } from "./tasks";

const DEFAULT_PAGE_SIZE = 50;
const TOKEN_PREFIX = "cursor:";

type Params = Record<string, unknown>;

/** `status` as the 1.0 SDK reads it: ONE enum name or its number; `"working"` is invalid. 0 means no filter. */
function readStatusFilter(value: unknown): number | undefined | "invalid" {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 && value < TASK_STATE_ENUM.length ? value : "invalid";
  if (typeof value === "string") {
    const index = (TASK_STATE_ENUM as readonly string[]).indexOf(value);
    return index >= 0 ? index : "invalid";
  }
  return "invalid";
}

function readPageSize(value: unknown): number | "invalid" {
  if (value === undefined || value === null) return DEFAULT_PAGE_SIZE;
  const size = Number(value);
  return Number.isInteger(size) && size >= 1 && size <= 100 ? size : "invalid";
}

/** Newest status change first, then by id, as the SDK's in-memory store orders them. */
function byRecency(a: SimTask, b: SimTask): number {
  if (a.stateAt !== b.stateAt) return b.stateAt - a.stateAt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * `ListTasks` of A2A 1.0: filter by one status and/or context, pages of
 * `pageSize` (1-100, default 50) chained by an opaque `nextPageToken`
 * (sent back as `pageToken`). Invalid parameters are `-32602`.
 */
export function listTasks(tasks: readonly SimTask[], params: Params): { result: unknown } | { error: RpcError } {
  const status = readStatusFilter(params.status);
  if (status === "invalid") return { error: a2aError("1.0", INVALID_PARAMS, `Invalid status filter: ${JSON.stringify(params.status)}`) };
  const pageSize = readPageSize(params.pageSize ?? params.page_size);
  if (pageSize === "invalid") return { error: a2aError("1.0", INVALID_PARAMS, "pageSize must be between 1 and 100") };
  const token = params.pageToken ?? params.page_token ?? "";
  if (typeof token !== "string" || (token !== "" && !token.startsWith(TOKEN_PREFIX))) {
    return { error: a2aError("1.0", INVALID_PARAMS, "Invalid page token format.") };
  }
  const contextId = typeof params.contextId === "string" ? params.contextId : "";

  let matching = [...tasks].sort(byRecency);
  if (contextId) matching = matching.filter((task) => task.contextId === contextId);
  if (status !== undefined && status !== 0) matching = matching.filter((task) => toEnumState(task.state) === TASK_STATE_ENUM[status]);
  const totalSize = matching.length;
  if (token) {
    const after = matching.findIndex((task) => task.id === token.slice(TOKEN_PREFIX.length));
    matching = after >= 0 ? matching.slice(after + 1) : [];
  }
  const page = matching.slice(0, pageSize);
  const last = page[page.length - 1];
  const nextPageToken = last && matching.length > page.length ? `${TOKEN_PREFIX}${last.id}` : "";
  return { result: { tasks: page.map((task) => taskJson(task, "1.0")), nextPageToken, pageSize, totalSize } };
}
