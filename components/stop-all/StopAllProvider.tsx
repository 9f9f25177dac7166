"use client";

import { createContext, use, useCallback, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import { useFleet, useFleetStoreApi } from "@/components/fleet/FleetStoreProvider";
import type { Workspace } from "@/lib/platform/workspace";
import type { OperationPhase, StopAllState, TargetState } from "@/lib/stop-all/types";
import { createBrowserStopAllSession } from "./browser-session";
import { createBrowserRemoteHost } from "./browser-remote-host";
import type { OperationInfo } from "@/lib/stop-all-host/wire";
import type { StartOptions, StopAllHost } from "@/lib/stop-all-host/host";
import { targetOf } from "@/lib/stop-all/targets";

/** What the Stop All views bind to: the page's session, a preview's coordinator, or live mode's remote host. */
export type StopAllSource = StopAllHost;

const StopAllContext = createContext<StopAllSource | null>(null);

// Fixed at build: live mode's operation runs on the canvas server, mock mode's in the page.
const LIVE = process.env.NEXT_PUBLIC_PLATFORM_MODE === "live";

/** What prerendering sees: no operation (the browser session starts on the client). */
const SERVER_SESSION = {
  subscribe: () => () => {},
  current: () => undefined,
  start: () => undefined,
  role: () => "none" as const,
  isRunning: () => false,
  checkDeadline: () => {},
  flush: () => {},
  init: async () => {},
};

/**
 * Holds the page's Stop All session (one operation per browser, resumed
 * after a reload), and ties it to the page: a warning before leaving while
 * it runs, a deadline check when the tab becomes visible again, a last save
 * when the page goes away.
 */
export function StopAllProvider({ children }: { children: ReactNode }) {
  const fleet = useFleetStoreApi();
  const [session] = useState(() => (typeof window === "undefined" ? SERVER_SESSION : LIVE ? createBrowserRemoteHost() : createBrowserStopAllSession(fleet)));

  // A resumed operation must see the fleet first: before the rows load, every workspace looks removed.
  const fleetLoaded = useFleetLoaded();
  useEffect(() => {
    if (session === SERVER_SESSION || !fleetLoaded) return;
    void session.init();
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (session.role?.() !== "owner" || !session.isRunning()) return;
      event.preventDefault();
      // Legacy browsers need returnValue set to show the prompt.
      event.returnValue = "";
    };
    const onVisible = () => {
      if (document.visibilityState === "visible") session.checkDeadline();
    };
    const onPageHide = () => session.flush();
    window.addEventListener("beforeunload", beforeUnload);
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("pagehide", onPageHide);
    return () => {
      window.removeEventListener("beforeunload", beforeUnload);
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("pagehide", onPageHide);
    };
  }, [session, fleetLoaded]);

  return <StopAllContext value={session}>{children}</StopAllContext>;
}

function useFleetLoaded(): boolean {
  return useFleet((s) => s.loaded);
}

/** Renders the Stop All views over a source made elsewhere (previews, tests). */
export function StopAllCoordinatorProvider({ coordinator, children }: { coordinator: StopAllSource; children: ReactNode }) {
  return <StopAllContext value={coordinator}>{children}</StopAllContext>;
}

export function useStopAllCoordinator(): StopAllSource {
  const source = use(StopAllContext);
  if (!source) throw new Error("useStopAllCoordinator must be used inside <StopAllProvider>");
  return source;
}

function useOperationSnapshot<T>(select: (state: StopAllState | undefined) => T): T {
  const source = useStopAllCoordinator();
  const getSnapshot = useCallback(() => select(source.current()?.getState()), [source, select]);
  return useSyncExternalStore(source.subscribe, getSnapshot, getSnapshot);
}

const selectPhase = (state: StopAllState | undefined) => state?.phase;
const selectStartedAt = (state: StopAllState | undefined) => state?.startedAt;

/** When the current (or last) operation started: which one is shown. */
export function useStopAllStartedAt(): number | undefined {
  return useOperationSnapshot(selectStartedAt);
}

/**
 * The snapshot, re-read at most every `intervalMs`: for views of the whole
 * operation (the panel), which need not redraw for each of hundreds of
 * events per second while the mock platform shares their main thread.
 */
export function useStopAllStateThrottled(intervalMs = 100): StopAllState | undefined {
  const source = useStopAllCoordinator();
  const subscribe = useCallback(
    (onChange: () => void) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const unsubscribe = source.subscribe(() => {
        timer ??= setTimeout(() => {
          timer = undefined;
          onChange();
        }, intervalMs);
      });
      return () => {
        if (timer !== undefined) clearTimeout(timer);
        unsubscribe();
      };
    },
    [source, intervalMs],
  );
  const getSnapshot = useCallback(() => source.current()?.getState(), [source]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

/** Just the overall phase: components that only need "is one running" re-render only when it changes. */
export function useStopAllPhase(): OperationPhase | undefined {
  return useOperationSnapshot(selectPhase);
}

/** One target's state (stable identity while it does not change), for its canvas node. */
export function useStopAllTarget(workspaceId: string): TargetState | undefined {
  const select = useCallback((state: StopAllState | undefined) => state && targetOf(state, workspaceId), [workspaceId]);
  return useOperationSnapshot(select);
}

/** True when the shown operation runs in another tab (read-only here). */
export function useStopAllReadOnly(): boolean {
  const source = useStopAllCoordinator();
  const getSnapshot = useCallback(() => source.role?.() === "observer", [source]);
  return useSyncExternalStore(source.subscribe, getSnapshot, getSnapshot);
}

/** Reads the time the way the operation does (for countdowns). */
export function useStopAllClock(): () => number {
  const source = useStopAllCoordinator();
  return useCallback(() => (source.now ? source.now() : Date.now()), [source]);
}

/** A storage notice for the operator, if any. */
export function useStopAllNotice(): string | undefined {
  const source = useStopAllCoordinator();
  const getSnapshot = useCallback(() => source.notice?.(), [source]);
  return useSyncExternalStore(source.subscribe, getSnapshot, getSnapshot);
}

/**
 * Starts a Stop All on `rows` (default: the fleet as it is now), targeting
 * the busy ones among them; a no-op while one runs, here or in another tab.
 */
export function useStartStopAll(): (options?: StartOptions, rows?: readonly Workspace[]) => void {
  const source = useStopAllCoordinator();
  const fleet = useFleetStoreApi();
  return useCallback(
    (options?: StartOptions, rows?: readonly Workspace[]) => {
      const { ids, workspaces } = fleet.getState();
      void source.start(rows ?? ids.flatMap((id) => workspaces[id] ?? []), options);
    },
    [source, fleet],
  );
}

/** Live mode: who started the shown operation, why, and what was left out (undefined in the page's own). */
export function useStopAllInfo(): OperationInfo | undefined {
  const source = useStopAllCoordinator();
  const getSnapshot = useCallback(() => source.info?.(), [source]);
  return useSyncExternalStore(source.subscribe, getSnapshot, getSnapshot);
}

/** Whether the confirmation asks for a reason (live mode records it). */
export function useStopAllTakesReason(): boolean {
  return useStopAllCoordinator().takesReason === true;
}
