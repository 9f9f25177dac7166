import { describe, expect, it } from "vitest";
import { isValidWorkspaceId } from "../../platform/ids";
import { parseWorkspaceRows } from "../../platform/parse-rows";
import { isStopTarget } from "../../platform/workspace";
import { FakeClock } from "../../time/fake-clock";
import { createFleetSimulation } from "../sim/fleet-simulation";
import { DEFAULT_SCENARIO, resolveScenario, scenarioNames, scenarios } from "./index";

const build = (name: string) => {
  const sim = createFleetSimulation({ scenario: scenarios[name]!, clock: new FakeClock() });
  const parsed = parseWorkspaceRows(sim.listRows());
  return { sim, parsed, targets: parsed.workspaces.filter(isStopTarget) };
};

describe("scenarios", () => {
  it.each(scenarioNames)("%s builds: valid unique ids, parents present, positions set", (name) => {
    const scenario = scenarios[name]!;
    const ids = scenario.workspaces.map((ws) => ws.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ws of scenario.workspaces) {
      expect(isValidWorkspaceId(ws.id), ws.id).toBe(true);
      if (ws.parentId) expect(ids).toContain(ws.parentId);
      expect(Number.isFinite(ws.x) && Number.isFinite(ws.y)).toBe(true);
    }
    const { parsed } = build(name);
    expect(parsed.workspaces).toHaveLength(scenario.workspaces.length + (name === "hostile" ? 6 : 0));
  });

  it("no two workspaces of a scenario share a canvas position", () => {
    for (const name of scenarioNames) {
      const spots = scenarios[name]!.workspaces.map((ws) => `${ws.x},${ws.y}`);
      expect(new Set(spots).size, name).toBe(spots.length);
    }
  });

  it("default: a dozen workspaces in three teams, busy ones drain within 2 s", () => {
    const { parsed, targets, sim } = build("default");
    expect(parsed.workspaces).toHaveLength(12);
    expect(new Set(parsed.workspaces.map((ws) => ws.parentId).filter(Boolean)).size).toBe(3);
    expect(targets.map((ws) => ws.id).sort()).toEqual(["ws-drains-at-1500ms", "ws-drains-at-1s", "ws-drains-at-2s", "ws-drains-at-500ms"]);
    for (const ws of targets) {
      const cancel = sim.behaviourOf(ws.id)!.cancel;
      expect(cancel.kind === "honour" && cancel.drainAfterMs <= 2000).toBe(true);
    }
  });

  it("stuck: one ignores the cancel, the others drain", () => {
    const { targets, sim } = build("stuck");
    const kinds = Object.fromEntries(targets.map((ws) => [ws.id, sim.behaviourOf(ws.id)!.cancel.kind]));
    expect(kinds).toEqual({ "ws-ignores-cancel": "ignore", "ws-drains-at-1s": "honour", "ws-drains-at-2s": "honour" });
  });

  it("slow-drain: drains 7.5 s after the cancel", () => {
    expect(build("slow-drain").sim.behaviourOf("ws-drains-at-7500ms")!.cancel).toEqual({ kind: "honour", drainAfterMs: 7500 });
  });

  it("hold-faults: six busy targets; the lead's pause takes its three members; one pause fails once; resume goes top-down", async () => {
    const { targets, sim } = build("hold-faults");
    expect(targets.map((ws) => ws.id).sort()).toEqual([
      "ws-drains-at-1s",
      "ws-lead-drains",
      "ws-member-drains",
      "ws-member-ignores-cancel",
      "ws-member-under-idle-lead",
      "ws-pause-fails-once",
    ]);
    expect(sim.behaviourOf("ws-member-ignores-cancel")!.cancel.kind).toBe("ignore");
    expect(sim.handlePause("ws-pause-fails-once")).toMatchObject({ status: 500 });
    expect(sim.handlePause("ws-pause-fails-once")).toMatchObject({ status: 200, body: { paused_count: 1 } });
    expect(sim.handlePause("ws-member-drains")).toMatchObject({ status: 200, body: { paused_count: 1 } });
    expect(sim.handlePause("ws-lead-drains")).toMatchObject({ status: 200, body: { paused_count: 3 } });
    expect(sim.handlePause("ws-member-idle")).toMatchObject({ status: 404, body: { error: "workspace not found or already paused" } });
    expect(sim.handleResume("ws-member-drains")).toMatchObject({ status: 409, body: { error: 'parent workspace "lead-drains" is paused — resume it first' } });
    expect(sim.handleResume("ws-lead-drains")).toMatchObject({ status: 200, body: { resumed_count: 4 } });
    expect(sim.handlePause("ws-member-under-idle-lead")).toMatchObject({ status: 200, body: { paused_count: 1 } });
    expect(sim.handleResume("ws-member-under-idle-lead")).toMatchObject({ status: 200, body: { resumed_count: 1 } });
  });

  it("platform-down: GET /workspaces fails until the platform is up", () => {
    const { sim } = build("platform-down");
    expect(sim.answerListWorkspaces().status).toBe(503);
    sim.setPlatformDown(false);
    expect(sim.answerListWorkspaces().status).toBe(200);
  });

  it("no-live-events: stream unavailable, rows still change over time", async () => {
    const clock = new FakeClock();
    const sim = createFleetSimulation({ scenario: scenarios["no-live-events"]!, clock });
    expect(sim.eventStream.isAvailable()).toBe(false);
    const before = JSON.stringify(sim.listRows().map((row) => (row as { active_tasks: number }).active_tasks));
    const seen = new Set<string>([before]);
    for (let i = 0; i < 20; i++) {
      await clock.advance(1000);
      seen.add(JSON.stringify(sim.listRows().map((row) => (row as { active_tasks: number }).active_tasks)));
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it("large: 1,000 workspaces on a grid, 400 busy", () => {
    const { parsed, targets } = build("large");
    expect(parsed.workspaces).toHaveLength(1000);
    expect(targets).toHaveLength(400);
    expect(parsed.warnings).toEqual([]);
  });

  it("large: ten simulated minutes send one heartbeat per workspace every 30 s", async () => {
    const clock = new FakeClock();
    const sim = createFleetSimulation({ scenario: scenarios.large!, clock });
    let events = 0;
    sim.subscribe(() => events++);
    await clock.advance(600_000);
    expect(events).toBe(20_000);
  });

  it("empty: no rows", () => {
    expect(build("empty").sim.listRows()).toEqual([]);
  });

  it("hostile: hostile names survive as text, malformed rows are dropped with warnings", () => {
    const { parsed } = build("hostile");
    const names = parsed.workspaces.map((ws) => ws.name);
    expect(names).toContain("<img src=x onerror=alert(1)>");
    expect(names.some((name) => name.includes("<script>"))).toBe(true);
    expect(parsed.warnings.length).toBeGreaterThanOrEqual(12);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("unknown names fall back to default and say so", () => {
    expect(resolveScenario(undefined)).toEqual({ scenario: scenarios[DEFAULT_SCENARIO] });
    expect(resolveScenario("stuck").scenario.name).toBe("stuck");
    const fallback = resolveScenario("nope");
    expect(fallback.scenario.name).toBe("default");
    expect(fallback.error).toMatch(/Unknown scenario "nope"/);
    expect(resolveScenario("__proto__").scenario.name).toBe("default");
  });
});
