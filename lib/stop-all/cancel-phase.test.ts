import { describe, expect, it } from "vitest";
import type { StopAllA2AClient } from "../a2a/a2a-client";
import type { CancelResult } from "../a2a/cancel-task";
import type { ListOpenTasksResult } from "../a2a/list-open-tasks";
import { FakeFleet } from "../fleet/testing/fake-fleet";
import { FakeClock, flushMicrotasks } from "../time/fake-clock";
import { runCancelPhase } from "./cancel-phase";

const DELIVERED: CancelResult = { kind: "delivered", taskState: "canceled", method: "CancelTask", version: "1.0" };

/** A client whose listing and cancels answer when the test says so. */
function scriptedClient() {
  const pending: { what: string; answer: (result: never) => void }[] = [];
  const client: StopAllA2AClient = {
    listOpenTaskIds: () => new Promise<ListOpenTasksResult>((resolve) => pending.push({ what: "list", answer: resolve as never })),
    cancelTask: (_, taskId) => new Promise<CancelResult>((resolve) => pending.push({ what: taskId, answer: resolve as never })),
  };
  const answer = async (what: string, result: ListOpenTasksResult | CancelResult) => {
    const index = pending.findIndex((entry) => entry.what === what);
    if (index < 0) throw new Error(`nothing pending for ${what}; pending: ${pending.map((entry) => entry.what).join(", ")}`);
    pending.splice(index, 1)[0]!.answer(result as never);
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  return { client, answer, pending: () => pending.map((entry) => entry.what) };
}

function run(a2a: StopAllA2AClient) {
  const clock = new FakeClock();
  const closed = new AbortController();
  const aborted = new AbortController();
  const deps = { a2a, fleet: new FakeFleet(), clock, deadlineAt: clock.now() + 8000, maxTasks: 20, onCancelSent: () => {} };
  const finding = runCancelPhase(deps, { id: "ws", protocol: "1.0" }, { abandon: aborted.signal, close: closed.signal });
  return { finding, closed, aborted };
}

const listed = (...taskIds: string[]): ListOpenTasksResult => ({ kind: "listed", taskIds, pages: 1, complete: true });

describe("runCancelPhase once closed (the target drained or was kept)", () => {
  it("closed while listing: the listing is recorded, no cancel is started, the headline says none was sent", async () => {
    const script = scriptedClient();
    const { finding, closed } = run(script.client);
    closed.abort();
    await script.answer("list", listed("t1", "t2"));
    expect(script.pending()).toEqual([]);
    expect(await finding).toEqual({ idSource: "list-tasks", listing: listed("t1", "t2"), cancels: [], headline: { kind: "not-sent" } });
  });

  it("closed while the listing was held back (aborted, never sent): not-sent, not 'request abandoned'", async () => {
    const script = scriptedClient();
    const { finding, closed } = run(script.client);
    closed.abort();
    await script.answer("list", { kind: "aborted" });
    expect((await finding).headline).toEqual({ kind: "not-sent" });
  });

  it("closed while the first cancel is in flight: its answer is awaited and recorded, the others are not started", async () => {
    const script = scriptedClient();
    const { finding, closed } = run(script.client);
    await script.answer("list", listed("t1", "t2"));
    expect(script.pending()).toEqual(["t1"]);
    closed.abort();
    await script.answer("t1", DELIVERED);
    expect(script.pending()).toEqual([]);
    expect(await finding).toMatchObject({ cancels: [{ taskId: "t1", result: DELIVERED }], headline: { kind: "delivered", tasks: 1, of: 1 } });
  });

  it("closed while the other cancels are in flight: every answer is awaited and recorded", async () => {
    const script = scriptedClient();
    const { finding, closed } = run(script.client);
    await script.answer("list", listed("t1", "t2", "t3"));
    await script.answer("t1", DELIVERED);
    closed.abort();
    await script.answer("t3", DELIVERED);
    await script.answer("t2", { kind: "refused", code: -32002, refusal: "task-not-cancelable", message: "done", method: "CancelTask", version: "1.0" });
    expect(await finding).toMatchObject({ headline: { kind: "delivered", tasks: 2, of: 3 } });
  });

  it("a listing that is aborted (not closed) still reads as abandoned", async () => {
    const script = scriptedClient();
    const { finding, aborted } = run(script.client);
    aborted.abort();
    await script.answer("list", { kind: "aborted" });
    expect((await finding).headline).toEqual({ kind: "aborted" });
  });
});

describe("runCancelPhase's cancels in parallel", () => {
  it("an answer that ends phase 1 (the workspace is gone) aborts the other cancels still out; the first went on the abandon signal alone", async () => {
    const sent = new Map<string, { signal: AbortSignal; answer: (result: CancelResult) => void }>();
    const a2a: StopAllA2AClient = {
      listOpenTaskIds: () => Promise.resolve(listed("t1", "t2", "t3")),
      cancelTask: (_, taskId, options) => new Promise<CancelResult>((answer) => sent.set(taskId, { signal: options.signal!, answer })),
    };
    const { finding, aborted } = run(a2a);
    await flushMicrotasks();
    expect([...sent.keys()]).toEqual(["t1"]);
    expect(sent.get("t1")!.signal).toBe(aborted.signal);
    sent.get("t1")!.answer(DELIVERED);
    await flushMicrotasks();
    expect([...sent.keys()]).toEqual(["t1", "t2", "t3"]);
    sent.get("t2")!.answer({ kind: "gone" });
    await flushMicrotasks();
    expect([sent.get("t3")!.signal.aborted, aborted.signal.aborted]).toEqual([true, false]);
    sent.get("t3")!.answer({ kind: "aborted" });
    expect((await finding).cancels.map((cancel) => [cancel.taskId, cancel.result.kind])).toEqual([
      ["t1", "delivered"],
      ["t2", "gone"],
      ["t3", "aborted"],
    ]);
  });
});
