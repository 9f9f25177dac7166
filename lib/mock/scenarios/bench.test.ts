import { describe, expect, it } from "vitest";
import { parseWorkspaceRows } from "../../platform/parse-rows";
import { isStopTarget } from "../../platform/workspace";
import { FakeClock } from "../../time/fake-clock";
import { createFleetSimulation } from "../sim/fleet-simulation";
import { BENCH_DRAIN_MS, BENCH_IGNORE_EVERY, benchScenario } from "./bench";
import { scenarios } from "./index";

const targetsOf = (name: string) => {
  const sim = createFleetSimulation({ scenario: scenarios[name]!, clock: new FakeClock() });
  const parsed = parseWorkspaceRows(sim.listRows());
  return { sim, parsed, targets: parsed.workspaces.filter(isStopTarget) };
};

describe("bench scenarios", () => {
  it.each([
    ["bench-1000", 1000],
    ["bench-5000", 5000],
  ] as const)("%s: %i workspaces, 40%% busy, zero latency, 1 busy in 10 ignores the cancel", (name, size) => {
    const { sim, parsed, targets } = targetsOf(name);
    expect(parsed.workspaces).toHaveLength(size);
    expect(parsed.warnings).toEqual([]);
    expect(targets).toHaveLength(size * 0.4);
    expect(sim.latencyMs).toBe(0);
    const kinds = targets.map((ws) => sim.behaviourOf(ws.id)!.cancel.kind);
    expect(kinds.filter((kind) => kind === "ignore")).toHaveLength(targets.length / BENCH_IGNORE_EVERY);
    expect(kinds.filter((kind) => kind === "honour")).toHaveLength(targets.length - targets.length / BENCH_IGNORE_EVERY);
  });

  it("the -drain variants have no workspace that ignores a cancel; drains fall in the stated window", () => {
    const { sim, targets } = targetsOf("bench-1000-drain");
    expect(targets).toHaveLength(400);
    for (const ws of targets) {
      const cancel = sim.behaviourOf(ws.id)!.cancel;
      expect(cancel.kind).toBe("honour");
      if (cancel.kind === "honour") {
        expect(cancel.drainAfterMs).toBeGreaterThanOrEqual(BENCH_DRAIN_MS[0]);
        expect(cancel.drainAfterMs).toBeLessThanOrEqual(BENCH_DRAIN_MS[1]);
      }
    }
  });

  it("busy agents speak A2A 0.3 (one cancel request per target) and report no progress on their own", () => {
    const { sim, targets } = targetsOf("bench-1000");
    for (const ws of targets) {
      expect(ws.protocol).toBe("0.3");
      expect(sim.behaviourOf(ws.id)!.progressEveryMs).toBeNull();
    }
  });

  it("names say what each workspace does", () => {
    const { targets } = targetsOf("bench-1000");
    for (const ws of targets) expect(ws.name).toMatch(/^(ignores-cancel|drains-at-\d+ms)-\d{4}$/);
  });

  it("generates its fleet once, on first use", () => {
    const scenario = benchScenario(1000, "drain");
    expect(scenario.workspaces).toBe(scenario.workspaces);
  });
});
