import { afterEach, describe, expect, it } from "vitest";
import { countBusy } from "@/components/fleet/fleet-counts";
import { summarize } from "@/lib/stop-all/report";
import type { PreviewWorld } from "./preview-world";
import { confirmationRecipe, createWorldFor, failedRestartRecipe, finishedRecipe, heldRecipe, runningRecipe, type PreviewRecipe } from "./recipes";
import { showcaseIds } from "./showcase";
import { targetOf } from "@/lib/stop-all/targets";

const worlds: PreviewWorld[] = [];
afterEach(() => {
  for (const world of worlds.splice(0)) world.dispose();
});

async function built(recipe: PreviewRecipe): Promise<PreviewWorld> {
  const world = createWorldFor(recipe);
  worlds.push(world);
  await recipe.drive(world);
  return world;
}

const operation = (world: PreviewWorld) => world.coordinator.current()!.getState();
const phases = (world: PreviewWorld) => Object.fromEntries(Object.values(operation(world).targets).map((t) => [t.workspaceId, t.phase.kind]));

describe("the preview's worlds", () => {
  it("confirmation: the mixed fleet is loaded with its 26 busy workspaces, nothing started", async () => {
    const world = await built(confirmationRecipe);
    expect(countBusy(world.store.getState())).toBe(26);
    expect(world.coordinator.current()).toBeUndefined();
  });

  it("running: 3 s after the click, before the deadline, the stuck ones still waiting for their drain", async () => {
    const world = await built(runningRecipe);
    const state = operation(world);
    expect(state.phase).not.toBe("finished");
    expect(world.clock.now() - state.startedAt).toBe(3000);
    expect(state.deadlineAt - world.clock.now()).toBe(5000);
    expect(phases(world)["ws-ignores-cancel"]).toBe("watching");
    expect(Object.values(state.targets).filter((t) => t.times.restartSentAt !== undefined)).toEqual([]);
    // The clock ends about where the wall clock was when the world was made.
    expect(Math.abs(world.clock.now() - Date.now())).toBeLessThan(5000);
  });

  it("finished on mixed: every outcome of the scenario's table", async () => {
    const world = await built(finishedRecipe);
    expect(summarize(operation(world))).toMatch(/^Stopped 26 workspaces in \d+\.\d s: 3 drained, 19 restarted, 1 already restarting, 2 gone, 1 restart failed$/);
  });

  it("failed restart: two drained, the refused restart can be retried and fails again", async () => {
    const world = await built(failedRestartRecipe);
    expect(summarize(operation(world))).toMatch(/^Stopped 3 workspaces in 8\.\d s: 2 drained, 1 restart failed$/);
    world.answerOperatorActions();
    world.coordinator.current()!.retryRestart();
    expect(phases(world)["ws-ignores-cancel"]).toBe("restarting");
    await world.advance(1000);
    expect(phases(world)["ws-ignores-cancel"]).toBe("settled");
  });

  it("held: each drained one held, the stuck member with its lead, the refused pause to retry; Resume held resumes the topmost", async () => {
    const world = await built(heldRecipe);
    expect(summarize(operation(world))).toMatch(/^Stopped and held 6 workspaces in 8\.\d s: 4 held, 1 held at the deadline, 1 pause failed$/);
    world.answerOperatorActions();
    world.coordinator.current()!.resumeHeld();
    await world.advance(1000);
    expect(summarize(operation(world))).toMatch(/; 5 resumed$/);
  });

  it("showcase: one target per phase, then one workspace that is not a target", async () => {
    const world = await built(runningRecipe);
    const ids = showcaseIds(world.store.getState(), operation(world));
    const state = operation(world);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(targetOf(state, ids.at(-1)!)).toBeUndefined();
    const keys = ids.slice(0, -1).map((id) => {
      const phase = targetOf(state, id)!.phase;
      return phase.kind === "settled" ? phase.outcome.kind : phase.kind;
    });
    expect(new Set(keys).size).toBe(keys.length);
  });
});
