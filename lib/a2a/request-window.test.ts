import { describe, expect, it } from "vitest";
import type { PlatformResponse } from "../platform/client";
import { FakeClock } from "../time/fake-clock";
import { sendWithin } from "./request-window";

const ANSWER: PlatformResponse = { ok: true, status: 200, json: { ok: 1 }, text: '{"ok":1}' };
const ABORTED: PlatformResponse = { ok: false, error: "aborted", message: "request aborted" };

/** A send the test answers by hand; `signal` is what the request was given. */
function manualSend() {
  const sent: { signal?: AbortSignal; answer?: (response: PlatformResponse) => void } = {};
  const send = (signal: AbortSignal) =>
    new Promise<PlatformResponse>((resolve) => {
      sent.signal = signal;
      sent.answer = resolve;
    });
  return { sent, send };
}

describe("sendWithin", () => {
  it("gives the answer that comes before the window ends, and clears its timer", async () => {
    const clock = new FakeClock();
    const { sent, send } = manualSend();
    const result = sendWithin(clock, { endsAt: clock.now() + 1000 }, send);
    await clock.advance(400);
    sent.answer?.(ANSWER);
    expect(await result).toEqual({ response: ANSWER, timedOut: false, sent: true });
    expect(sent.signal?.aborted).toBe(false);
    await clock.advance(1000);
    expect(sent.signal?.aborted).toBe(false);
  });

  it("ends a request that ignores its abort at `endsAt`, as timed out; a late answer changes nothing", async () => {
    const clock = new FakeClock();
    const { sent, send } = manualSend();
    const result = sendWithin(clock, { endsAt: clock.now() + 1000 }, send);
    await clock.advance(999);
    let settled = false;
    void result.then(() => (settled = true));
    await clock.advance(0);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await result).toEqual({ response: ABORTED, timedOut: true, sent: true });
    expect(sent.signal?.aborted).toBe(true);
    sent.answer?.(ANSWER);
    expect(await result).toEqual({ response: ABORTED, timedOut: true, sent: true });
  });

  it("ends the request when the caller's signal aborts: aborted, not timed out", async () => {
    const clock = new FakeClock();
    const caller = new AbortController();
    const { sent, send } = manualSend();
    const result = sendWithin(clock, { endsAt: clock.now() + 1000, signal: caller.signal }, send);
    await clock.advance(100);
    caller.abort();
    expect(await result).toEqual({ response: ABORTED, timedOut: false, sent: true });
    expect(sent.signal?.aborted).toBe(true);
  });

  it("reads a client that throws or rejects (breaking its promise never to) as a network failure", async () => {
    const clock = new FakeClock();
    const thrown = await sendWithin(clock, { endsAt: clock.now() + 1000 }, () => {
      throw new Error("socket gone");
    });
    expect(thrown).toEqual({ response: { ok: false, error: "network", message: "socket gone" }, timedOut: false, sent: true });
    const rejected = await sendWithin(clock, { endsAt: clock.now() + 1000 }, () => Promise.reject("reset"));
    expect(rejected).toEqual({ response: { ok: false, error: "network", message: "reset" }, timedOut: false, sent: true });
  });

  it("sends nothing when the caller's signal has already aborted, or the window has already ended", async () => {
    const clock = new FakeClock();
    const calls: AbortSignal[] = [];
    const send = (signal: AbortSignal) => {
      calls.push(signal);
      return Promise.resolve(ANSWER);
    };
    const caller = new AbortController();
    caller.abort();
    expect(await sendWithin(clock, { endsAt: clock.now() + 1000, signal: caller.signal }, send)).toEqual({ response: ABORTED, timedOut: false, sent: false });
    expect(await sendWithin(clock, { endsAt: clock.now() }, send)).toEqual({ response: ABORTED, timedOut: true, sent: false });
    expect(calls).toHaveLength(0);
  });
});
