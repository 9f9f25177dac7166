import "server-only";
import { createFleetStore, fleetViewOf } from "../../fleet/store";
import type { FleetView } from "../../fleet/view";
import type { PlatformClient } from "../../platform/client";
import { parsePlatformEvent } from "../../platform/events";
import type { Workspace } from "../../platform/workspace";
import type { Clock, TimerHandle } from "../../time/clock";

/** The platform's live events as the server receives them (the shared upstream `/ws`). */
export interface LiveEventSource {
  subscribe(listener: { onMessage(text: string): void; onState(state: string): void }): () => void;
}

/** While an operation runs, rows are re-read this often (the store must not wait on a slow event). */
export const FAST_POLL_MS = 1000;

/**
 * The server's own view of the fleet, for the Stop All it runs: the same
 * store as the browser's (lib/fleet), fed by the one upstream event socket
 * the server shares with every browser stream, and by `GET /workspaces`
 * polls: once each time that socket opens (events sent while it was closed
 * are lost), on demand (before a start re-checks its targets, unless the
 * view is `current()`) and about once a second while anybody holds
 * `pollFast()`.
 */
export interface ServerFleet {
  readonly view: FleetView;
  /** Rows as the server knows them now, in the platform's order. */
  workspaces(): Workspace[];
  loaded(): boolean;
  /**
   * True while the event socket is open and the rows were read since it
   * opened: the store then holds what the platform shows, kept up by its
   * events, and a start need not read 2 MB of rows (at 5,000 workspaces)
   * before its first listing.
   */
  current(): boolean;
  /** Reads the rows now (one poll at a time; concurrent callers share it). Rejects when the platform cannot be read. */
  refresh(): Promise<void>;
  /** Polls every FAST_POLL_MS until the returned release is called (counted: several holders share one poll loop). */
  pollFast(): () => void;
  close(): void;
}

export function createServerFleet(deps: { client: PlatformClient; events?: LiveEventSource; clock: Clock }): ServerFleet {
  const store = createFleetStore();
  // Each opening of the event socket is a new epoch; the view is current once rows of this epoch were read.
  const socketOpen = () => store.getState().connection === "live";
  let openings = 0;
  let readInOpening = -1;
  let polling: Promise<void> | undefined;
  let holders = 0;
  let timer: TimerHandle | undefined;

  function refresh(): Promise<void> {
    polling ??= (async () => {
      try {
        const opening = openings;
        const seq = store.getState().beginPoll();
        const rows = await deps.client.listWorkspaces();
        store.getState().applyRows(rows.workspaces, rows.warnings, seq);
        if (socketOpen() && opening === openings) readInOpening = opening;
      } finally {
        polling = undefined;
      }
    })();
    return polling;
  }

  const unsubscribe = deps.events?.subscribe({
    onMessage(text) {
      const event = parsePlatformEvent(text);
      if (event) store.getState().applyEvent(event);
    },
    onState(state) {
      const opened = state === "open";
      const wasOpen = socketOpen();
      store.getState().setConnection(opened ? "live" : "polling");
      if (!opened || wasOpen) return;
      openings += 1;
      // What changed while the socket was closed reached no event: read it (a poll under way may predate the opening).
      void (polling ?? Promise.resolve())
        .catch(() => {})
        .then(() => refresh())
        .catch(() => {});
    },
  });

  function schedule(): void {
    if (holders === 0 || timer !== undefined) return;
    timer = deps.clock.setTimeout(() => {
      timer = undefined;
      // A failed poll is retried on the next tick; the drain watch keeps what it saw.
      void refresh()
        .catch(() => {})
        .finally(schedule);
    }, FAST_POLL_MS);
  }

  return {
    view: fleetViewOf(store),
    workspaces: () => {
      const { ids, workspaces } = store.getState();
      return ids.flatMap((id) => workspaces[id] ?? []);
    },
    loaded: () => store.getState().loaded,
    current: () => socketOpen() && readInOpening === openings && store.getState().loaded,
    refresh,
    pollFast() {
      holders += 1;
      schedule();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holders -= 1;
        if (holders === 0 && timer !== undefined) {
          deps.clock.clearTimeout(timer);
          timer = undefined;
        }
      };
    },
    close() {
      unsubscribe?.();
      if (timer !== undefined) deps.clock.clearTimeout(timer);
      timer = undefined;
      holders = 0;
    },
  };
}
