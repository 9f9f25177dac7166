"use client";

import { createPlatformClient, type FetchLike, type PlatformClient } from "@/lib/platform/client";

/**
 * Told of each platform request as the app hands it to its transport (right
 * after, with the pending answer; the transport only queues it in that
 * time). The bench (e2e/bench/page-probe.js) sets it before the app loads,
 * to time requests that never reach window.fetch.
 */
type PlatformRequestObserver = (request: { method: string; path: string; body?: string }, answer: Promise<Response>) => void;

export type ProbeWindow = Window & {
  __fleetProbe?: { inFlight(): string[]; eventsReceived(): number };
  __fleetRequestObserver?: PlatformRequestObserver;
};

/**
 * The app's platform client in mock mode, over the mock's in-page transport.
 * Every request carries a probe id, so an e2e test can tell "the mock holds
 * this request on the page clock" from "its answer is still on the way",
 * and step the fake clock only when nothing is in transit (e2e/fixtures.ts
 * reads `window.__fleetProbe`). A request stays in flight until the client
 * call that sent it has settled, body read and parsed.
 */
export function createProbedPlatformClient(transport: FetchLike, probeWindow: ProbeWindow): { client: PlatformClient; noteEventReceived: () => void } {
  const inFlight = new Set<string>();
  let issued = 0;
  let eventsReceived = 0;
  probeWindow.__fleetProbe = { inFlight: () => [...inFlight], eventsReceived: () => eventsReceived };

  const probedFetch: FetchLike = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("x-fleet-probe", String(++issued));
    const answer = transport(input, { ...init, headers });
    const observer = probeWindow.__fleetRequestObserver;
    if (observer) {
      try {
        observer({ method: init?.method ?? "GET", path: input, ...(typeof init?.body === "string" ? { body: init.body } : {}) }, answer);
      } catch {
        // An observer only watches: its failure is not the app's.
      }
    }
    return answer;
  };

  const client = createPlatformClient(probedFetch);
  const track = <T,>(send: () => Promise<T>): Promise<T> => {
    const first = issued + 1;
    const promise = send();
    const ids: string[] = [];
    for (let id = first; id <= issued; id++) ids.push(String(id));
    for (const id of ids) inFlight.add(id);
    return promise.finally(() => {
      for (const id of ids) inFlight.delete(id);
    });
  };
  return {
    client: {
      listWorkspaces: (signal) => track(() => client.listWorkspaces(signal)),
      postA2A: (id, body, signal) => track(() => client.postA2A(id, body, signal)),
      restart: (id, signal) => track(() => client.restart(id, signal)),
      pause: (id, signal) => track(() => client.pause(id, signal)),
      resume: (id, signal) => track(() => client.resume(id, signal)),
    },
    noteEventReceived: () => void (eventsReceived += 1),
  };
}
