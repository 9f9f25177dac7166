"use client";

import { createContext, use, useState, type ReactNode } from "react";
import { createStore, useStore, type StoreApi } from "zustand";
import type { StopScope } from "@/lib/stop-all/scope";

/**
 * The canvas's selection and the Stop All the operator asked for (which
 * opens its confirmation): the toolbar asks for the selection or the whole
 * fleet, a team node's "Stop team" for its team.
 */
interface StopScopeState {
  /** The workspaces selected on the canvas (click, Shift-click, Shift-drag a box). */
  selected: ReadonlySet<string>;
  /** The Stop All waiting for its confirmation, if any. */
  requested: StopScope | undefined;
  setSelected(change: (selected: ReadonlySet<string>) => ReadonlySet<string>): void;
  request(scope: StopScope): void;
  closeRequest(): void;
}

const NONE: ReadonlySet<string> = new Set();

function createStopScopeStore(): StoreApi<StopScopeState> {
  return createStore<StopScopeState>((set) => ({
    selected: NONE,
    requested: undefined,
    setSelected: (change) => set((state) => ({ selected: change(state.selected) })),
    request: (scope) => set({ requested: scope }),
    closeRequest: () => set({ requested: undefined }),
  }));
}

const StopScopeContext = createContext<StoreApi<StopScopeState> | null>(null);

export function StopScopeProvider({ children }: { children: ReactNode }) {
  const [store] = useState(createStopScopeStore);
  return <StopScopeContext value={store}>{children}</StopScopeContext>;
}

const inert = createStopScopeStore();

/**
 * Reads one value of the scope store. Outside a provider (the previews'
 * canvases) it reads a store nothing writes to: nothing is selected and no
 * Stop All is asked for.
 */
export function useStopScope<T>(selector: (state: StopScopeState) => T): T {
  return useStore(use(StopScopeContext) ?? inert, selector);
}

/** True inside a page whose canvas can select and ask for scoped stops. */
export function useHasStopScope(): boolean {
  return use(StopScopeContext) !== null;
}
