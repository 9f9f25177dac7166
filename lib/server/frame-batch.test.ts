import { describe, expect, it } from "vitest";
import { FakeClock } from "../time/fake-clock";
import { createFrameBatch, FRAME_BATCH_MS } from "./frame-batch";

function batchOnFakeClock() {
  const clock = new FakeClock(0);
  const sent: string[] = [];
  const batch = createFrameBatch({ timers: clock, send: (text) => sent.push(text) });
  return { clock, sent, batch };
}

describe("frame batch", () => {
  it("sends the frames of one FRAME_BATCH_MS as one chunk, in order, and only then", async () => {
    const { clock, sent, batch } = batchOnFakeClock();
    batch.push("a");
    await clock.advance(FRAME_BATCH_MS - 1);
    batch.push("b");
    expect(sent).toEqual([]);
    await clock.advance(1);
    expect(sent).toEqual(["ab"]);
    // The next frame starts a wait of its own.
    batch.push("c");
    await clock.advance(FRAME_BATCH_MS - 1);
    expect(sent).toEqual(["ab"]);
    await clock.advance(1);
    expect(sent).toEqual(["ab", "c"]);
  });

  it("sends nothing while nothing is queued", async () => {
    const { clock, sent, batch } = batchOnFakeClock();
    batch.flush();
    await clock.advance(10 * FRAME_BATCH_MS);
    expect(sent).toEqual([]);
  });

  it("flush sends at once and ends the wait; cancel drops what is queued", async () => {
    const { clock, sent, batch } = batchOnFakeClock();
    batch.push("a");
    batch.flush();
    expect(sent).toEqual(["a"]);
    await clock.advance(FRAME_BATCH_MS);
    expect(sent).toEqual(["a"]);
    batch.push("b");
    batch.cancel();
    await clock.advance(FRAME_BATCH_MS);
    expect(sent).toEqual(["a"]);
  });
});
