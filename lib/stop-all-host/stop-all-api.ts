import type { FetchLike } from "../platform/client";
import { readAnswer, type HostAnswer } from "./remote-answer";
import type { StopMode } from "../stop-all/types";
import type { OperationActionKind } from "./wire";

export const STOP_ALL_API = "/api/stop-all";

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });

/** Where one operation's event stream is. */
export const operationEventsUrl = (id: string) => `${STOP_ALL_API}/${encodeURIComponent(id)}/events`;

/** The canvas server's /api/stop-all calls, uncached, each read as a HostAnswer (never throws). */
export function createStopAllApi(fetch: FetchLike) {
  const request = (path: string, init?: RequestInit) => readAnswer(fetch(path, { cache: "no-store", ...init }));
  return {
    /** POST /api/stop-all: starts on `targets` (201), or answers the running operation (409). */
    start: (targets: readonly string[], reason: string | undefined, mode: StopMode = "stop"): Promise<HostAnswer> =>
      request(STOP_ALL_API, json({ targets, ...(reason ? { reason } : {}), ...(mode === "hold" ? { mode } : {}) })),
    /** POST …/:id/actions. */
    act: (id: string, action: OperationActionKind, workspaceId?: string): Promise<HostAnswer> =>
      request(`${STOP_ALL_API}/${encodeURIComponent(id)}/actions`, json({ action, ...(workspaceId === undefined ? {} : { workspaceId }) })),
    /** GET …/current: the running operation, else the latest. */
    current: (): Promise<HostAnswer> => request(`${STOP_ALL_API}/current`),
    /** GET /api/stop-all: the recent operations. */
    history: (): Promise<HostAnswer> => request(STOP_ALL_API),
    /** GET …/:id. */
    view: (id: string): Promise<HostAnswer> => request(`${STOP_ALL_API}/${encodeURIComponent(id)}`),
  };
}

export type StopAllApi = ReturnType<typeof createStopAllApi>;
