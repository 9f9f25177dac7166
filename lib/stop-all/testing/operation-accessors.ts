import type { FakeClock } from "../../time/fake-clock";
import { flushMicrotasks } from "../../time/fake-clock";
import type { StopAllOperation } from "../orchestrator";
import type { StopAllState, TargetOutcome, TargetPhase } from "../types";
import type { FakePlatform } from "../../platform/testing/fake-platform";
import { targetOf } from "../targets";

/** What every Stop All test harness offers about its operation, clock and platform. */
export function operationAccessors(current: () => StopAllOperation | undefined, clock: FakeClock, platform: FakePlatform) {
  const op = (): StopAllOperation => {
    const operation = current();
    if (!operation) throw new Error("start() first");
    return operation;
  };
  return {
    op,
    state: (): StopAllState => op().getState(),
    phase: (workspaceId: string): TargetPhase | undefined => targetOf(op().getState(), workspaceId)?.phase,
    outcome(workspaceId: string): TargetOutcome | undefined {
      const phase = targetOf(op().getState(), workspaceId)?.phase;
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
    pauses: (workspaceId?: string) => platform.of("pause", workspaceId),
    resumes: (workspaceId?: string) => platform.of("resume", workspaceId),
  };
}
