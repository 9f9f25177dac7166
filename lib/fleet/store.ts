import { createStore, type StoreApi } from "zustand/vanilla";
import type { PlatformEvent } from "../platform/events";
import type { RowWarning } from "../platform/parse-rows";
import type { Workspace } from "../platform/workspace";
import { applyEvent, applyRows, emptyFleetData, type FleetData } from "./merge";
import type { FleetView } from "./view";

/** State of the live event stream, shown in the toolbar. */
export type LiveConnection = "connecting" | "live" | "polling";

export interface FleetState extends FleetData {
  /** Warnings for rows dropped from the last applied poll. */
  warnings: RowWarning[];
  /** Whether rows have been applied at least once. */
  loaded: boolean;
  connection: LiveConnection;
  /** Next sequence number (see merge.ts). */
  seq: number;
}

export interface FleetActions {
  /** Call when a poll request is sent; pass the result to `applyRows`. */
  beginPoll(): number;
  applyRows(rows: Workspace[], warnings: RowWarning[], pollSeq: number): void;
  applyEvent(event: PlatformEvent): void;
  setConnection(connection: LiveConnection): void;
}

export type FleetStore = StoreApi<FleetState & FleetActions>;

/** One store per app instance (and per test): live per-workspace state. */
export function createFleetStore(): FleetStore {
  return createStore<FleetState & FleetActions>()((set, get) => ({
    ...emptyFleetData(),
    warnings: [],
    loaded: false,
    connection: "connecting",
    seq: 0,
    beginPoll() {
      const seq = get().seq;
      set({ seq: seq + 1 });
      return seq;
    },
    applyRows(rows, warnings, pollSeq) {
      const state = get();
      const data = applyRows(state, rows, pollSeq);
      if (data === state) return;
      set({ ...data, warnings, loaded: true });
    },
    applyEvent(event) {
      const state = get();
      const data = applyEvent(state, event, state.seq);
      set(data === state ? { seq: state.seq + 1 } : { ...data, seq: state.seq + 1 });
    },
    setConnection(connection) {
      if (get().connection !== connection) set({ connection });
    },
  }));
}

/** The read-only view Stop All watches. */
export function fleetViewOf(store: FleetStore): FleetView {
  return {
    get(id) {
      const ws = store.getState().workspaces[id];
      return ws ? { activeTasks: ws.activeTasks, status: ws.status } : undefined;
    },
    knownTaskIds: (id) => store.getState().taskIds[id] ?? [],
    subscribe: (listener) => store.subscribe(() => listener()),
  };
}
