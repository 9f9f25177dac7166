import type { Clock, TimerHandle } from "../time/clock";
import type { RemoteOperation } from "./remote-operation";
import { parseJournaledEvent, parseOperationView, type OperationView } from "./wire";

/** The part of the browser's EventSource the host uses (injected: tests use a fake). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data: string }) => void): void;
  close(): void;
  readonly readyState: number;
  onerror: ((event: unknown) => void) | null;
}

const CLOSED = 2;
/** Before a stream the browser gave up on (a non-200, a dropped server) is opened again. */
export const REOPEN_MS = 2000;

export interface OperationStream {
  close(): void;
}

/**
 * Watches one operation's event stream. A reconnect (the browser's own, or
 * ours after it gives up) asks for the events after the last one folded
 * in (`?after=`, and EventSource's Last-Event-ID), so none is lost; the
 * server answers with a snapshot when it no longer has them. An event that
 * does not follow the last one, or one that cannot be read, re-opens the
 * stream from the last good seq.
 */
export function openOperationStream(deps: {
  url: string;
  operation: RemoteOperation;
  onView(view: OperationView): void;
  /** The progress line's journal problem (undefined once it is gone). */
  onJournalProblem?(problem: string | undefined): void;
  createEventSource(url: string): EventSourceLike;
  clock: Clock;
}): OperationStream {
  let source: EventSourceLike | undefined;
  let timer: TimerHandle | undefined;
  let closed = false;

  const reopen = (delayMs: number) => {
    source?.close();
    source = undefined;
    if (closed || timer !== undefined) return;
    timer = deps.clock.setTimeout(() => {
      timer = undefined;
      open();
    }, delayMs);
  };

  function open(): void {
    if (closed) return;
    const next = deps.createEventSource(`${deps.url}?after=${deps.operation.seq()}`);
    source = next;
    next.addEventListener("snapshot", (event) => {
      try {
        deps.onView(parseOperationView(JSON.parse(event.data)));
      } catch {
        reopen(REOPEN_MS);
      }
    });
    next.addEventListener("progress", (event) => {
      try {
        const { journalProblem } = JSON.parse(event.data) as { journalProblem?: unknown };
        deps.onJournalProblem?.(typeof journalProblem === "string" ? journalProblem : undefined);
      } catch {
        // a progress line is advice only
      }
    });
    next.addEventListener("op", (event) => {
      let fit: string;
      try {
        fit = deps.operation.receive(parseJournaledEvent(JSON.parse(event.data)));
      } catch {
        fit = "gap";
      }
      if (fit === "gap") reopen(0);
    });
    next.onerror = () => {
      if (next.readyState === CLOSED && source === next) reopen(REOPEN_MS);
    };
  }

  open();
  return {
    close() {
      closed = true;
      if (timer !== undefined) deps.clock.clearTimeout(timer);
      source?.close();
    },
  };
}
