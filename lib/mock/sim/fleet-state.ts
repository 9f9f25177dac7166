import type { Clock } from "../../time/clock";
import type { ProxyEnv } from "./a2a-proxy";
import type { Ambient } from "./ambient";
import { hashString } from "./prng";
import type { Scenario } from "./scenario";
import type { TeamFleet } from "./team-tree";
import { createSimWorkspace, toWireRow, type SimWorkspace } from "./workspace-state";

/**
 * The simulated fleet as it is now: its workspaces, the platform-down switch
 * and the `queue_id` counter. The A2A and restart handlers see it as their
 * `ProxyEnv`; pause and resume also walk its team tree.
 */
export interface FleetState extends ProxyEnv, TeamFleet {
  /** Back to the scenario's fleet (each workspace's ambient life started), platform up or down as it says, queue count at 0. */
  build(): void;
  /** Rows of `GET /workspaces`: removed workspaces left out, the scenario's raw extra rows appended. */
  listRows(): unknown[];
  /** The workspace `id`; throws when the scenario has none. */
  workspace(id: string): SimWorkspace;
  setPlatformDown(down: boolean): void;
}

/** An empty fleet state for `scenario`; `build` fills it. Workspace PRNGs are seeded from the scenario's seed and their ids. */
export function createFleetState(scenario: Scenario, clock: Clock, ambient: Ambient): FleetState {
  const seed = scenario.seed ?? hashString(scenario.name);
  let workspaces = new Map<string, SimWorkspace>();
  let platformDown = false;
  let queueNumber = 0;

  return {
    find: (id) => workspaces.get(id),
    all: () => workspaces.values(),
    isPlatformDown: () => platformDown,
    nextQueueNumber: () => ++queueNumber,
    setPlatformDown(down) {
      platformDown = down;
    },
    build() {
      const now = clock.now();
      workspaces = new Map(scenario.workspaces.map((spec) => [spec.id, createSimWorkspace(spec, now, hashString(spec.id, seed))]));
      platformDown = scenario.platformDown ?? false;
      queueNumber = 0;
      for (const ws of workspaces.values()) ambient.start(ws);
    },
    listRows() {
      const now = clock.now();
      const rows: unknown[] = [];
      for (const ws of workspaces.values()) {
        if (ws.removed) continue;
        const { rowPatch } = ws.behaviour;
        rows.push(rowPatch ? { ...toWireRow(ws, now), ...rowPatch } : toWireRow(ws, now));
      }
      return scenario.extraRows ? rows.concat(scenario.extraRows) : rows;
    },
    workspace(id) {
      const ws = workspaces.get(id);
      if (!ws) throw new Error(`the ${scenario.name} scenario has no workspace ${JSON.stringify(id)}`);
      return ws;
    },
  };
}
