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

  it("a follow-up waiting for a slot goes before every new request, then first come, first served", async () => {
    const limiter = createRequestLimiter(1);
    const held = await limiter.acquire(undefined, "follow-up");
    const granted: string[] = [];
    const take = (name: string, priority?: "follow-up" | "new") =>
      void limiter.acquire(undefined, priority).then((release) => {
        granted.push(name);
        release?.();
      });
    take("list-1");
    take("list-2");
    take("cancel-1", "follow-up");
    take("list-3", "new");
    take("cancel-2", "follow-up");
    held?.();
    await flushMicrotasks();
    expect(granted).toEqual(["cancel-1", "cancel-2", "list-1", "list-2", "list-3"]);
  });

  it("keeps a quarter of the slots for follow-ups: new requests stop at three quarters", async () => {
    const limiter = createRequestLimiter(8);
    const news = await Promise.all(Array.from({ length: 6 }, () => limiter.acquire()));
    let seventh = false;
    void limiter.acquire().then(() => (seventh = true));
    await flushMicrotasks();
    expect([limiter.inFlight(), seventh]).toEqual([6, false]);
    const followUps = await Promise.all([limiter.acquire(undefined, "follow-up"), limiter.acquire(undefined, "follow-up")]);
    expect(limiter.inFlight()).toBe(8);
    followUps[0]?.();
    await flushMicrotasks();
    // A freed slot above the new requests' share stays free for the next follow-up.
    expect([limiter.inFlight(), seventh]).toEqual([7, false]);
    news[0]?.();
    await flushMicrotasks();
    // Six in flight in all: new requests wait while three quarters are taken, whatever took them.
    expect([limiter.inFlight(), seventh]).toEqual([6, false]);
    followUps[1]?.();
    await flushMicrotasks();
    expect([limiter.inFlight(), seventh]).toEqual([6, true]);
  });
});
