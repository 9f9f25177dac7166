import type { Clock } from "../time/clock";

/**
 * Targets whose phase 1 starts in one task. Starting one costs ~0.05 ms in
 * a production build (bench-1000), so 128 keep a task near 7 ms; 24 (sized
 * when each request cost ~0.6 ms through a service worker) spread 400 cancels
 * over 17 tasks, each also waiting behind answers and renders.
 */
export const PHASE1_START_BATCH = 128;

/**
 * Calls `start` for each of `items` in batches of `batchSize`, one
 * macrotask each (a zero-delay timer on the injected clock): a thousand
 * requests issued in one task would block the page for longer than a frame.
 * The first batch runs now; a later one only while `isStopped()` is false.
 */
export function startInBatches<T>(
  clock: Clock,
  items: readonly T[],
  start: (item: T) => void,
  isStopped: () => boolean,
  batchSize: number = PHASE1_START_BATCH,
): void {
  const size = Math.max(1, Math.floor(batchSize));
  const from = (index: number) => {
    const end = Math.min(index + size, items.length);
    for (let i = index; i < end; i++) start(items[i]!);
    if (end < items.length) clock.setTimeout(() => !isStopped() && from(end), 0);
  };
  from(0);
}
