import { createStore, type StoreApi } from "zustand/vanilla";
import type { PlatformEvent } from "../platform/events";
import type { RowWarning } from "../platform/parse-rows";
import type { Workspace } from "../platform/workspace";
import { applyEvent, applyRows, emptyFleetData, type FleetData } from "./merge";
import type { FleetView } from "./view";

/** State of the live event stream, shown in the toolbar. */
export type LiveConnection = "connecting" | "live" | "polling";

/**
 * The store's state. Select single values (one workspace, a count, `ids`):
 * see FleetData for why the `workspaces` record itself is not a snapshot.
 */
export interface FleetState extends FleetData {
  /** Warnings for rows dropped from the last applied poll. */
  warnings: RowWarning[];
  /** Whether rows have been applied at least once. */
  loaded: boolean;
  connection: LiveConnection;
  /** What the last change touched: one workspace's id for a live event, undefined for a poll (any may have changed). */
  lastChanged: readonly string[] | undefined;
}

export interface FleetActions {
  /** Call when a poll request is sent; pass the result to `applyRows`. */
  beginPoll(): number;
  applyRows(rows: Workspace[], warnings: RowWarning[], pollSeq: number): void;
  applyEvent(event: PlatformEvent): void;
  setConnection(connection: LiveConnection): void;
}

export type FleetStore = StoreApi<FleetState & FleetActions>;

const NOTHING: readonly string[] = Object.freeze([]);

/**
 * One store per app instance (and per test): live per-workspace state.
 * Listeners hear of a change only when something changed: an event that
 * repeats what the store knows (most heartbeats) notifies nobody, so
 * thousands of per-node selectors are not re-run for it.
 */
export function createFleetStore(): FleetStore {
  // The sequence counter shared by event arrivals and poll starts (see merge.ts); not state: nothing renders it.
  let seq = 0;
  return createStore<FleetState & FleetActions>()((set, get) => ({
    ...emptyFleetData(),
    warnings: [],
    loaded: false,
    connection: "connecting",
    lastChanged: undefined,
    beginPoll() {
      return seq++;
    },
    applyRows(rows, warnings, pollSeq) {
      const state = get();
      const dropped = new Set(warnings.flatMap((warning) => (warning.id === undefined ? [] : [warning.id])));
      const data = applyRows(state, rows, pollSeq, dropped);
      if (data === state && state.warnings.length === 0 && warnings.length === 0) return;
      set({ ...data, warnings, loaded: true, lastChanged: undefined });
    },
    applyEvent(event) {
      const state = get();
      const data = applyEvent(state, event, seq++);
      if (data !== state) set({ ...data, lastChanged: [event.workspaceId] });
    },
    setConnection(connection) {
      if (get().connection !== connection) set({ connection, lastChanged: NOTHING });
    },
  }));
}

/** The read-only view Stop All watches. */
export function fleetViewOf(store: FleetStore): FleetView {
  return {
    // A workspace is immutable, and has what a snapshot needs: no copy per look.
    get: (id) => store.getState().workspaces[id],
    knownTaskIds: (id) => store.getState().taskIds.get(id) ?? [],
    subscribe: (listener) => store.subscribe((state) => listener(state.lastChanged)),
  };
}
