import { mixedScenario as mixed } from "@/lib/mock/scenarios/mixed";
import { holdFaultsScenario as holdFaults } from "@/lib/mock/scenarios/hold-faults";
import { stuckScenario as stuck } from "@/lib/mock/scenarios/stuck";
import type { FleetSimulation, Scenario } from "@/lib/mock/sim";
import { DEFAULT_STOP_ALL_OPTIONS } from "@/lib/stop-all/options";
import { createPreviewWorld, STEP_MS, type PreviewWorld } from "./preview-world";

/** How a view's world is made and driven to the moment the view shows. */
export interface PreviewRecipe {
  scenario: Scenario;
  /**
   * About how much simulated time `drive` covers. The world's clock starts
   * this long before the wall clock, so it ends near the real time: the
   * panel's countdown and the report's times read as "now".
   */
  spanMs: number;
  /** Behaviour changes before anything happens. */
  prepare?(sim: FleetSimulation): void;
  drive(world: PreviewWorld): Promise<void>;
}

/** Long enough for the mixed fleet's A2A 0.3 agents to report progress, so their task ids are known. */
const LEARN_TASK_IDS_MS = 2500;
/** The running view shows the operation this long after the click. */
const RUNNING_AT_MS = 3000;
// A preview world's coordinator runs with the default options, not the
// deployment's STOP_ALL_DEADLINE_MS: its scenarios are timed around the fixed
// 8 s default, so the recipes count with that same value.
/** Past the deadline and the restart answers; a bound in case an operation never ends. */
const FINISH_LIMIT_MS = DEFAULT_STOP_ALL_OPTIONS.deadlineMs + 12_000;
const ABOUT_FINISHED_MS = DEFAULT_STOP_ALL_OPTIONS.deadlineMs + 200;

export const confirmationRecipe: PreviewRecipe = {
  scenario: mixed,
  spanMs: STEP_MS,
  drive: (world) => world.load(),
};

export const runningRecipe: PreviewRecipe = {
  scenario: mixed,
  spanMs: STEP_MS + LEARN_TASK_IDS_MS + RUNNING_AT_MS,
  async drive(world) {
    await world.load();
    await world.advance(LEARN_TASK_IDS_MS);
    world.startStopAll();
    await world.advance(RUNNING_AT_MS);
  },
};

export const finishedRecipe: PreviewRecipe = {
  scenario: mixed,
  spanMs: STEP_MS + LEARN_TASK_IDS_MS + ABOUT_FINISHED_MS,
  async drive(world) {
    await world.load();
    await world.advance(LEARN_TASK_IDS_MS);
    world.startStopAll();
    await world.advanceUntilFinished(FINISH_LIMIT_MS);
  },
};

/** The stuck fleet, whose stuck agent's restart is refused: two drained, one restart failed. */
export const failedRestartRecipe: PreviewRecipe = {
  scenario: stuck,
  spanMs: STEP_MS + ABOUT_FINISHED_MS,
  prepare: (sim) => sim.setBehaviour("ws-ignores-cancel", { restart: { kind: "fail", status: 500 } }),
  async drive(world) {
    await world.load();
    world.startStopAll();
    await world.advanceUntilFinished(FINISH_LIMIT_MS);
  },
};

/** A new world for `recipe`, not driven yet. */
export function createWorldFor(recipe: PreviewRecipe): PreviewWorld {
  const world = createPreviewWorld({ scenario: recipe.scenario, startAt: Date.now() - recipe.spanMs });
  recipe.prepare?.(world.sim);
  return world;
}

/**
 * Stop and hold on hold-faults: the drained ones paused as they drain, the
 * stuck member with its lead at the deadline, one pause refused (500) to retry,
 * and Resume held offered.
 */
export const heldRecipe: PreviewRecipe = {
  scenario: holdFaults,
  spanMs: STEP_MS + ABOUT_FINISHED_MS,
  async drive(world) {
    await world.load();
    world.startStopAll("hold");
    await world.advanceUntilFinished(FINISH_LIMIT_MS);
  },
};
