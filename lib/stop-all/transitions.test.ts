import { describe, expect, it } from "vitest";
import type { RestartAnswer } from "./restart-request";
import { applyEvent, initialState } from "./transitions";
import type { CancelFinding, StopAllEvent, StopAllState } from "./types";
import { targetOf } from "./targets";

const T0 = 1_000;
const seeds = ["a", "b"].map((id) => ({ workspaceId: id, name: id, protocol: "1.0" as const }));
const start = () => initialState(seeds, T0, T0 + 8000);
const run = (state: StopAllState, ...events: StopAllEvent[]) => events.reduce(applyEvent, state);
const phaseOf = (state: StopAllState, id: string) => targetOf(state, id)?.phase;
const finding = (headline: CancelFinding["headline"]): CancelFinding => ({ idSource: "none", listing: { kind: "not-supported" }, cancels: [], headline });
const answered = (workspaceId: string, answer: RestartAnswer, at = T0 + 9000): StopAllEvent => ({ type: "restart-answered", workspaceId, at, answer });

describe("initialState", () => {
  it("starts every target cancelling, with the deadline", () => {
    const state = start();
    expect(state).toMatchObject({ phase: "cancelling", startedAt: T0, deadlineAt: T0 + 8000, deadlinePassed: false, order: ["a", "b"] });
    expect(phaseOf(state, "a")).toEqual({ kind: "cancelling" });
    expect(Object.isFrozen(state)).toBe(true);
  });

  it("an operation without targets is finished at once", () => {
    expect(initialState([], T0, T0 + 8000)).toMatchObject({ phase: "finished", finishedAt: T0 });
  });

  it("is safe to index with any id (no prototype)", () => {
    expect(targetOf(start(), "constructor")).toBeUndefined();
  });
});

describe("applyEvent: immutability", () => {
  it("returns the same object when nothing changes, a new one otherwise; untouched targets keep identity", () => {
    const state = start();
    expect(applyEvent(state, { type: "drained", workspaceId: "zzz", at: T0 })).toBe(state);
    const next = applyEvent(state, { type: "drained", workspaceId: "a", at: T0 + 5 });
    expect(next).not.toBe(state);
    expect(targetOf(next, "b")).toBe(targetOf(state, "b"));
    expect(targetOf(state, "a")?.phase).toEqual({ kind: "cancelling" });
    expect(applyEvent(next, { type: "drained", workspaceId: "a", at: T0 + 6 })).toBe(next);
  });
});

