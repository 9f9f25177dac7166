import { describe, expect, it } from "vitest";
import { FakeClock } from "../../time/fake-clock";
import { createScheduler } from "./scheduler";

describe("scheduler", () => {
  it("runs jobs in due order, ties in scheduling order, on one clock timer", async () => {
    const clock = new FakeClock(0);
    const scheduler = createScheduler(clock);
    const ran: string[] = [];
    scheduler.after(300, () => ran.push("c"));
    scheduler.after(100, () => ran.push("a"));
    scheduler.after(100, () => ran.push("b"));
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(99);
    expect(ran).toEqual([]);
    await clock.advance(1);
    expect(ran).toEqual(["a", "b"]);
    await clock.advance(200);
    expect(ran).toEqual(["a", "b", "c"]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("cancels jobs and runs jobs scheduled from a job", async () => {
    const clock = new FakeClock(0);
    const scheduler = createScheduler(clock);
    const ran: string[] = [];
    const cancel = scheduler.after(50, () => ran.push("cancelled"));
    scheduler.after(10, () => {
      ran.push("first");
      scheduler.after(0, () => ran.push("same tick"));
      scheduler.after(5, () => ran.push("later"));
    });
    cancel();
    await clock.advance(100);
    expect(ran).toEqual(["first", "same tick", "later"]);
  });

  it("clear drops everything", async () => {
    const clock = new FakeClock(0);
    const scheduler = createScheduler(clock);
    let ran = false;
    scheduler.after(10, () => (ran = true));
    scheduler.clear();
    await clock.advance(100);
    expect(ran).toBe(false);
    expect(scheduler.pending()).toBe(0);
  });
});
