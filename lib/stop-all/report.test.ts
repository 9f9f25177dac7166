import { describe, expect, it } from "vitest";
import { buildReport, summarize } from "./report";
import { describeFinding } from "./labels";
import { reply } from "../platform/testing/fake-platform";
import { stopAllHarness } from "./testing/harness";
import { workspace } from "../fleet/testing/workspaces";
import { initialState } from "./transitions";

async function twelveWorkspaces() {
  const ids = Array.from({ length: 12 }, (_, i) => `ws-${i + 1}`);
  const h = stopAllHarness(ids.map((id) => workspace(id, { protocol: "0.3" })), { deadlineMs: 2000 });
  h.fleet.setKnownTaskIds("ws-1", ["task-a"]);
  h.platform.onRestart("ws-12", reply.http(409, { error: "parent paused" }));
  await h.start();
  await h.advance(700);
  for (const id of ids.slice(0, 9)) h.fleet.set(id, { activeTasks: 0 });
  await h.advance(1300);
  await h.advance(100);
  return h;
}

describe("summarize", () => {
  it("says how many stopped, how long it took and how each ended", async () => {
    const h = await twelveWorkspaces();
    expect(summarize(h.state())).toBe("Stopped 12 workspaces in 2.0 s: 9 drained, 2 restarted, 1 restart failed");
  });

  it("while running, says what is still in progress", async () => {
    const h = stopAllHarness([workspace("a"), workspace("b")]);
    await h.start();
    h.fleet.set("a", { activeTasks: 0 });
    expect(summarize(h.state())).toBe("Stopping 2 workspaces: 1 drained, 1 in progress");
  });

  it("an empty operation says there was nothing to stop", () => {
    expect(summarize(initialState([], 0, 8000))).toBe("Nothing to stop: no workspace was busy");
  });

  it("uses the singular for one workspace", async () => {
    const h = stopAllHarness([workspace("only")]);
    await h.start();
    await h.advance(1234);
    h.fleet.set("only", { activeTasks: 0 });
    expect(summarize(h.state())).toBe("Stopped 1 workspace in 1.2 s: 1 drained");
  });

  it("names every outcome kind", async () => {
    const h = stopAllHarness(["d", "k", "g", "p", "f", "u", "r"].map((id) => workspace(id)));
    h.platform.onRestart("g", reply.http(404));
    h.platform.onRestart("p", reply.http(503, { restarting: true }));
    h.platform.onRestart("f", reply.http(500));
    h.platform.onRestart("u", reply.network());
    const op = await h.start();
    h.fleet.set("d", { activeTasks: 0 });
    op.keep("k");
    await h.advance(1500);
    await h.advance(8000);
    expect(summarize(h.state())).toBe(
      "Stopped 7 workspaces in 8.0 s: 1 drained, 1 restarted, 1 already restarting, 1 gone, 1 restart failed, 1 kept, 1 restart answer lost",
    );
  });
});

describe("buildReport", () => {
  it("is plain JSON with times relative to the click", async () => {
    const h = await twelveWorkspaces();
    const report = buildReport(h.state());
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report).toMatchObject({
      deadlineMs: 2000,
      phase: "finished",
      durationMs: 2000,
      counts: { drained: 9, restarted: 2, "restart-failed": 1, pending: 0 },
      summary: "Stopped 12 workspaces in 2.0 s: 9 drained, 2 restarted, 1 restart failed",
    });
    expect(report.startedAt).toBe(new Date(h.state().startedAt).toISOString());
    expect(report.targets[0]).toMatchObject({
      workspaceId: "ws-1",
      outcome: { kind: "drained" },
      outcomeText: "drained",
      finding: { idSource: "known-ids", text: "cancel delivered for 1 task", cancels: [{ taskId: "task-a", answeredMs: 0 }] },
      times: { cancelSentAt: 0, cancelAnsweredAt: 0, drainedAt: 700, restartSentAt: null, settledAt: 700 },
    });
    expect(report.targets[11]).toMatchObject({
      workspaceId: "ws-12",
      outcome: { kind: "restart-failed", status: 409 },
      outcomeText: "restart failed (HTTP 409): parent paused",
      finding: { idSource: "none", text: "no task id found: no cancel sent" },
      times: { restartSentAt: 2000, restartAnsweredAt: 2000 },
    });
  });
});

describe("buildReport of a server-owned operation", () => {
  it("carries who started it, why, what was left out and each override with its actor; a page's own has none of it", () => {
    const state = initialState([{ workspaceId: "ws-1", name: "one", protocol: "1.0" }], 1_700_000_000_000, 1_700_000_008_000);
    const report = buildReport(state, {
      id: "op-7",
      actor: "ada@example.com",
      reason: "agents looping on billing",
      leftOut: [{ workspaceId: "ws-2", why: "idle now (0 active tasks)" }],
      actions: [{ at: 1_700_000_001_000, actor: "bob@example.com", action: "keep", workspaceId: "ws-1" }],
    });
    expect(report.operation).toEqual({
      id: "op-7",
      actor: "ada@example.com",
      reason: "agents looping on billing",
      leftOut: [{ workspaceId: "ws-2", why: "idle now (0 active tasks)" }],
      actions: [{ at: "2023-11-14T22:13:21.000Z", actor: "bob@example.com", action: "keep", workspaceId: "ws-1" }],
    });
    expect(buildReport(state)).not.toHaveProperty("operation");
  });
});

describe("describeFinding", () => {
  it.each([
    [{ kind: "delivered", tasks: 2, of: 3 }, "cancel delivered for 2 of 3 tasks"],
    [{ kind: "refused", code: -32001, refusal: "task-not-found", message: "", method: "CancelTask", version: "1.0" }, "cancel refused (-32001, task not found)"],
    [{ kind: "unreachable", status: 502 }, "agent unreachable (502)"],
    [{ kind: "queued-poll" }, "queued for a polling agent: not delivered yet"],
  ] as const)("%j", (headline, text) => {
    expect(describeFinding(headline)).toBe(text);
  });
});
