import { describe, expect, it } from "vitest";
import { FakeClock } from "../time/fake-clock";
import { startInBatches } from "./phase1-batches";

describe("startInBatches", () => {
  it("starts the first batch now and each next one in its own zero-delay task", async () => {
    const clock = new FakeClock();
    const started: number[] = [];
    startInBatches(clock, [1, 2, 3, 4, 5], (item) => started.push(item), () => false, 2);
    expect(started).toEqual([1, 2]);
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(0);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("starts no later batch once stopped", async () => {
    const clock = new FakeClock();
    const started: number[] = [];
    let stopped = false;
    startInBatches(clock, [1, 2, 3], (item) => started.push(item), () => stopped, 1);
    stopped = true;
    await clock.advance(0);
    expect(started).toEqual([1]);
  });

  it("nothing to start sets no timer", () => {
    const clock = new FakeClock();
    startInBatches(clock, [], () => {}, () => false);
    expect(clock.pendingTimers()).toBe(0);
  });
});
