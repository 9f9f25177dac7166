import { BENCH_MAX_SIZE, BENCH_TEAM_SIZE, benchFleetByName } from "./bench-fleet";
import type { WorkspaceSpec } from "./workspace";

/** Thrown for a fleet that cannot be loaded; its message says what is wrong. */
export class FleetError extends Error {}

/**
 * A team tree for a fleet definition: `lead` first, then each member with
 * `parentId` set to the lead. A member given as an array (another `team`'s
 * result) is a sub-team: its lead reports to this lead, its members keep
 * theirs. Positions stay the specs' own (absolute).
 *
 *   team(lead, [memberA, memberB, team(subLead, [memberC])])
 *   // → lead, memberA (parent lead), memberB (parent lead), subLead (parent lead), memberC (parent subLead)
 */
export function team(lead: WorkspaceSpec, members: (WorkspaceSpec | WorkspaceSpec[])[]): WorkspaceSpec[] {
  const placed: WorkspaceSpec[] = [lead];
  for (const member of members) {
    if (!Array.isArray(member)) placed.push({ ...member, parentId: lead.id });
    else if (member.length > 0) placed.push({ ...member[0]!, parentId: lead.id }, ...member.slice(1));
  }
  return placed;
}

/**
 * Throws FleetError unless every id is unique and every `parentId` names
 * another workspace of the fleet with no cycle through the leads.
 */
export function checkFleet(specs: readonly WorkspaceSpec[], name: string): void {
  const byId = new Map<string, WorkspaceSpec>();
  for (const spec of specs) {
    if (byId.has(spec.id)) throw new FleetError(`fleet ${name} has duplicate workspace id ${JSON.stringify(spec.id)}`);
    byId.set(spec.id, spec);
  }
  for (const spec of specs) {
    if (spec.parentId === undefined) continue;
    if (!byId.has(spec.parentId)) throw new FleetError(`fleet ${name}: ${JSON.stringify(spec.id)} has parentId ${JSON.stringify(spec.parentId)}, which is no workspace of the fleet`);
    const seen = new Set([spec.id]);
    for (let up = byId.get(spec.parentId); up; up = up.parentId === undefined ? undefined : byId.get(up.parentId)) {
      if (seen.has(up.id)) throw new FleetError(`fleet ${name}: the leads of ${JSON.stringify(spec.id)} form a cycle through ${JSON.stringify(up.id)}`);
      seen.add(up.id);
    }
  }
}

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

/**
 * The e2e fleet and one team tree below it (`PLATFORM_FLEET=e2e-teams`),
 * for pause/resume specs: a busy lead with a busy member, an idle member
 * and a sub-team (its lead and one busy member), all A2A 1.0 SDK agents.
 */
export const LIVE_TEAMS_FLEET: WorkspaceSpec[] = [
  ...LIVE_E2E_FLEET,
  ...team({ id: "lead-v1", name: "Release lead", role: "leads the release", version: "1.0", status: "online", tasks: ["plan the release"], x: 320, y: 440 }, [
    { id: "member-v1", name: "Release builder", role: "builds", version: "1.0", status: "online", tasks: ["build the release"], x: 0, y: 610 },
    { id: "member-idle-v1", name: "Release notes", role: "writes", version: "1.0", status: "online", tasks: [], x: 320, y: 610 },
    team({ id: "sublead-v1", name: "QA lead", role: "leads QA", version: "1.0", status: "online", tasks: [], x: 640, y: 610 }, [
      { id: "submember-v1", name: "QA tester", role: "tests", version: "1.0", status: "online", tasks: ["test the release"], x: 640, y: 780 },
    ]),
  ]),
];

/** The hand-written fleets, by name. */
export const FLEETS: Record<string, WorkspaceSpec[]> = { default: DEFAULT_FLEET, e2e: LIVE_E2E_FLEET, "e2e-teams": LIVE_TEAMS_FLEET };

/** Every name `fleetByName` knows, for error messages. */
export const FLEET_NAMES = [
  ...Object.keys(FLEETS),
  "bench-1000",
  "bench-5000",
  "bench-1000-drain",
  "bench-5000-drain",
  `bench-<N>[-drain][-teams] (N up to ${BENCH_MAX_SIZE}; -teams: teams of ${BENCH_TEAM_SIZE})`,
];

