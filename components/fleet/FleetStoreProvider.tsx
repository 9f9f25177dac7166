"use client";

import { createContext, use, useState, type ReactNode } from "react";
import { useStore } from "zustand";
import { createFleetStore, type FleetActions, type FleetState, type FleetStore } from "@/lib/fleet/store";

const FleetStoreContext = createContext<FleetStore | null>(null);

/** Provides a fleet store: a new one, or `store` when given (previews, tests). */
export function FleetStoreProvider({ children, store: given }: { children: ReactNode; store?: FleetStore }) {
  const [created] = useState(() => given ?? createFleetStore());
  return <FleetStoreContext value={given ?? created}>{children}</FleetStoreContext>;
}

export function useFleetStoreApi(): FleetStore {
  const store = use(FleetStoreContext);
  if (!store) throw new Error("useFleetStoreApi must be used inside <FleetStoreProvider>");
  return store;
}

/** Reads one value from the fleet store; the component re-renders only when it changes. */
export function useFleet<T>(selector: (state: FleetState & FleetActions) => T): T {
  return useStore(useFleetStoreApi(), selector);
}
