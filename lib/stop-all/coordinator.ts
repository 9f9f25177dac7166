import type { StopMode } from "./types";
import type { FleetView } from "../fleet/view";
import type { PlatformClient } from "../platform/client";
import type { Workspace } from "../platform/workspace";
import type { Clock } from "../time/clock";
import type { StopAllOptions } from "./options";
import { startStopAll, type StartStopAllInput, type StopAllOperation } from "./orchestrator";
import { selectStopTargets } from "./select-targets";

export interface StopAllCoordinatorDeps {
  client: PlatformClient;
  fleet: FleetView;
  clock: Clock;
  options?: StopAllOptions;
  /** How an operation is started (tests may wrap it); default `startStopAll`. */
  start?: (input: StartStopAllInput) => StopAllOperation;
}

/** What a click on Stop All came to. */
export type StopAllStartResult =
  | { kind: "started"; operation: StopAllOperation }
  /** One is running: nothing new was started; this is the running one. */
  | { kind: "already-running"; operation: StopAllOperation }
  /** No workspace is busy: nothing was started. */
  | { kind: "no-targets" };

/** Holds the one Stop All of a page: at most one runs at a time. */
export interface StopAllCoordinator {
  /** Starts an operation on the busy ones among `workspaces`, unless one is running. */
  start(workspaces: readonly Workspace[], options?: { mode?: StopMode }): StopAllStartResult;
  /** The running operation, or the last one (finished) until the next start. */
  current(): StopAllOperation | undefined;
  /** True while the current operation has not finished. */
  isRunning(): boolean;
  /** Called when the current operation changes or its state does. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Disposes the current operation and drops every listener. */
  dispose(): void;
}

function isRunning(operation: StopAllOperation | undefined): boolean {
  return operation !== undefined && !operation.isDisposed() && operation.getState().phase !== "finished";
}

/** Creates the coordinator that makes double clicks and keyboard repeats start only one operation. */
export function createStopAllCoordinator(deps: StopAllCoordinatorDeps): StopAllCoordinator {
  const start = deps.start ?? startStopAll;
  const listeners = new Set<() => void>();
  let operation: StopAllOperation | undefined;
  let unsubscribeOperation: (() => void) | undefined;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };

  return {
    start(workspaces, options = {}) {
      if (operation && isRunning(operation)) return { kind: "already-running", operation };
      const targets = selectStopTargets(workspaces);
      if (targets.length === 0) return { kind: "no-targets" };
      unsubscribeOperation?.();
      operation?.dispose();
      const started = start({ targets, client: deps.client, fleet: deps.fleet, clock: deps.clock, options: deps.options, mode: options.mode });
      operation = started;
      unsubscribeOperation = started.subscribe(notify);
      notify();
      return { kind: "started", operation: started };
    },
    current: () => operation,
    isRunning: () => isRunning(operation),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    dispose() {
      unsubscribeOperation?.();
      operation?.dispose();
      listeners.clear();
    },
  };
}
