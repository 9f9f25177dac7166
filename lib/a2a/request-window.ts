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
 */
export async function sendWithin(
  clock: Clock,
  window: RequestWindow,
  send: (signal: AbortSignal) => Promise<PlatformResponse>,
): Promise<WindowedResponse> {
  if (window.signal?.aborted) return { response: ABORTED, timedOut: false, sent: false };
  const remaining = window.endsAt - clock.now();
  if (remaining <= 0) return { response: ABORTED, timedOut: true, sent: false };

  const controller = new AbortController();
  let timedOut = false;
  let settleAbort: () => void = () => {};
  const abortedEarly = new Promise<PlatformResponse>((resolve) => {
    settleAbort = () => resolve(ABORTED);
  });
  const abort = () => {
    controller.abort();
    settleAbort();
  };
  const timer = clock.setTimeout(() => {
    timedOut = true;
    abort();
  }, remaining);
  const stopListening = window.signal ? whenAborted(window.signal, abort) : undefined;
  try {
    let answered: Promise<PlatformResponse>;
    try {
      answered = send(controller.signal).catch(asNetworkError);
    } catch (error) {
      answered = Promise.resolve(asNetworkError(error));
    }
    const response = await Promise.race([answered, abortedEarly]);
    return { response: controller.signal.aborted ? ABORTED : response, timedOut, sent: true };
  } finally {
    clock.clearTimeout(timer);
    stopListening?.();
  }
}
