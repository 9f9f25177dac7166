import { describe, expect, it } from "vitest";
import { workspace } from "../fleet/testing/workspaces";
import { reply, type FakeHandler } from "../platform/testing/fake-platform";
import type { Workspace } from "../platform/workspace";
import type { RestartClaim } from "./restart-request";
import { stopAllHarness } from "./testing/harness";
import { describeOutcome } from "./labels";
import { summarize } from "./report";
import { applyEvent, initialState } from "./transitions";

type Harness = ReturnType<typeof stopAllHarness>;

/**
 * A pause as the platform does it: the workspace and every descendant (by
 * `parents`) not already paused turn paused in the store, and the answer
 * counts them.
 */
function cascadingPause(h: Harness, parents: Record<string, string>): FakeHandler {
  return (request) => {
    const paused = [request.workspaceId];
    for (let i = 0; i < paused.length; i++) {
      for (const [child, parent] of Object.entries(parents)) if (parent === paused[i] && h.fleet.get(child)?.status !== "paused") paused.push(child);
    }
    for (const id of paused) h.fleet.set(id, { status: "paused", activeTasks: 0 });
    return { status: 200, json: { status: "paused", paused_count: paused.length } };
  };
}

function holdHarness(workspaces: Workspace[], parents: Record<string, string> = {}, extra: Parameters<typeof stopAllHarness>[2] = {}) {
  const h = stopAllHarness(workspaces, {}, { mode: "hold", ...extra });
  for (const ws of workspaces) h.platform.onPause(ws.id, cascadingPause(h, parents));
  return h;
}

const team = () => [workspace("lead"), workspace("member", { parentId: "lead" })];
const TEAM = { member: "lead" };

