import type { WorkspaceSpec } from "./workspace";

/** One busy workspace in this many ignores the cancel (only the fallback restart stops it). */
export const BENCH_IGNORE_EVERY = 10;
/** The largest generated fleet a name may ask for. */
export const BENCH_MAX_SIZE = 20_000;
/** Workspaces per team in a `-teams` fleet: a lead and 49 members, as in the mock's bench scenario (lib/mock/scenarios/bench.ts). */
export const BENCH_TEAM_SIZE = 50;

const COLUMN = 250;
const ROW = 140;

const pad = (n: number) => String(n).padStart(4, "0");

/**
 * Workspace `index` of a bench fleet, with the ids, names and busy pattern
 * of the mock bench scenario (lib/mock/scenarios/bench.ts), without its
 * teams (a `-teams` fleet adds them, below): busy when index ≡ 1 or 3 (mod 5), so exactly 2 in 5 for a
 * multiple of 5; busy ones are numbered in order and, with `ignoreEvery`,
 * every that-many-th ignores the cancel. Every agent is a light A2A 1.0
 * agent (ListTasks works), with one working task when busy.
 */
function benchWorkspace(index: number, columns: number, ignoreEvery: number | null): WorkspaceSpec {
  const position = { x: (index % columns) * COLUMN, y: Math.floor(index / columns) * ROW };
  const base = { id: `ws-bench-${pad(index)}`, role: "worker", version: "1.0", status: "online", agent: "light", ...position } as const;
  const busy = index % 5 === 1 || index % 5 === 3;
  if (!busy) return { ...base, name: `idle-${pad(index)}`, tasks: [] };
  const busyNumber = Math.floor(index / 5) * 2 + (index % 5 === 3 ? 1 : 0);
  const ignores = ignoreEvery !== null && busyNumber % ignoreEvery === ignoreEvery - 1;
  return { ...base, name: `${ignores ? "ignores-cancel" : "drains"}-${pad(index)}`, tasks: [`Bench task #${index}`], cancel: ignores ? "ignore" : "honour" };
}

/**
 * `size` workspaces on a near-square grid, 40% busy with one working task
 * each; `ignoreEvery` null makes every busy agent honour its cancel.
 * `teams`: the same workspaces (ids, names, busy pattern, positions) in
 * teams of BENCH_TEAM_SIZE, `parentId` of each pointing at the first of
 * its fifty (`ws-bench-0000`, `ws-bench-0050`, …), the team's lead.
 */
export function generateBenchFleet(size: number, ignoreEvery: number | null = BENCH_IGNORE_EVERY, teams = false): WorkspaceSpec[] {
  if (!Number.isInteger(size) || size < 1 || size > BENCH_MAX_SIZE) throw new Error(`a bench fleet has 1 to ${BENCH_MAX_SIZE} workspaces, got ${size}`);
  const columns = Math.max(1, Math.ceil(Math.sqrt(size)));
  return Array.from({ length: size }, (_, index) => {
    const spec = benchWorkspace(index, columns, ignoreEvery);
    const lead = index - (index % BENCH_TEAM_SIZE);
    return teams && lead !== index ? { ...spec, parentId: `ws-bench-${pad(lead)}` } : spec;
  });
}

/**
 * `bench-N`: N light workspaces, 40% busy, 1 busy in 10 ignores the cancel.
 * `bench-N-drain`: the same, every busy one honours its cancel. Either with
 * `-teams` (`bench-1000-teams`, `bench-1000-drain-teams`): in teams of
 * BENCH_TEAM_SIZE, for pause/resume cascades. Undefined for any other name.
 */
export function benchFleetByName(name: string): WorkspaceSpec[] | undefined {
  const match = /^bench-(\d{1,5})(-drain)?(-teams)?$/.exec(name);
  if (!match) return undefined;
  const size = Number(match[1]);
  if (size < 1 || size > BENCH_MAX_SIZE) return undefined;
  return generateBenchFleet(size, match[2] ? null : BENCH_IGNORE_EVERY, match[3] !== undefined);
}
