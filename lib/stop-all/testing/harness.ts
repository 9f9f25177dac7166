import type { Workspace } from "../../platform/workspace";
import { FakeClock, flushMicrotasks } from "../../time/fake-clock";
import type { StopAllOptions } from "../options";
import { resumeStopAll, startStopAll, type StartStopAllInput, type StopAllOperation } from "../orchestrator";
import type { StopAllState } from "../types";
import { FakePlatform } from "../../platform/testing/fake-platform";
import { operationAccessors } from "./operation-accessors";
import { fleetOf } from "../../fleet/testing/workspaces";

/** A Stop All wired to a fake clock, a scripted platform and a hand-driven fleet. */
export function stopAllHarness(workspaces: readonly Workspace[], options: StopAllOptions = {}, extra: Pick<StartStopAllInput, "claimRestart" | "mode"> = {}) {
  const clock = new FakeClock();
  const platform = new FakePlatform(clock);
  const fleet = fleetOf(workspaces);
  const states: StopAllState[] = [];
  let operation: StopAllOperation | undefined;


  return {
    clock,
    platform,
    fleet,
    /** Every snapshot the operation emitted, in order. */
    states,
    /** Starts the operation at the current clock time; the returned promise lets phase 1 begin. */
    async start(): Promise<StopAllOperation> {
      operation = startStopAll({ targets: workspaces, client: platform, fleet, clock, options, ...extra });
      operation.subscribe((state) => states.push(state));
      await flushMicrotasks(50);
      return operation;
    },
    /** Drops the running operation as a page reload would (no clean-up reaches the platform) and resumes from `saved`. */
    async resume(saved: StopAllState): Promise<StopAllOperation> {
      operation?.dispose();
      operation = resumeStopAll({ saved, client: platform, fleet, clock, options, ...extra });
      operation.subscribe((state) => states.push(state));
      await flushMicrotasks(50);
      return operation;
    },
    ...operationAccessors(() => operation, clock, platform),
  };
}