describe("stop and hold: pauses instead of restarts", () => {
  it("pauses a target once it drained (held), and one that did not at the deadline (held-forced); never a restart", async () => {
    const h = holdHarness([workspace("drains"), workspace("stuck")]);
    await h.start();
    expect(h.pauses()).toEqual([]);
    await h.advance(1000);
    h.fleet.set("drains", { activeTasks: 0 });
    await h.settle();
    expect(h.pauses().map((request) => [request.workspaceId, request.at - h.state().startedAt])).toEqual([["drains", 1000]]);
    expect(h.outcome("drains")).toEqual({ kind: "held", pause: { kind: "paused", count: 1 } });
    expect(h.phase("stuck")?.kind).toBe("watching");
    await h.advance(7000);
    expect(h.pauses("stuck").map((request) => request.at - h.state().startedAt)).toEqual([8000]);
    expect(h.outcome("stuck")).toEqual({ kind: "held-forced", trigger: "deadline", pause: { kind: "paused", count: 1 } });
    expect(h.restarts()).toEqual([]);
    expect(h.state().phase).toBe("finished");
    expect(h.state().targets.find((t) => t.workspaceId === "drains")?.times).toMatchObject({ drainedAt: h.state().startedAt + 1000, pauseSentAt: h.state().startedAt + 1000 });
  });

  it("a drained lead waits for its members to drain (its pause would cut theirs short), then one pause holds the team", async () => {
    const h = holdHarness(team(), TEAM);
    await h.start();
    h.fleet.set("lead", { activeTasks: 0 });
    await h.advance(500);
    expect(h.pauses()).toEqual([]);
    h.fleet.set("member", { activeTasks: 0 });
    await h.settle();
    expect(h.pauses().map((request) => request.workspaceId)).toEqual(["lead"]);
    expect(h.outcome("lead")).toEqual({ kind: "held", pause: { kind: "paused", count: 2 } });
    expect(h.outcome("member")).toEqual({ kind: "held", pause: { kind: "with-parent", parentId: "lead", parentName: "lead" } });
    await h.advance(10_000);
    expect(h.pauses()).toHaveLength(1);
  });

  it("a drained member is paused at once while its lead still works; the lead at the deadline; each once", async () => {
    const h = holdHarness(team(), TEAM);
    await h.start();
    await h.advance(1000);
    h.fleet.set("member", { activeTasks: 0 });
    await h.settle();
    expect(h.pauses().map((request) => request.workspaceId)).toEqual(["member"]);
    await h.advance(7000);
    expect(h.pauses().map((request) => request.workspaceId)).toEqual(["member", "lead"]);
    expect(h.outcome("member")).toMatchObject({ kind: "held", pause: { kind: "paused" } });
    expect(h.outcome("lead")).toEqual({ kind: "held-forced", trigger: "deadline", pause: { kind: "paused", count: 1 } });
  });

  it("at the deadline only the topmost of a stuck team is paused: its cascade holds those below, through a member that is not a target", async () => {
    const h = holdHarness([workspace("top"), workspace("grandchild", { parentId: "mid" })], { mid: "top", grandchild: "mid" });
    h.fleet.set("mid", { activeTasks: 0, status: "online", parentId: "top" });
    await h.start();
    await h.advance(8000);
    expect(h.pauses().map((request) => request.workspaceId)).toEqual(["top"]);
    expect(h.outcome("grandchild")).toEqual({ kind: "held-forced", trigger: "deadline", pause: { kind: "with-parent", parentId: "top", parentName: "top" } });
    expect(h.fleet.get("mid")?.status).toBe("paused");
  });

  it("when the lead's pause fails, the member waiting on it sends its own", async () => {
    const h = holdHarness(team(), TEAM);
    h.platform.onPause("lead", reply.after(100, reply.http(500, { error: "lookup failed" })));
    await h.start();
    await h.advance(8000);
    expect(h.pauses().map((request) => request.workspaceId)).toEqual(["lead"]);
    await h.advance(100);
    expect(h.outcome("lead")).toEqual({ kind: "pause-failed", status: 500, message: "lookup failed" });
    expect(h.pauses().map((request) => request.workspaceId)).toEqual(["lead", "member"]);
    expect(h.outcome("member")).toMatchObject({ kind: "held-forced", pause: { kind: "paused" } });
  });

  it("sends no pause to a workspace the store shows paused, hibernated or removed", async () => {
    const h = holdHarness([workspace("paused-elsewhere"), workspace("hibernates"), workspace("removed"), workspace("fine")]);
    await h.start();
    await h.advance(100);
    h.fleet.set("paused-elsewhere", { status: "paused", activeTasks: 0 });
    h.fleet.set("hibernates", { status: "hibernated", activeTasks: 0 });
    h.fleet.remove("removed");
    await h.advance(8000);
    expect(h.pauses().map((request) => request.workspaceId)).toEqual(["fine"]);
    expect(h.outcome("paused-elsewhere")).toEqual({ kind: "held", pause: { kind: "already-paused" } });
    expect(h.outcome("hibernates")).toEqual({ kind: "pause-skipped", status: "hibernated" });
    expect(h.outcome("removed")).toEqual({ kind: "gone", seenIn: "store" });
  });

  it("reads a 404 by the store: already paused, or gone", async () => {
    const h = holdHarness([workspace("paused-meanwhile"), workspace("gone-meanwhile")]);
    h.platform.onPause("paused-meanwhile", () => {
      h.fleet.set("paused-meanwhile", { status: "paused" });
      return { status: 404, json: { error: "workspace not found or already paused" } };
    });
    h.platform.onPause("gone-meanwhile", () => {
      h.fleet.remove("gone-meanwhile");
      return { status: 404, json: { error: "workspace not found or already paused" } };
    });
    await h.start();
    await h.advance(8000);
    expect(h.outcome("paused-meanwhile")).toEqual({ kind: "held-forced", trigger: "deadline", pause: { kind: "already-paused" } });
    expect(h.outcome("gone-meanwhile")).toEqual({ kind: "gone", seenIn: "pause-answer" });
    expect(h.pauses()).toHaveLength(2);
  });

  it("a failed pause is retried on the operator's word, once; a lost one only for that workspace", async () => {
    const h = holdHarness([workspace("fails-once"), workspace("hangs")]);
    let calls = 0;
    h.platform.onPause("fails-once", (request) => (++calls === 1 ? { status: 500, json: { error: "boom" } } : cascadingPause(h, {})(request)));
    h.platform.onPause("hangs", reply.hang());
    await h.start();
    await h.advance(8000 + 10_000);
    expect(h.outcome("fails-once")).toMatchObject({ kind: "pause-failed", status: 500 });
    expect(h.outcome("hangs")).toMatchObject({ kind: "unknown", reason: "timeout", of: "pause" });
    expect(describeOutcome(h.outcome("hangs")!)).toBe("pause answer lost (timeout): it may or may not have paused");
    expect(summarize(h.state())).toMatch(/: 1 pause failed, 1 pause answer lost$/);
    h.op().retryRestart();
    await h.settle();
    expect(h.pauses("fails-once")).toHaveLength(2);
    expect(h.pauses("hangs")).toHaveLength(1);
    expect(h.outcome("fails-once")).toEqual({ kind: "held-forced", trigger: "retry", pause: { kind: "paused", count: 1 } });
    h.platform.onPause("hangs", cascadingPause(h, {}));
    h.op().retryRestart("hangs");
    await h.settle();
    expect(h.pauses("hangs")).toHaveLength(2);
    expect(h.outcome("hangs")).toMatchObject({ kind: "held-forced", trigger: "retry" });
    h.op().retryRestart();
    await h.settle();
    expect(h.pauses()).toHaveLength(4);
  });

  it("'restart now' in a hold pauses now; 'keep' leaves a target unpaused", async () => {
    const h = holdHarness([workspace("now"), workspace("keep-me")]);
    await h.start();
    await h.advance(1000);
    h.op().restartNow("now");
    h.op().keep("keep-me");
    await h.settle();
    expect(h.pauses().map((request) => [request.workspaceId, request.at - h.state().startedAt])).toEqual([["now", 1000]]);
    expect(h.outcome("now")).toEqual({ kind: "held-forced", trigger: "operator", pause: { kind: "paused", count: 1 } });
    expect(h.outcome("keep-me")).toEqual({ kind: "kept" });
    expect(h.state().phase).toBe("finished");
  });

  it("a lead whose member the operator kept is not paused: its pause would pause the member too", async () => {
    const h = holdHarness(team(), TEAM);
    await h.start();
    h.fleet.set("lead", { activeTasks: 0 });
    await h.advance(500);
    h.op().keep("member");
    await h.settle();
    expect(h.outcome("lead")).toEqual({ kind: "pause-skipped", keptId: "member", keptName: "member" });
    expect(describeOutcome(h.outcome("lead")!)).toBe("not paused: its pause would also pause member, which you chose to keep");
    await h.advance(8000);
    expect(h.pauses()).toEqual([]);
  });

  it("claims each pause before it leaves: one claimed elsewhere is not sent and is unknown", async () => {
    const claims: [string, number][] = [];
    const claimRestart = async (workspaceId: string, attempt: number): Promise<RestartClaim> => {
      claims.push([workspaceId, attempt]);
      return workspaceId === "elsewhere" ? { kind: "claimed-elsewhere" } : { kind: "claimed" };
    };
    const h = holdHarness([workspace("here"), workspace("elsewhere")], {}, { claimRestart });
    await h.start();
    await h.advance(8000);
    expect(claims).toEqual([
      ["here", 1],
      ["elsewhere", 1],
    ]);
    expect(h.pauses().map((request) => request.workspaceId)).toEqual(["here"]);
    expect(h.outcome("elsewhere")).toMatchObject({ kind: "unknown", reason: "interrupted" });
  });

  it("a plain stop never pauses", async () => {
    const h = stopAllHarness([workspace("stuck")]);
    await h.start();
    await h.advance(8000);
    expect(h.pauses()).toEqual([]);
    expect(h.restarts()).toHaveLength(1);
  });

  it("a reload while a pause was in flight makes it unknown (never re-sent); one not sent yet goes out", async () => {
    const h = holdHarness([workspace("in-flight"), workspace("queued")]);
    h.platform.onPause("in-flight", reply.hang());
    // The store has not seen it paused (no event yet when the page went away).
    h.platform.onPause("queued", reply.http(200, { status: "paused", paused_count: 1 }));
    await h.start();
    await h.advance(8000);
    const saved = h.state();
    const queued = saved.targets.find((t) => t.workspaceId === "queued")!;
    // As if the page went away after queueing "queued" but before its pause left.
    const before = { ...saved, targets: saved.targets.map((t) => (t === queued ? { ...t, phase: { kind: "holding" as const, trigger: "deadline" as const }, times: { ...t.times, pauseSentAt: undefined, pauseAnsweredAt: undefined, settledAt: undefined } } : t)) };
    await h.resume({ ...before, counts: { ...saved.counts, settled: saved.counts.settled - 1, holding: saved.counts.holding + 1 } });
    expect(h.outcome("in-flight")).toMatchObject({ kind: "unknown", reason: "interrupted" });
    expect(h.pauses("in-flight")).toHaveLength(1);
    expect(h.pauses("queued")).toHaveLength(2);
  });
});

