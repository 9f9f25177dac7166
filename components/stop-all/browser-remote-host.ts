"use client";

import type { EventSourceLike } from "@/lib/stop-all-host/operation-stream-client";
import { createRemoteHost } from "@/lib/stop-all-host/remote-host";
import { systemClock } from "@/lib/time/clock";
import { openStreamSource } from "../fleet/stream-source";

/**
 * Live mode's Stop All host, wired to the browser: same-origin fetch and
 * EventSource to /api/stop-all. The server keeps the deadline, so leaving
 * the page loses nothing: no leave warning, nothing to save or check here.
 */
export function createBrowserRemoteHost() {
  const host = createRemoteHost({
    fetch: (input, init) => fetch(input, init),
    // Named events carry MessageEvents, whose `data` is what the host reads.
    createEventSource: (url): EventSourceLike => openStreamSource(url),
    clock: systemClock,
  });
  return { ...host, isRunning: () => false, checkDeadline: () => {}, flush: () => {} };
}
