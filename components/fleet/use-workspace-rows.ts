"use client";

import { useQuery } from "@tanstack/react-query";
import { useFleetStoreApi } from "./FleetStoreProvider";
import { browserPlatformClient } from "./platform-client";

export const workspacesQueryKey = ["workspaces"] as const;

/**
 * How often rows are re-read: fast while a Stop All runs in the page (its
 * drain watch reads this store), steady while the stream is down, slow while
 * it is live. A Stop All the canvas server runs (live mode) watches the
 * drain in the server's own view, which polls fast itself: re-reading
 * thousands of rows here every second would only take CPU from it (on one
 * machine) and the proxy (npm run bench).
 */
export function rowsRefreshMs(options: { live: boolean; operationRunning: boolean; operationInPage: boolean }): number {
  if (options.operationRunning && options.operationInPage) return 1000;
  return options.live ? 30_000 : 3000;
}

/**
 * Fetches `GET /workspaces` and merges the rows into the fleet store. The
 * poll's sequence number is taken before the request is sent, so an event
 * that arrives while it is in flight is not overwritten by its answer.
 */
export function useWorkspaceRows(refetchInterval: number) {
  const store = useFleetStoreApi();
  return useQuery({
    queryKey: workspacesQueryKey,
    queryFn: async ({ signal }) => {
      const pollSeq = store.getState().beginPoll();
      const parsed = await browserPlatformClient.listWorkspaces(signal);
      store.getState().applyRows(parsed.workspaces, parsed.warnings, pollSeq);
      return { count: parsed.workspaces.length, dropped: parsed.warnings.length };
    },
    refetchInterval,
    refetchIntervalInBackground: true,
  });
}
