"use client";

import { installPlatformClient } from "@/components/fleet/platform-client";
import type { MockPlatformControl } from "@/lib/mock/control";
import { createProbedPlatformClient } from "./probed-platform-client";

type MockStartState =
  | { state: "off" }
  | { state: "starting" }
  | { state: "ready"; control: MockPlatformControl }
  | { state: "failed"; message: string };

const SERVER_STATE: MockStartState = process.env.NEXT_PUBLIC_PLATFORM_MODE !== "live" ? { state: "starting" } : { state: "off" };
let current: MockStartState = { state: "off" };
const listeners = new Set<() => void>();

function set(next: MockStartState) {
  current = next;
  for (const listener of listeners) listener();
}

// Started once per page load, at module evaluation, before any component
// fetches. The literal comparison is inlined at build time, so a live build
// contains no reference to the mock platform at all. Once it is ready, the
// app's platform client sends its requests through the mock's in-page
// transport (answered from the simulation, no service worker round trip).
if (process.env.NEXT_PUBLIC_PLATFORM_MODE !== "live" && typeof window !== "undefined") {
  set({ state: "starting" });
  const scenario = new URLSearchParams(window.location.search).get("scenario") ?? undefined;
  import("@/lib/mock/browser")
    .then(async (mock) => {
      const control = await mock.startMockPlatform({ scenario });
      const probed = createProbedPlatformClient(mock.inPagePlatformFetch, window);
      installPlatformClient(probed.client, probed.noteEventReceived);
      return control;
    })
    .then((control) => set({ state: "ready", control }))
    .catch((error: unknown) => set({ state: "failed", message: error instanceof Error ? error.message : String(error) }));
}

export const mockPlatformStore = {
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  get: () => current,
  /** On the server (and the first hydration pass) the mock is not started yet. */
  getServer: (): MockStartState => SERVER_STATE,
};
