import { afterEach, describe, expect, it } from "vitest";
import { resetAfterUpgradeAnswer } from "./refused-upgrade";
import { startUpstream } from "./upstream";

let upstream: Awaited<ReturnType<typeof startUpstream>> | null = null;
afterEach(async () => {
  await upstream?.close();
  upstream = null;
});

describe("stand-in platform", () => {
  it("shrugs off a client that resets a refused upgrade (no uncaught ECONNRESET)", async () => {
    upstream = await startUpstream();
    upstream.acceptSocket(() => 503);
    for (let round = 0; round < 5; round += 1) expect(await resetAfterUpgradeAnswer(upstream.url, "/ws")).toBe("HTTP/1.1 503 Refused");
    // An uncaught reset shows as an unhandled error of this file; give the last one a turn to arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(upstream.upgrades).toHaveLength(5);
  });
});
