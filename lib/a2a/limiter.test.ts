import { describe, expect, it } from "vitest";
import { flushMicrotasks } from "../time/fake-clock";
import { createRequestLimiter } from "./limiter";

describe("createRequestLimiter", () => {
  it("grants slots first come, first served, up to the bound", async () => {
    const limiter = createRequestLimiter(2);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    const granted: string[] = [];
    void limiter.acquire().then(() => granted.push("c"));
    void limiter.acquire().then(() => granted.push("d"));
    await flushMicrotasks();
    expect([limiter.inFlight(), granted]).toEqual([2, []]);
    a?.();
    a?.(); // freeing twice frees once
    await flushMicrotasks();
    expect([limiter.inFlight(), granted]).toEqual([2, ["c"]]);
    b?.();
    await flushMicrotasks();
    expect(granted).toEqual(["c", "d"]);
  });

  it("a waiter whose signal aborts leaves the queue without taking a slot", async () => {
    const limiter = createRequestLimiter(1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    let nextGranted = false;
    void limiter.acquire().then(() => (nextGranted = true));
    controller.abort();
    expect(await aborted).toBeUndefined();
    held?.();
    await flushMicrotasks();
    expect(nextGranted).toBe(true);
    expect(limiter.inFlight()).toBe(1);
    expect(await limiter.acquire(AbortSignal.abort())).toBeUndefined();
  });
});
