/** Listeners of immutable snapshots: each is told about the newest snapshot once. */
export interface SnapshotEmitter<T> {
  add(listener: (snapshot: T) => void): () => void;
  /** Tells every listener about `current()`. A throwing listener is reported, not allowed to stop the others. */
  emit(current: () => T): void;
  clear(): void;
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
        try {
          listener(snapshot);
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    },
    clear: () => listeners.clear(),
  };
}
