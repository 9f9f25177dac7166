import type { Clock, TimerHandle } from "../../time/clock";

interface Job {
  due: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

/** A job handle: call it to cancel the job if it has not run yet. */
export type CancelJob = () => void;

export interface Scheduler {
  /** Runs `run` after `ms` milliseconds of clock time. */
  after(ms: number, run: () => void): CancelJob;
  /** Drops every pending job (used by reset and dispose). */
  clear(): void;
  /** Jobs waiting to run. */
  pending(): number;
}

// The timer queue is a binary min-heap of jobs in an array: the earliest job
// (ties: the first scheduled) is at index 0.

function earlier(a: Job, b: Job): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

function pushJob(heap: Job[], job: Job): void {
  heap.push(job);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!earlier(heap[i]!, heap[parent]!)) break;
    swap(heap, i, parent);
    i = parent;
  }
}

/** Takes the earliest job off the heap. */
function popJob(heap: Job[]): Job | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0 && last) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < heap.length && earlier(heap[l]!, heap[best]!)) best = l;
      if (r < heap.length && earlier(heap[r]!, heap[best]!)) best = r;
      if (best === i) break;
      swap(heap, i, best);
      i = best;
    }
  }
  return top;
}

function swap(heap: Job[], i: number, j: number): void {
  const t = heap[i]!;
  heap[i] = heap[j]!;
  heap[j] = t;
}

/**
 * Many simulated timers on top of ONE clock timer: jobs sit in a binary
 * heap and only the earliest is armed on the clock. A 1,000-workspace
 * fleet with a heartbeat each costs O(log n) per job, not a thousand
 * live timers, and jobs due at the same time run in the order they were
 * scheduled, so runs are deterministic.
 */
export function createScheduler(clock: Clock): Scheduler {
  const heap: Job[] = [];
  let seq = 0;
  let armed: { handle: TimerHandle; due: number } | undefined;
  let firing = false;

  const arm = () => {
    if (firing) return;
    while (heap.length > 0 && heap[0]!.cancelled) popJob(heap);
    const next = heap[0];
    if (armed && (!next || armed.due !== next.due)) {
      clock.clearTimeout(armed.handle);
      armed = undefined;
    }
    if (next && !armed) {
      armed = { handle: clock.setTimeout(fire, Math.max(0, next.due - clock.now())), due: next.due };
    }
  };

  function fire() {
    armed = undefined;
    const now = clock.now();
    firing = true;
    try {
      while (heap.length > 0 && heap[0]!.due <= now) {
        const job = popJob(heap)!;
        if (!job.cancelled) job.run();
      }
    } finally {
      firing = false;
      arm();
    }
  }

  return {
    after(ms, run) {
      const job: Job = { due: clock.now() + Math.max(0, ms), seq: seq++, run, cancelled: false };
      pushJob(heap, job);
      arm();
      return () => {
        job.cancelled = true;
      };
    },
    clear() {
      for (const job of heap) job.cancelled = true;
      heap.length = 0;
      if (armed) clock.clearTimeout(armed.handle);
      armed = undefined;
    },
    pending: () => heap.filter((job) => !job.cancelled).length,
  };
}
