import type { ServerResponse } from "node:http";

/**
 * The caller of one platform request, as the agent it is delivered to
 * watches it: gone once its connection closes before the answer was
 * written. Not an AbortSignal: an AbortController per call, and the
 * EventTarget listeners on it, cost this platform 60-170 ms of CPU from
 * the click to the last cancel at 5,000 workspaces (npm run bench, live
 * rows), on the two cores the canvas server shares with it. The SDK agent,
 * which delivers with fetch, asks for a signal; the light agents do not.
 */
export interface Caller {
  readonly gone: boolean;
  /** Calls `listener` once, when the caller goes away; the returned function stops that. */
  onGone(listener: () => void): () => void;
  /** A signal that aborts when the caller goes away (made on first use). */
  signal(): AbortSignal;
}

/** The caller behind `res`: gone when `res` closes unfinished. */
export function callerOf(res: ServerResponse): Caller {
  let gone = false;
  let listeners: Set<() => void> | undefined;
  let controller: AbortController | undefined;
  res.once("close", () => {
    if (res.writableFinished) return;
    gone = true;
    controller?.abort();
    for (const listener of [...(listeners ?? [])]) listener();
    listeners = undefined;
  });
  return {
    get gone() {
      return gone;
    },
    onGone(listener) {
      if (gone) return () => {};
      (listeners ??= new Set()).add(listener);
      return () => void listeners?.delete(listener);
    },
    signal() {
      controller ??= new AbortController();
      if (gone) controller.abort();
      return controller.signal;
    },
  };
}