/**
 * The fleet a name selects (PLATFORM_FLEET, `POST /_test/fleet`): a
 * hand-written one of FLEETS or a generated bench fleet (bench-fleet.ts:
 * `bench-1000`, `bench-5000`, any `bench-N`, `-drain` variants in which
 * no agent ignores its cancel, `-teams` variants in teams). A fresh array
 * each call; undefined for an unknown name.
 */
export function fleetByName(name: string): WorkspaceSpec[] | undefined {
  return Object.hasOwn(FLEETS, name) ? [...FLEETS[name]!] : benchFleetByName(name);
}

const SPEC_KEYS = new Set(["id", "name", "role", "version", "status", "parentId", "tasks", "cancel", "agent", "x", "y"]);
const SPEC_SHAPE =
  '{"id": string, "name"?: string, "role"?: string, "version"?: "1.0" | "0.3", "status"?: "online" | "hibernated" | "paused" | "removed", "parentId"?: string, "tasks"?: string[], "cancel"?: "honour" | "ignore", "agent"?: "sdk" | "light", "x"?: number, "y"?: number}';

function oneOf<T extends string>(where: string, key: string, value: unknown, allowed: readonly T[], fallback: T | undefined): T | undefined {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new FleetError(`${where}.${key} must be one of ${allowed.map((item) => JSON.stringify(item)).join(", ")}, got ${JSON.stringify(value)}`);
}

/**
 * A fleet a spec sends as JSON (`POST /_test/fleet` `{"workspaces": […]}`):
 * each item a WorkspaceSpec whose fields but `id` may be left out (name: the
 * id; role `worker`; version `1.0`; status `online`; no tasks; an SDK agent;
 * x, y on a grid of 4 columns). `parentId` makes team trees. Throws
 * FleetError naming the first item it cannot use.
 */
export function parseFleetSpecs(value: unknown): WorkspaceSpec[] {
  if (!Array.isArray(value) || value.length === 0) throw new FleetError(`workspaces must be a non-empty array of ${SPEC_SHAPE}`);
  if (value.length > BENCH_MAX_SIZE) throw new FleetError(`a fleet has at most ${BENCH_MAX_SIZE} workspaces, got ${value.length}`);
  const specs = value.map((item: unknown, index): WorkspaceSpec => {
    const where = `workspaces[${index}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) throw new FleetError(`${where} must be an object ${SPEC_SHAPE}`);
    const raw = item as Record<string, unknown>;
    const extra = Object.keys(raw).find((key) => !SPEC_KEYS.has(key));
    if (extra !== undefined) throw new FleetError(`${where} has unknown key ${JSON.stringify(extra)}; an item is ${SPEC_SHAPE}`);
    const text = (key: string, fallback?: string): string | undefined => {
      const field = raw[key];
      if (field === undefined) return fallback;
      if (typeof field !== "string" || field === "") throw new FleetError(`${where}.${key} must be a non-empty string, got ${JSON.stringify(field)}`);
      return field;
    };
    const place = (key: string, fallback: number): number => {
      const field = raw[key] ?? fallback;
      if (typeof field !== "number" || !Number.isFinite(field)) throw new FleetError(`${where}.${key} must be a number, got ${JSON.stringify(field)}`);
      return field;
    };
    const id = text("id");
    if (id === undefined) throw new FleetError(`${where} needs an id`);
    const tasks = raw.tasks ?? [];
    if (!Array.isArray(tasks) || !tasks.every((task) => typeof task === "string")) throw new FleetError(`${where}.tasks must be an array of strings, got ${JSON.stringify(raw.tasks)}`);
    const spec: WorkspaceSpec = {
      id,
      name: text("name", id)!,
      role: text("role", "worker")!,
      version: oneOf(where, "version", raw.version, ["1.0", "0.3"] as const, "1.0")!,
      status: oneOf(where, "status", raw.status, ["online", "hibernated", "paused", "removed"] as const, "online")!,
      tasks: tasks as string[],
      x: place("x", (index % 4) * 320),
      y: place("y", Math.floor(index / 4) * 220),
    };
    const parentId = text("parentId");
    if (parentId !== undefined) spec.parentId = parentId;
    const cancel = oneOf(where, "cancel", raw.cancel, ["honour", "ignore"] as const, undefined);
    if (cancel !== undefined) spec.cancel = cancel;
    const agent = oneOf(where, "agent", raw.agent, ["sdk", "light"] as const, undefined);
    if (agent !== undefined) spec.agent = agent;
    return spec;
  });
  checkFleet(specs, "custom");
  return specs;
}
