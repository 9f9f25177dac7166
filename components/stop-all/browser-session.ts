"use client";

import { browserPlatformClient } from "@/components/fleet/platform-client";
import type { FleetStore } from "@/lib/fleet/store";
import { fleetViewOf } from "@/lib/fleet/store";
import { DEPLOYMENT_STOP_ALL_OPTIONS } from "@/lib/stop-all/deployment-settings";
import { createOperationStore, type OperationStoreOptions, type StorageLike } from "@/lib/stop-all/operation-store";
import { createStopAllSession, type LockManagerLike, type StopAllSession } from "@/lib/stop-all/session";
import { systemClock } from "@/lib/time/clock";

/** localStorage when it works (it can throw in private modes or when full), else memory for this page only. */
function browserStorage(): StorageLike {
  try {
    const probe = "fleet-canvas:probe";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    const items = new Map<string, string>();
    return {
      get length() {
        return items.size;
      },
      key: (index) => [...items.keys()][index] ?? null,
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => void items.set(key, value),
      removeItem: (key) => void items.delete(key),
    };
  }
}

/** A name for this page among the browser's tabs (getRandomValues: randomUUID needs a secure context). */
function newTabName(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The fleet this page shows, which its Stop All belongs to. Mock mode: the
 * scenario, read from `?scenario=` as components/mock/mock-platform.ts reads
 * it ("default" when absent or empty; an unknown name, which the mock shows
 * as "default", keeps a scope of its own). Live mode: the one configured
 * platform. Older builds kept one unscoped operation per browser: only the
 * live fleet adopts it, since there it can only have been this fleet's; in
 * mock mode it may be any scenario's, so it is ignored.
 */
function pageFleet(): Pick<OperationStoreOptions, "fleet" | "legacy"> {
  if (process.env.NEXT_PUBLIC_PLATFORM_MODE === "live") return { fleet: "live", legacy: true };
  return { fleet: new URLSearchParams(window.location.search).get("scenario") || "default", legacy: false };
}

/** The page's Stop All session, wired to the browser: localStorage, Web Locks, storage events, all scoped to the page's fleet. */
export function createBrowserStopAllSession(fleet: FleetStore): StopAllSession {
  const storage = browserStorage();
  const store = createOperationStore(storage, { ...pageFleet(), owner: newTabName() });
  return createStopAllSession({
    client: browserPlatformClient,
    fleet: fleetViewOf(fleet),
    clock: systemClock,
    options: DEPLOYMENT_STOP_ALL_OPTIONS,
    store,
    locks: typeof navigator !== "undefined" && "locks" in navigator ? (navigator.locks as unknown as LockManagerLike) : undefined,
    subscribeToStorage(listener) {
      const onStorage = (event: StorageEvent) => {
        if (event.key === null || store.keys.includes(event.key)) listener();
      };
      window.addEventListener("storage", onStorage);
      return () => window.removeEventListener("storage", onStorage);
    },
  });
}
