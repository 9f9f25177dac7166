import type { ServerTimers } from "./timers";

/**
 * How long Server-Sent Events frames gather before they leave as one
 * chunk. During a Stop All at 5,000 workspaces the platform's socket hands
 * the server ~2,500 messages a second and the operation emits thousands of
 * events; sent a turn at a time they were hundreds of writes a second per
 * browser (~50 ms of the server's main thread from the click to the last
 * cancel, in writev alone), and as many network reads, parser tasks and
 * renders in the page. A browser cannot show changes faster than it
 * paints, and the panel redraws every 100 ms: 50 ms late costs it nothing.
 */
export const FRAME_BATCH_MS = 50;

export interface FrameBatch {
  /** Queues a frame; the first one after a send starts the FRAME_BATCH_MS wait. */
  push(text: string): void;
  /** Sends what is queued now, as one chunk (nothing when nothing is). */
  flush(): void;
  /** Drops what is queued and the wait: the stream is over. */
  cancel(): void;
}

/** Frames gathered for up to FRAME_BATCH_MS, then handed to `send` joined, in order. */
export function createFrameBatch(deps: { send(text: string): void; timers: ServerTimers }): FrameBatch {
  const { timers } = deps;
  let pending: string[] = [];
  let timer: ReturnType<ServerTimers["setTimeout"]> | undefined;
  const stopTimer = () => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  };
  const flush = () => {
    stopTimer();
    if (pending.length === 0) return;
    const text = pending.length === 1 ? pending[0]! : pending.join("");
    pending = [];
    deps.send(text);
  };
  return {
    push(text) {
      pending.push(text);
      timer ??= timers.setTimeout(flush, FRAME_BATCH_MS);
    },
    flush,
    cancel() {
      stopTimer();
      pending = [];
    },
  };
}
