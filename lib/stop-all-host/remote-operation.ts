import { createEventEmitter, createSnapshotEmitter } from "../stop-all/emitter";
import type { StopAllOperation } from "../stop-all/orchestrator";
import { applyEvent } from "../stop-all/transitions";
import type { StopAllEvent, StopAllState } from "../stop-all/types";
import type { JournaledEvent, OperationActionKind, OperationInfo, OperationView } from "./wire";

/** What became of an event the stream delivered. */
export type EventFit = "applied" | "duplicate" | "gap";

/**
 * A server-owned operation as one page sees it: the server's view, then
 * each event folded onto it with the core's own reducer (so the state is
 * exactly the server's after the same events). Actions go back to the
 * server through `act`; nothing runs here, so `checkDeadline` has nothing
 * to do.
 */
export interface RemoteOperation extends StopAllOperation {
  readonly id: string;
  info(): OperationInfo;
  seq(): number;
  /** Replaces the state with a whole view (a stream's snapshot, a poll). */
  /**
   * Replaces the state with a whole view. `authoritative`: the stream's own
   * snapshot (what the server shows now, even behind what was folded in:
   * after a takeover, events of a replica that lost the lease are not the
   * operation's); otherwise (an action's answer) an older view changes who
   * and why only.
   */
  reset(view: OperationView, authoritative?: boolean): void;
  /** Folds one event in; `gap` when events before it are missing (the caller re-syncs). */
  receive(event: JournaledEvent): EventFit;
}

export function createRemoteOperation(view: OperationView, act: (action: OperationActionKind, workspaceId?: string) => void): RemoteOperation {
  let info: OperationInfo = view;
  let state: StopAllState = view.state;
  let seq = view.seq;
  let disposed = false;
  const snapshots = createSnapshotEmitter<StopAllState>();
  const events = createEventEmitter<[StopAllEvent, StopAllState]>();

  return {
    id: view.id,
    info: () => info,
    seq: () => seq,
    getState: () => state,
    subscribe: (listener) => (disposed ? () => {} : snapshots.add(listener)),
    onEvent: (listener) => (disposed ? () => {} : events.add(listener)),
    reset(next, authoritative = false) {
      if (disposed || next.id !== view.id) return;
      info = next;
      // A view older than what the stream already folded in (an action's answer that crossed its events) updates who and why only.
      if (next.seq < seq && !authoritative) return snapshots.emit(() => state);
      seq = next.seq;
      state = next.state;
      snapshots.emit(() => state);
    },
    receive({ seq: at, event }) {
      if (at <= seq) return "duplicate";
      if (at > seq + 1) return "gap";
      seq = at;
      const next = applyEvent(state, event);
      if (next === state || disposed) return "applied";
      state = next;
      events.emit(event, state);
      snapshots.emit(() => state);
      return "applied";
    },
    restartNow: (workspaceId) => act("restart-now", workspaceId),
    resumeHeld: () => act("resume-held"),
    keep: (workspaceId) => act("keep", workspaceId),
    retryRestart: (workspaceId) => act("retry", workspaceId),
    checkDeadline: () => {},
    dispose() {
      disposed = true;
      snapshots.clear();
      events.clear();
    },
    isDisposed: () => disposed,
  };
}
