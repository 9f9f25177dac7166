import type { Scenario } from "../sim/scenario";
import { benchScenarios } from "./bench";
import { defaultScenario } from "./default";
import { faultsScenario } from "./faults";
import { holdFaultsScenario } from "./hold-faults";
import { hostileScenario } from "./hostile";
import { largeScenario } from "./large";
import { mixedScenario } from "./mixed";
import { emptyScenario, noLiveEventsScenario, platformDownScenario } from "./platform-conditions";
import { slowDrainScenario } from "./slow-drain";
import { stuckScenario } from "./stuck";
import { rebusyScenario } from "./rebusy";
import { teamsScenario } from "./teams";

export const DEFAULT_SCENARIO = "default";

/** Every scenario by name, in the order a picker shows them. */
export const scenarios: Record<string, Scenario> = Object.fromEntries(
  [
    defaultScenario,
    stuckScenario,
    mixedScenario,
    slowDrainScenario,
    faultsScenario,
    hostileScenario,
    platformDownScenario,
    noLiveEventsScenario,
    largeScenario,
    emptyScenario,
    teamsScenario,
    rebusyScenario,
    holdFaultsScenario,
    ...benchScenarios,
  ].map((scenario) => [scenario.name, scenario]),
);

export const scenarioNames: string[] = Object.keys(scenarios);

/** The scenario called `name`; an unknown name falls back to `default` with an error saying so. */
export function resolveScenario(name: string | undefined | null): { scenario: Scenario; error?: string } {
  const wanted = name ?? DEFAULT_SCENARIO;
  const found = Object.hasOwn(scenarios, wanted) ? scenarios[wanted] : undefined;
  if (found) return { scenario: found };
  return {
    scenario: scenarios[DEFAULT_SCENARIO]!,
    error: `Unknown scenario ${JSON.stringify(wanted.slice(0, 60))}; showing "${DEFAULT_SCENARIO}". Known: ${scenarioNames.join(", ")}.`,
  };
}
