import { parsePlatformEvent, type PlatformEvent } from "../platform/events";
import type { Clock, TimerHandle } from "../time/clock";

/** The part of the browser's EventSource this module uses. */
export interface EventSourceLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

export type StreamState = "connecting" | "open" | "down";

export interface LiveEventsOptions {
  url: string;
  createEventSource: (url: string) => EventSourceLike;
  clock: Clock;
  onEvent: (event: PlatformEvent) => void;
  /** Called for every message, parsed or not (the mock-mode test probe counts them). */
  onMessage?: () => void;
  onState: (state: StreamState) => void;
  /** First reconnect delay; doubles per failure up to `maxRetryMs`. */
  initialRetryMs?: number;
  maxRetryMs?: number;
}

/**
 * Keeps a Server-Sent Events connection to the platform's event stream.
 * On any error the connection is closed and reopened with exponential
 * backoff on the injected clock (the browser's own retry is opaque and
 * gives up on a non-200 answer). Malformed messages are skipped.
 */
export function connectLiveEvents(options: LiveEventsOptions): { close(): void } {
  const initial = options.initialRetryMs ?? 1000;
  const max = options.maxRetryMs ?? 30_000;
  let delay = initial;
  let source: EventSourceLike | undefined;
  let retryTimer: TimerHandle | undefined;
  let closed = false;

  const open = () => {
    retryTimer = undefined;
    if (closed) return;
    options.onState("connecting");
    const current = options.createEventSource(options.url);
    source = current;
    current.onopen = () => {
      if (source !== current) return;
      delay = initial;
      options.onState("open");
    };
    current.onmessage = (message) => {
      if (source !== current) return;
      options.onMessage?.();
      const event = parsePlatformEvent(message.data);
      if (event) options.onEvent(event);
    };
    current.onerror = () => {
      if (source !== current || closed) return;
      current.close();
      source = undefined;
      options.onState("down");
      retryTimer = options.clock.setTimeout(open, delay);
      delay = Math.min(max, delay * 2);
    };
  };

  open();
  return {
    close() {
      closed = true;
      if (retryTimer) options.clock.clearTimeout(retryTimer);
      source?.close();
      source = undefined;
    },
  };
}
