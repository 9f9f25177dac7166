/**
 * A whole Stop All against real @a2a-js/sdk 1.3.0 agents, through the app's
 * own platform client and the platform stand-in of lib/a2a/testing/sdk-agents.ts.
 * Real timers here only.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSdkAgents, type SdkAgents } from "../a2a/testing/sdk-agents";
import { FakeFleet } from "../fleet/testing/fake-fleet";
import { workspace } from "../fleet/testing/workspaces";
import { systemClock } from "../time/clock";
import { startStopAll } from "./orchestrator";
import { targetOf } from "./targets";

let sdk: SdkAgents;

beforeAll(async () => {
  // The SDK logs every JSON-RPC error it sends (the compat agent's -32601 on CancelTask, for one).
  vi.spyOn(console, "error").mockImplementation(() => {});
  sdk = await startSdkAgents(fetch);
});

afterAll(async () => {
  await sdk?.close();
  vi.restoreAllMocks();
});

describe("Stop All against @a2a-js/sdk 1.3.0 agents through the platform client", () => {
  it("a whole Stop All over the real wire: cancels delivered, restarts at the deadline", async () => {
    const v1Task = await sdk.startTask(sdk.agents.v1);
    const compatTask = await sdk.startTask(sdk.agents.compat);
    const targets = [workspace("v1-as-target", { protocol: "1.0" }), workspace("compat-as-target", { protocol: "1.0" })];
    const fleet = new FakeFleet({ "v1-as-target": { activeTasks: 1, status: "online" }, "compat-as-target": { activeTasks: 1, status: "online" } });
    fleet.setKnownTaskIds("compat-as-target", [compatTask]);
    const operation = startStopAll({ targets, client: sdk.platform, fleet, clock: systemClock, options: { deadlineMs: 600 } });
    await vi.waitFor(() => expect(operation.getState().phase).toBe("finished"), { timeout: 5000, interval: 20 });
    const state = operation.getState();
    expect(targetOf(state, "v1-as-target")?.finding).toMatchObject({ idSource: "list-tasks", headline: { kind: "delivered", tasks: 1 } });
    expect(targetOf(state, "v1-as-target")?.finding?.cancels.map((cancel) => cancel.taskId)).toEqual([v1Task]);
    expect(targetOf(state, "compat-as-target")?.finding).toMatchObject({ idSource: "known-ids", headline: { kind: "delivered", tasks: 1 } });
    // The store never showed a drain, so both were restarted at the deadline.
    expect(targetOf(state, "v1-as-target")?.phase).toEqual({ kind: "settled", outcome: { kind: "restarted", trigger: "deadline" } });
    expect(targetOf(state, "compat-as-target")?.phase).toEqual({ kind: "settled", outcome: { kind: "restarted", trigger: "deadline" } });
  });
});