describe("applyEvent: target phases", () => {
  it("cancelling → watching when phase 1 ends; gone / restarting findings settle at once", () => {
    let state = run(start(), { type: "cancel-sent", workspaceId: "a", at: T0 + 1 }, { type: "cancel-finished", workspaceId: "a", at: T0 + 50, finding: finding({ kind: "no-task-id" }) });
    expect(phaseOf(state, "a")).toEqual({ kind: "watching" });
    expect(targetOf(state, "a")?.times).toEqual({ cancelSentAt: T0 + 1 });
    state = run(state, { type: "cancel-finished", workspaceId: "b", at: T0 + 60, finding: finding({ kind: "platform-restarting" }) });
    expect(phaseOf(state, "b")).toEqual({ kind: "settled", outcome: { kind: "platform-restarting", seenIn: "a2a-answer" } });
    const gone = run(start(), { type: "cancel-finished", workspaceId: "a", at: T0, finding: finding({ kind: "gone" }) });
    expect(phaseOf(gone, "a")).toEqual({ kind: "settled", outcome: { kind: "gone", seenIn: "a2a-answer" } });
  });

  it("drained, gone, platform-restarting and kept settle open targets only", () => {
    const restarting = run(start(), { type: "restart-queued", workspaceId: "a", at: T0, trigger: "operator" });
    for (const event of [
      { type: "drained", workspaceId: "a", at: T0 + 1 },
      { type: "gone", workspaceId: "a", at: T0 + 1, seenIn: "store" },
      { type: "platform-restarting", workspaceId: "a", at: T0 + 1, seenIn: "store" },
      { type: "kept", workspaceId: "a", at: T0 + 1 },
    ] as const) {
      expect(applyEvent(restarting, event)).toBe(restarting);
    }
    const drained = run(start(), { type: "drained", workspaceId: "a", at: T0 + 7 });
    expect(targetOf(drained, "a")).toMatchObject({ phase: { kind: "settled", outcome: { kind: "drained" } }, times: { drainedAt: T0 + 7, settledAt: T0 + 7 } });
  });

  it("never queues a restart for a drained, gone, platform-restarting, kept or restarted target", () => {
    const settledBy: StopAllEvent[] = [
      { type: "drained", workspaceId: "a", at: T0 },
      { type: "gone", workspaceId: "a", at: T0, seenIn: "store" },
      { type: "platform-restarting", workspaceId: "a", at: T0, seenIn: "a2a-answer" },
      { type: "kept", workspaceId: "a", at: T0 },
    ];
    for (const event of settledBy) {
      const settled = run(start(), event);
      for (const trigger of ["deadline", "operator", "retry"] as const) {
        expect(applyEvent(settled, { type: "restart-queued", workspaceId: "a", at: T0, trigger })).toBe(settled);
      }
    }
    const restarted = run(start(), { type: "restart-queued", workspaceId: "a", at: T0, trigger: "deadline" }, answered("a", { kind: "accepted", status: 200 }));
    expect(phaseOf(restarted, "a")).toEqual({ kind: "settled", outcome: { kind: "restarted", trigger: "deadline" } });
    for (const trigger of ["deadline", "operator", "retry"] as const) {
      expect(applyEvent(restarted, { type: "restart-queued", workspaceId: "a", at: T0, trigger })).toBe(restarted);
    }
  });

  it("a restart in flight cannot be queued again", () => {
    const state = run(start(), { type: "restart-queued", workspaceId: "a", at: T0, trigger: "operator" });
    expect(applyEvent(state, { type: "restart-queued", workspaceId: "a", at: T0, trigger: "deadline" })).toBe(state);
    expect(targetOf(state, "a")?.restartAttempts).toBe(1);
  });

  it.each([
    [{ kind: "accepted", status: 200 }, { kind: "restarted", trigger: "deadline" }],
    [{ kind: "gone" }, { kind: "gone", seenIn: "restart-answer" }],
    [{ kind: "platform-restarting" }, { kind: "platform-restarting", seenIn: "restart-answer" }],
    [{ kind: "failed", status: 409, message: "parent paused" }, { kind: "restart-failed", status: 409, message: "parent paused" }],
    [{ kind: "lost", reason: "timeout", message: "no answer" }, { kind: "unknown", reason: "timeout", message: "no answer" }],
  ] as const)("restart answer %# → its outcome", (answer, outcome) => {
    const state = run(start(), { type: "restart-queued", workspaceId: "a", at: T0 + 8000, trigger: "deadline" }, { type: "restart-sent", workspaceId: "a", at: T0 + 8001 }, answered("a", answer));
    expect(phaseOf(state, "a")).toEqual({ kind: "settled", outcome });
    expect(targetOf(state, "a")?.times).toMatchObject({ restartSentAt: T0 + 8001, restartAnsweredAt: T0 + 9000 });
  });

  it("a retry is allowed after restart-failed or unknown only", () => {
    const failed = run(start(), { type: "restart-queued", workspaceId: "a", at: T0, trigger: "operator" }, answered("a", { kind: "failed", status: 503, message: "x" }));
    const retried = applyEvent(failed, { type: "restart-queued", workspaceId: "a", at: T0 + 1, trigger: "retry" });
    expect(targetOf(retried, "a")).toMatchObject({ phase: { kind: "restarting", trigger: "retry" }, restartAttempts: 2 });
    expect(applyEvent(failed, { type: "restart-queued", workspaceId: "a", at: T0 + 1, trigger: "operator" })).toBe(failed);
    const lost = run(start(), { type: "restart-queued", workspaceId: "a", at: T0, trigger: "operator" }, answered("a", { kind: "lost", reason: "network", message: "x" }));
    expect(targetOf(applyEvent(lost, { type: "restart-queued", workspaceId: "a", at: T0 + 1, trigger: "retry" }), "a")?.phase.kind).toBe("restarting");
  });
});

describe("applyEvent: cancel answered at", () => {
  it("is the last real answer; aborted and timed-out cancels were never answered", () => {
    const cancels = [
      { taskId: "t1", result: { kind: "refused", code: -32001, refusal: "task-not-found", message: "", method: "CancelTask", version: "1.0" }, answeredAt: T0 + 40 },
      { taskId: "t2", result: { kind: "delivered", taskState: "canceled", method: "CancelTask", version: "1.0" }, answeredAt: T0 + 90 },
      { taskId: "t3", result: { kind: "aborted" }, answeredAt: T0 + 500 },
    ] as const;
    const answered = run(start(), { type: "cancel-finished", workspaceId: "a", at: T0 + 500, finding: { ...finding({ kind: "delivered", tasks: 1, of: 3 }), cancels } });
    expect(targetOf(answered, "a")?.times.cancelAnsweredAt).toBe(T0 + 90);
    const unanswered = run(start(), { type: "cancel-finished", workspaceId: "a", at: T0 + 500, finding: { ...finding({ kind: "aborted" }), cancels: [cancels[2]] } });
    expect(targetOf(unanswered, "a")?.times.cancelAnsweredAt).toBeUndefined();
  });
});

describe("applyEvent: a cancel that answers after its target settled", () => {
  it("records the finding and its answer time; the phase, the settle time and the operation's end stay as they were", () => {
    const delivered = { kind: "delivered", taskState: "canceled", method: "CancelTask", version: "1.0" } as const;
    const finished = run(start(), { type: "drained", workspaceId: "a", at: T0 + 500 }, { type: "kept", workspaceId: "b", at: T0 + 600 });
    expect(finished).toMatchObject({ phase: "finished", finishedAt: T0 + 600 });
    const late = run(finished, {
      type: "cancel-finished",
      workspaceId: "a",
      at: T0 + 3000,
      finding: { ...finding({ kind: "delivered", tasks: 1, of: 1 }), cancels: [{ taskId: "t1", result: delivered, answeredAt: T0 + 3000 }] },
    });
    expect(targetOf(late, "a")).toMatchObject({
      phase: { kind: "settled", outcome: { kind: "drained" } },
      finding: { headline: { kind: "delivered", tasks: 1, of: 1 } },
      times: { drainedAt: T0 + 500, settledAt: T0 + 500, cancelAnsweredAt: T0 + 3000 },
    });
    expect(late).toMatchObject({ phase: "finished", finishedAt: T0 + 600, counts: finished.counts });
  });
});

