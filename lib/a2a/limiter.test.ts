import { describe, expect, it } from "vitest";
import { flushMicrotasks } from "../time/fake-clock";
import { createRequestLimiter, openTurn } from "./limiter";

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

  it("new requests may take every slot: none is set aside", async () => {
    const limiter = createRequestLimiter(8);
    const taken = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire()));
    expect([limiter.inFlight(), taken.every(Boolean)]).toEqual([8, true]);
    let ninth = false;
    void limiter.acquire().then(() => (ninth = true));
    await flushMicrotasks();
    expect(ninth).toBe(false);
    taken[0]?.();
    await flushMicrotasks();
    expect([limiter.inFlight(), ninth]).toEqual([8, true]);
  });
});

/** A turn on a limiter of `slots` whose first request came and went: the turn keeps its slot. */
async function turnKeepingASlot(slots: number) {
  const limiter = createRequestLimiter(slots);
  const turn = openTurn(limiter);
  (await turn.acquire())?.();
  return { limiter, turn };
}

describe("openTurn", () => {
  it("the slot a turn's request frees goes to the turn's next request, before anyone waiting", async () => {
    const limiter = createRequestLimiter(1);
    const turn = openTurn(limiter);
    const listing = await turn.acquire();
    const granted: string[] = [];
    void limiter.acquire(undefined, "follow-up").then(() => granted.push("someone else's cancel"));
    listing?.();
    await flushMicrotasks();
    // Kept for the turn: the waiter still waits, and the slot still counts as taken.
    expect([granted, limiter.inFlight()]).toEqual([[], 1]);
    const cancel = await turn.acquire(undefined, "follow-up");
    expect(cancel).toBeDefined();
    turn.end();
    await flushMicrotasks();
    // The cancel still holds it; once it ends, the turn has ended, so it is freed.
    expect(granted).toEqual([]);
    cancel?.();
    await flushMicrotasks();
    expect(granted).toEqual(["someone else's cancel"]);
  });

  it("keeps one slot at most: a second request in parallel takes its own and frees it", async () => {
    const limiter = createRequestLimiter(3);
    const turn = openTurn(limiter);
    const [a, b] = await Promise.all([turn.acquire(), turn.acquire()]);
    expect(limiter.inFlight()).toBe(2);
    a?.();
    b?.();
    expect(limiter.inFlight()).toBe(1);
    turn.end();
    expect(limiter.inFlight()).toBe(0);
  });

  it("giveBack frees the kept slot to whoever waits; the turn's next request then acquires like any other", async () => {
    const { limiter, turn } = await turnKeepingASlot(1);
    const granted: string[] = [];
    void limiter.acquire().then((release) => {
      granted.push("other");
      release?.();
    });
    turn.giveBack();
    await flushMicrotasks();
    expect(granted).toEqual(["other"]);
    const again = await turn.acquire();
    expect([Boolean(again), limiter.inFlight()]).toEqual([true, 1]);
    again?.();
    turn.end();
    expect(limiter.inFlight()).toBe(0);
  });

  it("an aborted request takes nothing and leaves the kept slot kept", async () => {
    const { limiter, turn } = await turnKeepingASlot(2);
    expect(await turn.acquire(AbortSignal.abort())).toBeUndefined();
    expect(limiter.inFlight()).toBe(1);
    turn.end();
    expect(limiter.inFlight()).toBe(0);
  });
});
