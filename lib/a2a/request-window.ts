import type { PlatformResponse } from "../platform/client";
import type { Clock } from "../time/clock";
import { whenAborted } from "./when-aborted";

/** When a request must end at the latest, and who else may end it sooner. */
export interface RequestWindow {
  /** Clock time (ms) at which the request is aborted if it has not answered. */
  endsAt: number;
  /** The caller's signal: aborting it aborts the request. */
  signal?: AbortSignal;
}

export interface WindowedResponse {
  response: PlatformResponse;
  /** True when the request was ended by `endsAt` (or never sent because `endsAt` had passed). */
  timedOut: boolean;
  /** False when the request was never handed to the client. */
  sent: boolean;
}

const ABORTED: PlatformResponse = { ok: false, error: "aborted", message: "request aborted" };

/** A client that breaks its "never throws" promise is treated like a network failure. */
function asNetworkError(error: unknown): PlatformResponse {
  return { ok: false, error: "network", message: error instanceof Error ? error.message : String(error) };
}

/**
 * Sends one platform request under its own AbortController and a clock timer,
 * so it ends by `endsAt` whatever the network does. The result does not wait
 * for a client that ignores its abort signal: a hanging request cannot hang
 * the caller.
 *
 * One promise settles it, not an async function racing two: thousands of
 * these are out at once on the canvas server, where every promise pays
 * Node's async hooks (Next's AsyncLocalStorage) and each suspended frame
 * is copied by every scavenge while its request is out.
 */
export function sendWithin(
  clock: Clock,
  window: RequestWindow,
  send: (signal: AbortSignal) => Promise<PlatformResponse>,
): Promise<WindowedResponse> {
  if (window.signal?.aborted) return Promise.resolve({ response: ABORTED, timedOut: false, sent: false });
  const remaining = window.endsAt - clock.now();
  if (remaining <= 0) return Promise.resolve({ response: ABORTED, timedOut: true, sent: false });

  return new Promise<WindowedResponse>((resolve) => {
    const controller = new AbortController();
    let timedOut = false;
    let settled = false;
    const settle = (response: PlatformResponse) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      stopListening?.();
      resolve({ response: controller.signal.aborted ? ABORTED : response, timedOut, sent: true });
    };
    const abort = () => {
      controller.abort();
      settle(ABORTED);
    };
    const timer = clock.setTimeout(() => {
      timedOut = true;
      abort();
    }, remaining);
    const stopListening = window.signal ? whenAborted(window.signal, abort) : undefined;
    let answered: Promise<PlatformResponse>;
    try {
      answered = send(controller.signal);
    } catch (error) {
      answered = Promise.reject(error);
    }
    answered.then(settle, (error: unknown) => settle(asNetworkError(error)));
  });
}
