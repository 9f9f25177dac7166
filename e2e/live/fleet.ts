import { BENCH_MAX_SIZE, benchFleetByName } from "./bench-fleet";
import type { WorkspaceSpec } from "./workspace";

/**
 * The default live fleet: ids say what each workspace does, so a Stop All
 * spec can read like its scenario.
 */
export const DEFAULT_FLEET: WorkspaceSpec[] = [
  { id: "busy-v1", name: "Builder (A2A 1.0)", role: "builds", version: "1.0", status: "online", tasks: ["refactor the billing module", "write migration tests"], x: 0, y: 0 },
  { id: "busy-v03", name: "Reviewer (A2A 0.3)", role: "reviews", version: "0.3", status: "online", tasks: ["review pull request 42"], x: 320, y: 0 },
  { id: "idle-v1", name: "Planner (A2A 1.0)", role: "plans", version: "1.0", status: "online", tasks: [], x: 0, y: 220 },
  { id: "hibernated-v1", name: "Archivist (hibernated)", role: "archives", version: "1.0", status: "hibernated", tasks: [], x: 320, y: 220 },
];

/**
 * The fleet the live Playwright specs run against (`PLATFORM_FLEET=e2e`).
 * Differences from the default, each for a reason:
 * - the A2A 0.3 reviewer boots idle: a 0.3 agent cannot list its tasks, so
 *   the canvas only learns a task id from a TASK_UPDATED event it saw; a
 *   spec starts the reviewer's task once the page is connected;
 * - a stubborn A2A 1.0 agent ignores cancels (its cancel call blocks): only
 *   the fallback restart stops it. It boots idle, so only the spec that
 *   gives it work waits for the 8 s deadline.
 */
export const LIVE_E2E_FLEET: WorkspaceSpec[] = [
  DEFAULT_FLEET[0]!,
  { ...DEFAULT_FLEET[1]!, tasks: [] },
  DEFAULT_FLEET[2]!,
  DEFAULT_FLEET[3]!,
  { id: "stubborn-v1", name: "Migrator (ignores cancel)", role: "migrates", version: "1.0", status: "online", tasks: [], cancel: "ignore", x: 640, y: 0 },
];

/** The hand-written fleets, by name. */
export const FLEETS: Record<string, WorkspaceSpec[]> = { default: DEFAULT_FLEET, e2e: LIVE_E2E_FLEET };

/** Every name `fleetByName` knows, for error messages. */
export const FLEET_NAMES = [...Object.keys(FLEETS), "bench-1000", "bench-5000", "bench-1000-drain", "bench-5000-drain", `bench-<N>[-drain] (N up to ${BENCH_MAX_SIZE})`];

/**
 * The fleet a name selects (PLATFORM_FLEET, `POST /_test/fleet`): a
 * hand-written one of FLEETS or a generated bench fleet (bench-fleet.ts:
 * `bench-1000`, `bench-5000`, any `bench-N`, and `-drain` variants in which
 * no agent ignores its cancel). A fresh array each call; undefined for an
 * unknown name.
 */
export function fleetByName(name: string): WorkspaceSpec[] | undefined {
  return Object.hasOwn(FLEETS, name) ? [...FLEETS[name]!] : benchFleetByName(name);
}