describe("applyEvent: operation phase", () => {
  it("cancelling → watching → restarting at the deadline → finished", () => {
    let state = start();
    state = run(state, { type: "cancel-finished", workspaceId: "a", at: T0 + 10, finding: finding({ kind: "no-task-id" }) });
    expect(state.phase).toBe("cancelling");
    state = run(state, { type: "cancel-finished", workspaceId: "b", at: T0 + 20, finding: finding({ kind: "no-task-id" }) });
    expect(state.phase).toBe("watching");
    state = run(state, { type: "deadline-passed", at: T0 + 8000 });
    expect(state).toMatchObject({ phase: "restarting", deadlinePassed: true, finishedAt: undefined });
    state = run(state, { type: "drained", workspaceId: "a", at: T0 + 8000 }, { type: "restart-queued", workspaceId: "b", at: T0 + 8000, trigger: "deadline" });
    expect(state.phase).toBe("restarting");
    state = run(state, answered("b", { kind: "failed", status: 500, message: "x" }, T0 + 8100));
    expect(state).toMatchObject({ phase: "finished", finishedAt: T0 + 8100 });
    state = run(state, { type: "restart-queued", workspaceId: "b", at: T0 + 20_000, trigger: "retry" });
    expect(state).toMatchObject({ phase: "restarting", finishedAt: undefined });
    state = run(state, answered("b", { kind: "accepted", status: 200 }, T0 + 20_100));
    expect(state).toMatchObject({ phase: "finished", finishedAt: T0 + 20_100 });
  });

  it("finishes early once every target is settled", () => {
    const state = run(start(), { type: "drained", workspaceId: "a", at: T0 + 300 }, { type: "kept", workspaceId: "b", at: T0 + 400 });
    expect(state).toMatchObject({ phase: "finished", finishedAt: T0 + 400, deadlinePassed: false });
  });

  it("is restarting once nothing is left to watch, even before the deadline", () => {
    const state = run(start(), { type: "drained", workspaceId: "a", at: T0 }, { type: "restart-queued", workspaceId: "b", at: T0 + 1, trigger: "operator" });
    expect(state.phase).toBe("restarting");
  });
});

describe("at scale", () => {
  const many = Array.from({ length: 300 }, (_, i) => ({ workspaceId: `ws-${i}`, name: `ws-${i}`, protocol: "1.0" as const }));
  const pick = <T,>(list: readonly T[], seed: number): T => list[seed % list.length]!;
  const events = (i: number): StopAllEvent => {
    const workspaceId = `ws-${(i * 7919) % many.length}`;
    const at = T0 + i;
    const kinds: StopAllEvent[] = [
      { type: "cancel-sent", workspaceId, at },
      { type: "cancel-finished", workspaceId, at, finding: finding({ kind: "no-task-id" }) },
      { type: "drained", workspaceId, at },
      { type: "kept", workspaceId, at },
      { type: "restart-queued", workspaceId, at, trigger: "operator" },
      { type: "restart-sent", workspaceId, at },
      answered(workspaceId, { kind: "accepted", status: 202 }, at),
      { type: "gone", workspaceId, at, seenIn: "store" },
    ];
    return pick(kinds, (i * 31) >> 2);
  };

  it("keeps the phase counts equal to the targets' phases after every event", () => {
    let state = initialState(many, T0, T0 + 8000);
    for (let i = 0; i < 3000; i++) {
      state = applyEvent(state, i === 1500 ? { type: "deadline-passed", at: T0 + i } : events(i));
      const counts = { cancelling: 0, watching: 0, restarting: 0, holding: 0, settled: 0 };
      for (const target of state.targets) counts[target.phase.kind]++;
      expect(state.counts).toEqual(counts);
    }
    expect(state.counts.settled).toBeGreaterThan(0);
  });

  it("a change replaces one target; every other target keeps its identity and place", () => {
    const before = initialState(many, T0, T0 + 8000);
    const after = applyEvent(before, { type: "drained", workspaceId: "ws-42", at: T0 + 1 });
    expect(after.order).toBe(before.order);
    expect(after.targets).not.toBe(before.targets);
    after.targets.forEach((target, i) => (i === 42 ? expect(target).not.toBe(before.targets[i]) : expect(target).toBe(before.targets[i])));
    expect(targetOf(after, "ws-42")?.phase).toEqual({ kind: "settled", outcome: { kind: "drained" } });
    expect(targetOf(after, "ws-300")).toBeUndefined();
  });
});
