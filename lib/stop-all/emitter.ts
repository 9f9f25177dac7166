/** Listeners of immutable snapshots: each is told about the newest snapshot once. */
export interface SnapshotEmitter<T> {
  add(listener: (snapshot: T) => void): () => void;
  /** Tells every listener about `current()`. A throwing listener is reported, not allowed to stop the others. */
  emit(current: () => T): void;
  clear(): void;
}

/** Calls `listener`; an error it throws is reported (rethrown in a microtask), not passed to the caller. */
function callReporting<A extends unknown[]>(listener: (...args: A) => void, args: A): void {
  try {
    listener(...args);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

export function createSnapshotEmitter<T>(): SnapshotEmitter<T> {
  const listeners = new Set<(snapshot: T) => void>();
  return {
    add(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit(current) {
      const snapshot = current();
      for (const listener of [...listeners]) {
        // A listener that caused a newer snapshot has already had everyone told about it.
        if (current() !== snapshot) return;
        callReporting(listener, [snapshot]);
      }
    },
    clear: () => listeners.clear(),
  };
}

/** Listeners of every emitted value, in order, none skipped. A throwing listener is reported, not allowed to stop the others. */
export function createEventEmitter<A extends unknown[]>() {
  const listeners = new Set<(...args: A) => void>();
  return {
    add(listener: (...args: A) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit(...args: A): void {
      for (const listener of [...listeners]) callReporting(listener, args);
    },
    clear: () => listeners.clear(),
  };
}
