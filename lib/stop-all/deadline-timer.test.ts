import { describe, expect, it } from "vitest";
import { FakeClock } from "../time/fake-clock";
import { startDeadlineTimer } from "./deadline-timer";

function setUp(deadlineIn: number) {
  const clock = new FakeClock();
  const deadlineAt = clock.now() + deadlineIn;
  let passed = false;
  const fired: number[] = [];
  const timer = startDeadlineTimer(clock, deadlineAt, () => !passed, () => {
    passed = true;
    fired.push(clock.now() - deadlineAt);
  });
  return { clock, timer, fired, deadlineAt };
}

describe("startDeadlineTimer", () => {
  it("fires once, at the deadline", async () => {
    const { clock, fired, timer } = setUp(8000);
    await clock.advance(7999);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual([0]);
    timer.check();
    await clock.advance(60_000);
    expect(fired).toEqual([0]);
  });

  it("a throttled timer: check() fires it as soon as the clock is past the deadline, and the late timer is cleared", async () => {
    const { clock, fired, timer } = setUp(8000);
    timer.check();
    expect(fired).toEqual([]);
    clock.jump(8300);
    timer.check();
    expect(fired).toEqual([300]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("stop() clears the timer; nothing pending, nothing fires", async () => {
    const { clock, fired, timer } = setUp(8000);
    timer.stop();
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(10_000);
    expect(fired).toEqual([]);
  });

  it("sets no timer when nothing is pending, and a deadline already past fires on the first check", async () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    const idle = startDeadlineTimer(clock, clock.now() + 100, () => false, () => fired.push("idle"));
    expect(clock.pendingTimers()).toBe(0);
    idle.check();
    const late = startDeadlineTimer(clock, clock.now() - 1, () => fired.length < 1, () => fired.push("late"));
    late.check();
    expect(fired).toEqual(["late"]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
