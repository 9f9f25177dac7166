import type { Clock, TimerHandle } from "./clock";

/**
 * A deterministic clock for unit tests: time only moves when the test calls
 * `advance`, and due timers fire in order of due time, then creation.
 */
export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers = new Map<number, { due: number; seq: number; callback: () => void }>();

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { due: this.current + Math.max(0, ms), seq: id, callback });
    return id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as unknown as number);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.nextDue(target);
      if (!next) break;
      this.timers.delete(next[0]);
      this.current = next[1].due;
      next[1].callback();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** Moves time forward without firing timers: a throttled (hidden-tab) timer that has not run yet. */
  jump(ms: number): void {
    this.current += ms;
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  private nextDue(limit: number) {
    let best: [number, { due: number; seq: number; callback: () => void }] | undefined;
    for (const entry of this.timers) {
      if (entry[1].due > limit) continue;
      if (!best || entry[1].due < best[1].due || (entry[1].due === best[1].due && entry[1].seq < best[1].seq)) best = entry;
    }
    return best;
  }
}

/**
 * Lets pending promise chains settle (many hops of awaits), as a real event
 * loop drains every microtask before its next timer. A freed slot reaching
 * the next target's request (its turn ends, then that request's turn, the
 * request window, the send gate) takes about 30 hops.
 */
export async function flushMicrotasks(rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
