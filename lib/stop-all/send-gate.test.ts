import { describe, expect, it } from "vitest";
import { FakeClock } from "../time/fake-clock";
import { FakePlatform, reply } from "../platform/testing/fake-platform";
import { gatePlatform } from "./send-gate";

describe("gatePlatform", () => {
  it("sends while open; once closed sends nothing new, and a request already sent still gets its answer", async () => {
    const clock = new FakeClock();
    const platform = new FakePlatform(clock).onA2A("ws", reply.after(1000, reply.canceledTask()));
    const closed = new AbortController();
    const gated = gatePlatform(platform, closed.signal);
    const inFlight = gated.postA2A("ws", { jsonrpc: "2.0", id: "1", method: "CancelTask", params: { id: "t1" } });
    closed.abort();
    const held = await gated.postA2A("ws", { jsonrpc: "2.0", id: "2", method: "CancelTask", params: { id: "t2" } });
    expect(held).toMatchObject({ ok: false, error: "aborted" });
    await clock.advance(1000);
    expect(await inFlight).toMatchObject({ ok: true, status: 200 });
    expect(platform.of("a2a").map((request) => request.params?.id)).toEqual(["t1"]);
    expect(platform.of("a2a")[0]!.signal).toBeUndefined();
  });

  it("passes restarts through: the gate is phase 1's only", async () => {
    const clock = new FakeClock();
    const platform = new FakePlatform(clock);
    const closed = new AbortController();
    closed.abort();
    expect(await gatePlatform(platform, closed.signal).restart("ws")).toMatchObject({ ok: true, status: 200 });
  });
});
