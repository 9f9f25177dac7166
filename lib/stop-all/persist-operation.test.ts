import { describe, expect, it } from "vitest";
import { FakeClock } from "../time/fake-clock";
import { createSnapshotEmitter } from "./emitter";
import type { OperationStore } from "./operation-store";
import type { StopAllOperation } from "./orchestrator";
import { persistOperation, SAVE_INTERVAL_MS } from "./persist-operation";
import type { StopAllEvent, StopAllState } from "./types";

/** An operation whose phase the test sets, and a store that records what it was asked to write. */
function setup(phase: StopAllState["phase"] = "cancelling") {
  let state = { phase, startedAt: 1, targets: [] } as unknown as StopAllState;
  const snapshots = createSnapshotEmitter<StopAllState>();
  const eventListeners = new Set<(event: StopAllEvent, state: StopAllState) => void>();
  const operation = {
    getState: () => state,
    subscribe: (listener: (state: StopAllState) => void) => snapshots.add(listener),
    onEvent: (listener: (event: StopAllEvent, state: StopAllState) => void) => {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
  } as unknown as StopAllOperation;
  const saved: string[] = [];
  const marks: string[] = [];
  const store = {
    save: (saving: StopAllState) => void saved.push(saving.phase),
    markRestartSent: (_startedAt: number, workspaceId: string) => void marks.push(workspaceId),
  } as unknown as OperationStore;
  const clock = new FakeClock(0);
  const change = (next: Partial<StopAllState>) => {
    state = { ...state, ...next } as StopAllState;
    snapshots.emit(() => state);
  };
  const event = (next: StopAllEvent) => {
    for (const listener of eventListeners) listener(next, state);
  };
  return { persisted: persistOperation(operation, store, clock), saved, marks, clock, change, event };
}

describe("persistOperation", () => {
  it("saves at once when started, then at most every SAVE_INTERVAL_MS while the operation changes", async () => {
    const { saved, clock, change } = setup();
    expect(saved).toEqual(["cancelling"]);
    for (let i = 0; i < 50; i++) change({ phase: "watching" });
    expect(saved).toHaveLength(1);
    await clock.advance(SAVE_INTERVAL_MS);
    expect(saved).toEqual(["cancelling", "watching"]);
  });

  it("saves the end at once, and after it a burst of changes once per interval, not once per change", async () => {
    const { saved, clock, change } = setup("restarting");
    change({ phase: "finished" });
    expect(saved).toEqual(["restarting", "finished"]);
    // The quiet watch after the end: busy-again for hundreds of restarted workspaces.
    for (let i = 0; i < 200; i++) change({ finishedAt: i } as Partial<StopAllState>);
    expect(saved).toHaveLength(2);
    await clock.advance(SAVE_INTERVAL_MS);
    expect(saved).toHaveLength(3);
  });

  it("saves at once again when a re-opened operation (a retry) finishes a second time", async () => {
    const { saved, clock, change } = setup("finished");
    change({ phase: "restarting" });
    change({ phase: "finished" });
    expect(saved).toEqual(["finished", "finished"]);
    // The end wrote the newest state: nothing is left to write.
    await clock.advance(SAVE_INTERVAL_MS);
    expect(saved).toHaveLength(2);
  });

  it("marks each restart and each pause at once, before its request leaves, whatever the interval", () => {
    const { marks, event } = setup();
    event({ type: "restart-sent", workspaceId: "ws-a", at: 5 });
    event({ type: "pause-sent", workspaceId: "ws-b", at: 6 });
    event({ type: "drained", workspaceId: "ws-c", at: 7 });
    expect(marks).toEqual(["ws-a", "ws-b"]);
  });

  it("flush and stop write the newest state now", () => {
    const { persisted, saved, change } = setup();
    change({ phase: "watching" });
    persisted.flush();
    expect(saved).toEqual(["cancelling", "watching"]);
    change({ phase: "restarting" });
    persisted.stop();
    expect(saved).toEqual(["cancelling", "watching", "restarting"]);
  });
});
