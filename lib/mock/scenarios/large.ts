import type { Scenario, WorkspaceSpec } from "../sim/scenario";

export const LARGE_TEAMS = 20;
export const LARGE_TEAM_SIZE = 50;
const COLUMNS_PER_TEAM = 10;
const TEAMS_PER_ROW = 4;
const COLUMN = 250;
const ROW = 140;
const TEAM_GAP_X = 200;
const TEAM_GAP_Y = 260;

const ROLES = ["coder", "reviewer", "researcher", "tester", "writer"];
const TASKS = ["Refactoring a module", "Running the test suite", "Reading the codebase", "Writing documentation", "Fixing a flaky test"];

/** Member `index` of `team`: every 5th workspace with index ≡ 1 or 3 (mod 5) is busy (2 in 5, leads never). */
function member(team: number, index: number): WorkspaceSpec {
  const global = team * LARGE_TEAM_SIZE + index;
  const id = `ws-large-${String(global).padStart(4, "0")}`;
  const teamX = (team % TEAMS_PER_ROW) * (COLUMNS_PER_TEAM * COLUMN + TEAM_GAP_X);
  const teamY = Math.floor(team / TEAMS_PER_ROW) * (Math.ceil(LARGE_TEAM_SIZE / COLUMNS_PER_TEAM) * ROW + TEAM_GAP_Y);
  const isLead = index === 0;
  const busy = !isLead && (global % 5 === 1 || global % 5 === 3);
  const slot = isLead ? 0 : index - 1;
  return {
    id,
    name: isLead ? `team-${team + 1}-lead` : `${busy ? "busy" : "idle"}-${String(global).padStart(4, "0")}`,
    role: isLead ? "team lead" : ROLES[global % ROLES.length]!,
    tier: isLead ? 1 : 2 + (global % 3),
    parentId: isLead ? null : `ws-large-${String(team * LARGE_TEAM_SIZE).padStart(4, "0")}`,
    x: isLead ? teamX + ((COLUMNS_PER_TEAM - 1) * COLUMN) / 2 : teamX + (slot % COLUMNS_PER_TEAM) * COLUMN,
    y: isLead ? teamY : teamY + ROW + Math.floor(slot / COLUMNS_PER_TEAM) * ROW,
    tasks: busy ? [{ description: `${TASKS[global % TASKS.length]} #${global}` }] : undefined,
    behaviour: busy ? { cancel: { kind: "honour", drainAfterMs: 500 + (global % 4) * 500 } } : undefined,
  };
}

/** 1,000 workspaces (20 teams of 50) on a grid, 400 busy, all draining within 2 s of a cancel. */
export function generateLargeFleet(): WorkspaceSpec[] {
  const fleet: WorkspaceSpec[] = [];
  for (let team = 0; team < LARGE_TEAMS; team++) {
    for (let index = 0; index < LARGE_TEAM_SIZE; index++) fleet.push(member(team, index));
  }
  return fleet;
}

export const largeScenario: Scenario = {
  name: "large",
  description: "1,000 workspaces in 20 teams on a grid; 400 busy, all draining within 2 s of a cancel.",
  latencyMs: 30,
  workspaces: generateLargeFleet(),
};
