import type { Scenario, WorkspaceSpec } from "../sim/scenario";

/** Workspaces per team: a lead and 49 members, as in `large`. */
export const BENCH_TEAM_SIZE = 50;
/** When the honouring agents drain after their cancel: spread over this window, ms. */
export const BENCH_DRAIN_MS: readonly [number, number] = [800, 1200];
/** In the deadline variant, one busy workspace in this many ignores the cancel (restarted at the deadline). */
export const BENCH_IGNORE_EVERY = 10;

const COLUMNS_PER_TEAM = 10;
const COLUMN = 250;
const ROW = 140;
const TEAM_GAP_X = 200;
const TEAM_GAP_Y = 260;
const TEAM_WIDTH = COLUMNS_PER_TEAM * COLUMN + TEAM_GAP_X;
const TEAM_HEIGHT = ROW + Math.ceil((BENCH_TEAM_SIZE - 1) / COLUMNS_PER_TEAM) * ROW + TEAM_GAP_Y;

const pad = (n: number) => String(n).padStart(4, "0");

/**
 * Member `global` of the fleet. Busy: every workspace with index ≡ 1 or 3
 * (mod 5), so 2 in 5 (leads, at multiples of 50, never). Busy ones are
 * numbered in order; with `ignoreEvery`, every that-many-th busy one ignores
 * the cancel (`ignores-cancel-*`), the others drain 0.8–1.2 s after it.
 * Busy agents speak A2A 0.3: no ListTasks, so Stop All sends one request per
 * target (the cancel), for the task ids the canvas saw in TASK_UPDATED events.
 */
function member(global: number, teamsPerRow: number, ignoreEvery: number | null): WorkspaceSpec {
  const team = Math.floor(global / BENCH_TEAM_SIZE);
  const index = global % BENCH_TEAM_SIZE;
  const teamX = (team % teamsPerRow) * TEAM_WIDTH;
  const teamY = Math.floor(team / teamsPerRow) * TEAM_HEIGHT;
  const position = index === 0
    ? { x: teamX + ((COLUMNS_PER_TEAM - 1) * COLUMN) / 2, y: teamY }
    : { x: teamX + ((index - 1) % COLUMNS_PER_TEAM) * COLUMN, y: teamY + ROW + Math.floor((index - 1) / COLUMNS_PER_TEAM) * ROW };
  const parentId = index === 0 ? null : `ws-bench-${pad(team * BENCH_TEAM_SIZE)}`;
  const id = `ws-bench-${pad(global)}`;
  const busy = index !== 0 && (global % 5 === 1 || global % 5 === 3);
  if (!busy) return { id, name: index === 0 ? `team-${team + 1}-lead` : `idle-${pad(global)}`, role: index === 0 ? "team lead" : "worker", parentId, ...position };

  const busyNumber = Math.floor(global / 5) * 2 + (global % 5 === 3 ? 1 : 0);
  const ignores = ignoreEvery !== null && busyNumber % ignoreEvery === ignoreEvery - 1;
  const [from, to] = BENCH_DRAIN_MS;
  const drainAfterMs = from + ((busyNumber * 37) % (to - from + 1));
  return {
    id,
    name: ignores ? `ignores-cancel-${pad(global)}` : `drains-at-${drainAfterMs}ms-${pad(global)}`,
    role: "worker",
    parentId,
    ...position,
    card: "0.3",
    tasks: [{ description: `Bench task #${global}` }],
    behaviour: ignores ? { cancel: { kind: "ignore" }, restart: { kind: "ok", restartMs: 3000 } } : { cancel: { kind: "honour", drainAfterMs } },
  };
}

/** `size` workspaces in teams of 50, teams on a near-square grid; 40% busy. */
export function generateBenchFleet(size: number, ignoreEvery: number | null): WorkspaceSpec[] {
  const teams = Math.ceil(size / BENCH_TEAM_SIZE);
  const teamsPerRow = Math.max(1, Math.ceil(Math.sqrt(teams)));
  return Array.from({ length: size }, (_, global) => member(global, teamsPerRow, ignoreEvery));
}

/**
 * Fleets for `npm run bench` (e2e/bench/): zero network latency, so what is
 * measured is the canvas. `bench-N`: 40% busy, 1 busy in 10 ignores the
 * cancel and is restarted at the deadline, the rest drain ~1 s after their
 * cancel. `bench-N-drain`: every busy one drains, so the operation ends
 * early with the last drain.
 *
 * The busy agents are A2A 0.3 and report no progress by themselves: a canvas
 * learns their task ids only when the bench has them report once
 * (`setBehaviour(id, { progressEveryMs })`, see e2e/bench/measure.mjs).
 * Without that, a Stop All finds no task id and restarts them at the deadline.
 */
export function benchScenario(size: number, variant: "deadline" | "drain"): Scenario {
  const drainOnly = variant === "drain";
  let workspaces: WorkspaceSpec[] | undefined;
  return {
    name: drainOnly ? `bench-${size}-drain` : `bench-${size}`,
    description: drainOnly
      ? `${size.toLocaleString("en")} workspaces, 40% busy (A2A 0.3), all draining ~1 s after a cancel; zero latency (for npm run bench).`
      : `${size.toLocaleString("en")} workspaces, 40% busy (A2A 0.3); 1 busy in ${BENCH_IGNORE_EVERY} ignores the cancel, the rest drain ~1 s after it; zero latency (for npm run bench).`,
    latencyMs: 0,
    // Generated on first use: pages on other scenarios never pay for 12,000 specs.
    get workspaces() {
      workspaces ??= generateBenchFleet(size, drainOnly ? null : BENCH_IGNORE_EVERY);
      return workspaces;
    },
  };
}

export const benchScenarios: Scenario[] = [
  benchScenario(1000, "deadline"),
  benchScenario(1000, "drain"),
  benchScenario(5000, "deadline"),
  benchScenario(5000, "drain"),
];