describe("resume held", () => {
  async function heldTeam() {
    const h = holdHarness([...team(), workspace("solo"), workspace("paused-before")], TEAM);
    await h.start();
    h.fleet.set("paused-before", { status: "paused", activeTasks: 0 });
    await h.advance(8000);
    return h;
  }

  it("resumes, top-down, only what this Stop All paused: the lead (its member with it) and the solo one", async () => {
    const h = await heldTeam();
    // Its drain was seen first (a paused workspace has no tasks), then that it was already paused.
    expect(h.outcome("paused-before")).toEqual({ kind: "held", pause: { kind: "already-paused" } });
    h.platform.onResume("lead", reply.after(200, reply.http(200, { status: "provisioning", resumed_count: 2 })));
    h.op().resumeHeld();
    await h.settle();
    expect(h.state().phase).toBe("resuming");
    expect(h.resumes().map((request) => request.workspaceId)).toEqual(["lead", "solo"]);
    await h.advance(200);
    const resumeOf = (id: string) => h.state().targets.find((t) => t.workspaceId === id)?.resume;
    expect(resumeOf("lead")).toMatchObject({ kind: "done", result: { kind: "resumed", count: 2 } });
    expect(resumeOf("member")).toMatchObject({ kind: "done", result: { kind: "with-parent", parentId: "lead" } });
    expect(resumeOf("solo")).toMatchObject({ kind: "done", result: { kind: "resumed", count: 1 } });
    expect(resumeOf("paused-before")).toBeUndefined();
    expect(h.state().phase).toBe("finished");
    // Safe to press twice: nothing is left to resume.
    h.op().resumeHeld();
    await h.settle();
    expect(h.resumes()).toHaveLength(2);
  });

  it("a failed resume is sent again on the next press; those below it are not sent (they would be a 409)", async () => {
    const h = await heldTeam();
    let calls = 0;
    h.platform.onResume("lead", () => (++calls === 1 ? { status: 503, json: { error: "provisioner not available" } } : { status: 200, json: { status: "provisioning", resumed_count: 2 } }));
    h.op().resumeHeld();
    await h.settle();
    const resumeOf = (id: string) => h.state().targets.find((t) => t.workspaceId === id)?.resume;
    expect(resumeOf("lead")).toMatchObject({ kind: "done", result: { kind: "failed", status: 503, message: "provisioner not available" } });
    expect(resumeOf("member")).toMatchObject({ kind: "done", result: { kind: "failed" } });
    expect(h.resumes("member")).toEqual([]);
    h.op().resumeHeld();
    await h.settle();
    expect(h.resumes().map((request) => request.workspaceId)).toEqual(["lead", "solo", "lead"]);
    expect(resumeOf("member")).toMatchObject({ kind: "done", result: { kind: "with-parent" } });
  });

  it("a 409 naming a held workspace still to resume waits for it and sends once more; one naming another is reported, not retried", async () => {
    // The rows did not say that "member" sits under "lead": the platform's 409 does.
    const h = holdHarness([workspace("lead"), workspace("member"), workspace("under-outsider")]);
    await h.start();
    await h.advance(8000);
    h.platform.onResume("lead", reply.after(300, reply.http(200, { status: "provisioning", resumed_count: 1 })));
    let memberCalls = 0;
    h.platform.onResume("member", () => (++memberCalls === 1 ? { status: 409, json: { error: 'parent workspace "lead" is paused — resume it first' } } : { status: 404, json: { error: "workspace not found or not paused" } }));
    h.platform.onResume("under-outsider", reply.http(409, { error: 'parent workspace "Ops" is paused — resume it first' }));
    h.op().resumeHeld();
    await h.settle();
    expect(h.resumes().map((request) => request.workspaceId)).toEqual(["lead", "member", "under-outsider"]);
    await h.advance(300);
    expect(h.resumes().map((request) => request.workspaceId)).toEqual(["lead", "member", "under-outsider", "member"]);
    const resumeOf = (id: string) => h.state().targets.find((t) => t.workspaceId === id)?.resume;
    expect(resumeOf("member")).toMatchObject({ kind: "done", result: { kind: "not-paused" } });
    expect(resumeOf("under-outsider")).toMatchObject({ kind: "done", result: { kind: "parent-paused", message: 'parent workspace "Ops" is paused — resume it first' } });
    expect(h.resumes("under-outsider")).toHaveLength(1);
  });

  it("claims resumes apart from pauses, one per press", async () => {
    const claims: [string, number][] = [];
    const claimRestart = async (workspaceId: string, attempt: number): Promise<RestartClaim> => {
      claims.push([workspaceId, attempt]);
      return { kind: "claimed" };
    };
    const h = holdHarness([workspace("solo")], {}, { claimRestart });
    await h.start();
    await h.advance(8000);
    h.platform.onResume("solo", reply.http(503, { error: "provisioner not available" }));
    h.op().resumeHeld();
    await h.settle();
    h.op().resumeHeld();
    await h.settle();
    expect(claims).toEqual([
      ["solo", 1],
      ["solo", 1_000_001],
      ["solo", 1_000_002],
    ]);
  });

  it("does nothing for an operation that paused nothing", async () => {
    const h = stopAllHarness([workspace("stuck")]);
    await h.start();
    await h.advance(8000);
    const before = h.state();
    h.op().resumeHeld();
    await h.settle();
    expect(h.state()).toBe(before);
    expect(h.resumes()).toEqual([]);
  });
});

