/**
 * Whether the platform's event stream can be opened, and a way to cut the
 * open ones (a dropped socket). The SSE handler listens for drops.
 */
export interface EventStreamSwitch {
  isAvailable(): boolean;
  /** Turning it off also drops the open streams: new ones get 503. */
  setAvailable(available: boolean): void;
  drop(): void;
  onDrop(listener: () => void): () => void;
}

export function createEventStreamSwitch(initiallyAvailable: boolean): EventStreamSwitch {
  let available = initiallyAvailable;
  const listeners = new Set<() => void>();
  const drop = () => {
    for (const listener of [...listeners]) listener();
  };
  return {
    isAvailable: () => available,
    setAvailable(next) {
      available = next;
      if (!next) drop();
    },
    drop,
    onDrop(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
