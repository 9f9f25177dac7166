import type { Workspace } from "../../platform/workspace";
import { FakeClock, flushMicrotasks } from "../../time/fake-clock";
import type { StopAllOptions } from "../options";
import { resumeStopAll, startStopAll, type StopAllOperation } from "../orchestrator";
import type { StopAllState, TargetOutcome, TargetPhase } from "../types";
import { FakePlatform } from "./fake-platform";
import { fleetOf } from "./workspaces";

/** A Stop All wired to a fake clock, a scripted platform and a hand-driven fleet. */
export function stopAllHarness(workspaces: readonly Workspace[], options: StopAllOptions = {}) {
  const clock = new FakeClock();
  const platform = new FakePlatform(clock);
  const fleet = fleetOf(workspaces);
  const states: StopAllState[] = [];
  let operation: StopAllOperation | undefined;

  const op = (): StopAllOperation => {
    if (!operation) throw new Error("start() first");
    return operation;
  };

  return {
    clock,
    platform,
    fleet,
    /** Every snapshot the operation emitted, in order. */
    states,
    /** Starts the operation at the current clock time; the returned promise lets phase 1 begin. */
    async start(): Promise<StopAllOperation> {
      operation = startStopAll({ targets: workspaces, client: platform, fleet, clock, options });
      operation.subscribe((state) => states.push(state));
      await flushMicrotasks(50);
      return operation;
    },
    /** Drops the running operation as a page reload would (no clean-up reaches the platform) and resumes from `saved`. */
    async resume(saved: StopAllState): Promise<StopAllOperation> {
      operation?.dispose();
      operation = resumeStopAll({ saved, client: platform, fleet, clock, options });
      operation.subscribe((state) => states.push(state));
      await flushMicrotasks(50);
      return operation;
    },
    op,
    state: (): StopAllState => op().getState(),
    phase: (workspaceId: string): TargetPhase | undefined => op().getState().targets[workspaceId]?.phase,
    outcome(workspaceId: string): TargetOutcome | undefined {
      const phase = op().getState().targets[workspaceId]?.phase;
      return phase?.kind === "settled" ? phase.outcome : undefined;
    },
    /** Advances the clock and lets every promise chain settle. */
    async advance(ms: number): Promise<void> {
      await clock.advance(ms);
      await flushMicrotasks(50);
    },
    /** Lets promise chains settle without moving time. */
    settle: () => flushMicrotasks(50),
    restarts: (workspaceId?: string) => platform.of("restart", workspaceId),
  };
}