describe("the reducer's rules for pauses and resumes", () => {
  const seed = (id: string) => ({ workspaceId: id, name: id, protocol: "1.0" as const });
  const T0 = 1_000_000;

  it("a stop takes no pause, a hold no restart; a pause leaves once; resume only after the end", () => {
    const stop = initialState([seed("a")], T0, T0 + 8000);
    expect(applyEvent(stop, { type: "pause-queued", workspaceId: "a", at: T0, trigger: "operator" })).toBe(stop);
    const hold = initialState([seed("a")], T0, T0 + 8000, 0, "hold");
    expect(applyEvent(hold, { type: "restart-queued", workspaceId: "a", at: T0, trigger: "operator" })).toBe(hold);
    expect(applyEvent(hold, { type: "resume-requested", at: T0 })).toBe(hold);
    const queued = applyEvent(hold, { type: "pause-queued", workspaceId: "a", at: T0, trigger: "operator" });
    expect(queued.counts).toMatchObject({ holding: 1, cancelling: 0 });
    expect(applyEvent(queued, { type: "pause-queued", workspaceId: "a", at: T0, trigger: "operator" })).toBe(queued);
    const sent = applyEvent(queued, { type: "pause-sent", workspaceId: "a", at: T0 + 1 });
    expect(applyEvent(sent, { type: "pause-sent", workspaceId: "a", at: T0 + 2 })).toBe(sent);
    // Once its pause left, nothing the store shows settles it but the answer.
    expect(applyEvent(sent, { type: "hold-seen", workspaceId: "a", at: T0 + 2, seen: { kind: "already-paused" } })).toBe(sent);
    const held = applyEvent(sent, { type: "pause-answered", workspaceId: "a", at: T0 + 3, answer: { kind: "paused", count: 1 } });
    expect(held.phase).toBe("finished");
    const resuming = applyEvent(held, { type: "resume-requested", at: T0 + 4 });
    expect([resuming.phase, resuming.resumesOpen]).toEqual(["resuming", 1]);
    expect(applyEvent(resuming, { type: "resume-requested", at: T0 + 5 })).toBe(resuming);
  });
});
