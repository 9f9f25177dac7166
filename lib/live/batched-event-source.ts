/**
 * Event streams delivered a task at a time. The browser calls an
 * EventSource's listener once per message, and runs microtasks after each
 * call, so every message of a chunk (the server sends a batch of answers'
 * events as one chunk) made React render the page again: at 5,000
 * workspaces about half the page's main thread during a Stop All. Wrapped,
 * the messages that arrive in one task are handed over together in the
 * next, in order, and the stores they change render once.
 */

/** Runs `flush` in a task of its own after the current one (createLaterTasks, lib/time/later-task.ts). */
export type TaskScheduler = (flush: () => void) => void;

/** What both stream clients use of the browser's EventSource. */
export interface StreamSource {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: unknown) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
  readonly readyState: number;
}

function callReporting(call: () => void): void {
  try {
    call();
  } catch (error) {
    // As an EventSource listener's error would be: reported, the next events still delivered.
    queueMicrotask(() => {
      throw error;
    });
  }
}

/**
 * `source` with its opens, errors and messages (named or not) queued as
 * they arrive and delivered together, in arrival order, in a task of
 * `schedule`. Nothing is delivered after `close()`. `readyState` is the
 * source's own when a listener reads it.
 */
export function batchedEventSource(source: StreamSource, schedule: TaskScheduler): StreamSource {
  let queue: Array<() => void> = [];
  let closed = false;
  const flush = () => {
    const calls = queue;
    queue = [];
    for (const call of calls) {
      if (closed) return;
      callReporting(call);
    }
  };
  const enqueue = (call: () => void) => {
    if (closed) return;
    queue.push(call);
    if (queue.length === 1) schedule(flush);
  };
  const batched: StreamSource = {
    onopen: null,
    onmessage: null,
    onerror: null,
    get readyState() {
      return source.readyState;
    },
    addEventListener(type, listener) {
      source.addEventListener(type, (event) => enqueue(() => listener(event)));
    },
    close() {
      closed = true;
      queue = [];
      source.close();
    },
  };
  source.onopen = (event) => enqueue(() => batched.onopen?.(event));
  source.onmessage = (event) => enqueue(() => batched.onmessage?.(event));
  source.onerror = (event) => enqueue(() => batched.onerror?.(event));
  return batched;
}
