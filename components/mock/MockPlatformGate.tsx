"use client";

import { createContext, use, useSyncExternalStore, type ReactNode } from "react";
import type { MockPlatformControl } from "@/lib/mock/control";
import { mockPlatformStore } from "./mock-platform";

const MockControlContext = createContext<MockPlatformControl | null>(null);

/** The running mock platform's controls, or null in live mode. */
export function useMockControl(): MockPlatformControl | null {
  return use(MockControlContext);
}

/**
 * Holds the app back until the mock platform answers requests, so the
 * first fetch never races the service worker. In live mode it renders
 * its children at once.
 */
export function MockPlatformGate({ children }: { children: ReactNode }) {
  const mock = useSyncExternalStore(mockPlatformStore.subscribe, mockPlatformStore.get, mockPlatformStore.getServer);
  if (mock.state === "starting") {
    return (
      <p role="status" className="p-6 text-sm text-slate-600">
        Starting the mock platform…
      </p>
    );
  }
  if (mock.state === "failed") {
    return (
      <div role="alert" className="m-6 rounded border border-red-300 bg-red-50 p-4 text-sm text-red-900">
        The mock platform could not start: {mock.message}. Service workers need a secure context (https or localhost).
      </div>
    );
  }
  return <MockControlContext value={mock.state === "ready" ? mock.control : null}>{children}</MockControlContext>;
}
