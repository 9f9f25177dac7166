"use client";

import { createPlatformClient, type PlatformClient } from "@/lib/platform/client";

let current: PlatformClient = createPlatformClient((input, init) => fetch(input, init));
let liveEventObserver: () => void = () => {};

/**
 * Mock mode: components/mock installs the mock's own client (its in-page
 * transport, with the e2e probe around it) once the mock is ready, before
 * the app's first request. This module never imports the mock, so live
 * builds carry none of it and always send same-origin fetches.
 */
export function installPlatformClient(client: PlatformClient, onLiveEvent: () => void = () => {}): void {
  current = client;
  liveEventObserver = onLiveEvent;
}

/** The browser's platform client: same-origin requests to /api/platform. */
export const browserPlatformClient: PlatformClient = {
  listWorkspaces: (signal) => current.listWorkspaces(signal),
  postA2A: (id, body, signal) => current.postA2A(id, body, signal),
  restart: (id, signal) => current.restart(id, signal),
  pause: (id, signal) => current.pause(id, signal),
  resume: (id, signal) => current.resume(id, signal),
};

/** Told of every live event message (the mock-mode probe counts them; nothing listens in live mode). */
export function noteEventReceived(): void {
  liveEventObserver();
}
