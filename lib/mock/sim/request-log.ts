import type { RpcId } from "./json-rpc";

/** One request the app made to the mock platform. */
export interface RequestLogEntry {
  /** Clock ms when the request arrived. */
  at: number;
  method: string;
  /** Path only, e.g. `/api/platform/workspaces/ws-1/a2a`. */
  path: string;
  workspaceId?: string;
  /** JSON-RPC method of an A2A request. */
  rpcMethod?: string;
  rpcParams?: unknown;
  rpcId?: RpcId;
  /** HTTP status answered; null while unanswered, and for good when the answer never came (hang, abort). */
  status: number | null;
}

export interface RequestLog {
  /** Appends an entry (status null) and returns a function that records its status once answered. */
  open(entry: Omit<RequestLogEntry, "status">): (status: number) => void;
  /** Copies of every entry, oldest first. */
  entries(): RequestLogEntry[];
  clear(): void;
}

/** Every request, in arrival order: what e2e tests assert on ("no request to a non-target"). */
export function createRequestLog(): RequestLog {
  let log: RequestLogEntry[] = [];
  return {
    open(fields) {
      const entry: RequestLogEntry = { ...fields, status: null };
      log.push(entry);
      return (status) => {
        entry.status = status;
      };
    },
    entries: () => log.map((entry) => ({ ...entry })),
    clear() {
      log = [];
    },
  };
}
