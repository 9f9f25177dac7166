import { describe, expect, it } from "vitest";
import { parseWorkspaceRows } from "../../platform/parse-rows";
import { isStopTarget } from "../../platform/workspace";
import { FakeClock } from "../../time/fake-clock";
import { createFleetSimulation, type FleetSimulation } from "../sim/fleet-simulation";
import { rpc } from "../sim/testing/harness";
import { scenarios } from "./index";

type Outcome = "drained" | "restarted" | "platform-restarting" | "gone" | "restart-failed";

const NAMES = { "1.0": { cancel: "CancelTask" }, "0.3": { cancel: "tasks/cancel" } } as const;
const notDelivered = (code: unknown) => code === -32601 || code === -32009;

/** Task ids a canvas would know for a workspace: ListTasks where it works, else ids seen in events. */
function findTaskIds(sim: FleetSimulation, id: string, protocol: string, seen: Map<string, Set<string>>, flags: Map<string, string>): string[] {
  if (protocol === "1.0") {
    const answer = sim.handleA2A(id, rpc("ListTasks", {}));
    if (answer.status === 404) flags.set(id, "gone");
    if (answer.status === 503 && (answer.body as { restarting?: boolean })?.restarting) flags.set(id, "platform-restarting");
    const body = answer.body as { result?: { tasks: { id: string; status: { state: string } }[] } } | undefined;
    if (answer.status === 200 && body?.result) {
      return body.result.tasks.filter((t) => ["TASK_STATE_WORKING", "TASK_STATE_SUBMITTED", "TASK_STATE_INPUT_REQUIRED", "TASK_STATE_AUTH_REQUIRED"].includes(t.status.state)).map((t) => t.id);
    }
  }
  return [...(seen.get(id) ?? [])];
}

/** A compact Stop All per STOP_ALL.md, to check the scenario yields every outcome it promises. */
async function stopAll(name: string, learnIdsForMs: number): Promise<Record<string, Outcome>> {
  const clock = new FakeClock();
  const sim = createFleetSimulation({ scenario: scenarios[name]!, clock });
  const seen = new Map<string, Set<string>>();
  sim.subscribe((m) => {
    if (typeof m.payload.task_id === "string") seen.set(m.workspace_id, (seen.get(m.workspace_id) ?? new Set()).add(m.payload.task_id));
  });
  await clock.advance(learnIdsForMs);
  const targets = parseWorkspaceRows(sim.listRows()).workspaces.filter(isStopTarget);
  const flags = new Map<string, string>();
  for (const ws of targets) {
    const protocol = ws.protocol === "1.0" ? "1.0" : "0.3";
    for (const taskId of findTaskIds(sim, ws.id, protocol, seen, flags)) {
      const first = sim.handleA2A(ws.id, rpc(NAMES[protocol].cancel, { id: taskId }));
      const code = (first.body as { error?: { code: number } } | undefined)?.error?.code;
      if (notDelivered(code)) sim.handleA2A(ws.id, rpc(NAMES[protocol === "1.0" ? "0.3" : "1.0"].cancel, { id: taskId }));
    }
  }
  const outcomes: Record<string, Outcome> = {};
  for (let t = 0; t < 8000; t += 100) {
    await clock.advance(100);
    const rows = new Map(parseWorkspaceRows(sim.listRows()).workspaces.map((w) => [w.id, w]));
    for (const ws of targets) {
      if (outcomes[ws.id]) continue;
      const row = rows.get(ws.id);
      if (!row || flags.get(ws.id) === "gone") outcomes[ws.id] = "gone";
      else if (flags.get(ws.id) === "platform-restarting") continue;
      else if (row.activeTasks === 0) outcomes[ws.id] = "drained";
    }
  }
  for (const ws of targets) {
    if (outcomes[ws.id]) continue;
    if (flags.get(ws.id) === "platform-restarting") {
      outcomes[ws.id] = "platform-restarting";
      continue;
    }
    const answer = sim.handleRestart(ws.id);
    outcomes[ws.id] = answer.status === 200 ? "restarted" : answer.status === 404 ? "gone" : "restart-failed";
  }
  return outcomes;
}

describe("a Stop All on the scenarios", () => {
  it("mixed yields drained, restarted, platform-restarting, gone and restart-failed", async () => {
    const outcomes = await stopAll("mixed", 2100);
    expect(outcomes).toMatchObject({
      "ws-drains-at-1s": "drained",
      "ws-a2a-0-3-drains-at-1s": "drained",
      "ws-card-1-0-answers-0-3": "drained",
      "ws-poll-mode": "restarted",
      "ws-answers-202-queued": "restarted",
      "ws-answers-503-busy": "restarted",
      "ws-answers-503-busy-no-retry-after": "restarted",
      "ws-answers-503-restarting": "platform-restarting",
      "ws-answers-503-platform-unavailable": "restarted",
      "ws-answers-502": "restarted",
      "ws-answers-404": "gone",
      "ws-removed-mid-stop": "gone",
      "ws-ignores-cancel": "restarted",
      "ws-restart-fails-500": "restart-failed",
    });
    for (const status of [400, 401, 403, 409, 429, 500, 504, 520, 521, 522, 523, 524]) expect(outcomes[`ws-answers-${status}`]).toBe("restarted");
    expect(Object.keys(outcomes)).not.toContain("ws-hibernated-stale-tasks");
    expect(Object.keys(outcomes)).toHaveLength(26);
  });

  it("stuck: two drained, the stuck one restarted", async () => {
    expect(await stopAll("stuck", 0)).toEqual({ "ws-ignores-cancel": "restarted", "ws-drains-at-1s": "drained", "ws-drains-at-2s": "drained" });
  });

  it("slow-drain: both drained, nothing restarted", async () => {
    expect(await stopAll("slow-drain", 0)).toEqual({ "ws-drains-at-7500ms": "drained", "ws-drains-at-1s": "drained" });
  });

  it("hold-faults (a plain stop, no hold): the one that ignores the cancel restarted, the rest drained", async () => {
    expect(await stopAll("hold-faults", 0)).toEqual({
      "ws-lead-drains": "drained",
      "ws-member-drains": "drained",
      "ws-member-ignores-cancel": "restarted",
      "ws-member-under-idle-lead": "drained",
      "ws-pause-fails-once": "drained",
      "ws-drains-at-1s": "drained",
    });
  });

  it("default (before any chatter): the four busy ones drained", async () => {
    expect(Object.values(await stopAll("default", 1000))).toEqual(["drained", "drained", "drained", "drained"]);
  });

  it("large: all 400 drained", async () => {
    const outcomes = Object.values(await stopAll("large", 0));
    expect(outcomes).toHaveLength(400);
    expect(new Set(outcomes)).toEqual(new Set(["drained"]));
  });
});
