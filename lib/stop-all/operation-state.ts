import { createEventEmitter, createSnapshotEmitter } from "./emitter";
import { applyEvent } from "./transitions";
import type { StopAllEvent, StopAllState } from "./types";

/** The state of one operation and who hears of its changes. */
export interface OperationState {
  get(): StopAllState;
  /**
   * Runs `event` through `applyEvent`. When it changed the state: calls
   * `afterChange`, then every event listener (none skipped), then the
   * snapshot listeners. True when it changed the state; always false once disposed.
   */
  dispatch(event: StopAllEvent): boolean;
  subscribe(listener: (state: StopAllState) => void): () => void;
  onEvent(listener: (event: StopAllEvent, state: StopAllState) => void): () => void;
  /** Changes nothing and calls no one from now on; the last snapshot stays readable. */
  dispose(): void;
  isDisposed(): boolean;
}

/** Holds the snapshots of one operation, from `initial`, and its listeners. */
export function createOperationState(initial: StopAllState, afterChange: (event: StopAllEvent) => void): OperationState {
  let state = initial;
  let disposed = false;
  const listeners = createSnapshotEmitter<StopAllState>();
  const eventListeners = createEventEmitter<[StopAllEvent, StopAllState]>();
  return {
    get: () => state,
    dispatch(event) {
      if (disposed) return false;
      const next = applyEvent(state, event);
      if (next === state) return false;
      state = next;
      afterChange(event);
      eventListeners.emit(event, state);
      listeners.emit(() => state);
      return true;
    },
    subscribe: (listener) => (disposed ? () => {} : listeners.add(listener)),
    onEvent: (listener) => (disposed ? () => {} : eventListeners.add(listener)),
    dispose() {
      disposed = true;
      listeners.clear();
      eventListeners.clear();
    },
    isDisposed: () => disposed,
  };
}
