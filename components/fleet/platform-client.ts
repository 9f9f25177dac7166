"use client";

import { createPlatformClient, type FetchLike, type PlatformClient } from "@/lib/platform/client";

/**
 * Mock mode only: told of each platform request as the app hands it to its
 * transport (right after, with the pending answer; the transport only
 * queues it in that time). The bench (e2e/bench/page-probe.mjs) sets it
 * before the app loads, to time requests that never reach window.fetch.
 */
type PlatformRequestObserver = (request: { method: string; path: string; body?: string }, answer: Promise<Response>) => void;

type ProbeWindow = Window & {
  __fleetProbe?: { inFlight(): string[]; eventsReceived(): number };
  __fleetRequestObserver?: PlatformRequestObserver;
};

const inFlight = new Set<string>();
let issued = 0;
let eventsReceived = 0;
let mockTransport: FetchLike = (input, init) => fetch(input, init);

/**
 * Mock mode: the mock platform's in-page transport (lib/mock/browser.ts's
 * `inPagePlatformFetch`), installed by components/mock/mock-platform.ts once
 * the mock is ready, before the app's first request. This module never
 * imports lib/mock itself, so live builds carry none of it.
 */
export function setMockPlatformTransport(transport: FetchLike): void {
  mockTransport = transport;
}

/**
 * Mock mode only: every platform request carries a probe id, so an e2e test
 * can tell "the mock holds this request on the page clock" from "its answer
 * is still on the way", and step the fake clock only when nothing is in
 * transit (see e2e/fixtures.ts). Live builds drop this.
 */
const probedFetch: FetchLike = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set("x-fleet-probe", String(++issued));
  const answer = mockTransport(input, { ...init, headers });
  const observer = (window as ProbeWindow).__fleetRequestObserver;
  if (observer) {
    try {
      observer({ method: init?.method ?? "GET", path: input, ...(typeof init?.body === "string" ? { body: init.body } : {}) }, answer);
    } catch {
      // An observer only watches: its failure is not the app's.
    }
  }
  return answer;
};

function tracked(client: PlatformClient): PlatformClient {
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
    listWorkspaces: (signal) => track(() => client.listWorkspaces(signal)),
    postA2A: (id, body, signal) => track(() => client.postA2A(id, body, signal)),
    restart: (id, signal) => track(() => client.restart(id, signal)),
  };
}

function createBrowserPlatformClient(): PlatformClient {
  if (process.env.NEXT_PUBLIC_PLATFORM_MODE === "live") return createPlatformClient((input, init) => fetch(input, init));
  if (typeof window !== "undefined") {
    (window as ProbeWindow).__fleetProbe = { inFlight: () => [...inFlight], eventsReceived: () => eventsReceived };
  }
  return tracked(createPlatformClient(probedFetch));
}

/** The browser's platform client: same-origin fetch to /api/platform. */
export const browserPlatformClient = createBrowserPlatformClient();

/** Counts live events for the mock-mode probe (a no-op cost in live mode). */
export function noteEventReceived(): void {
  eventsReceived += 1;
}
