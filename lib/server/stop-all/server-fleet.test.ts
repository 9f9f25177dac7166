import { describe, expect, it, vi } from "vitest";
import type { PlatformClient } from "../../platform/client";
import { workspace } from "../../fleet/testing/rows";
import { FakeClock } from "../../time/fake-clock";

vi.mock("server-only", () => ({}));
const { createServerFleet } = await import("./server-fleet");
type LiveEventSource = import("./server-fleet").LiveEventSource;

/** An event socket the test opens and closes. */
function fakeSocket() {
  let listener: Parameters<LiveEventSource["subscribe"]>[0] | undefined;
  const source: LiveEventSource = {
    subscribe(next) {
      listener = next;
      return () => (listener = undefined);
    },
  };
  return { source, state: (state: string) => listener?.onState(state), message: (text: string) => listener?.onMessage(text) };
}

/** A platform whose row reads the test answers one by one. */
function platform() {
  const reads: Array<(rows: ReturnType<typeof workspace>[]) => void> = [];
  const client = {
    listWorkspaces: () => new Promise((resolve) => reads.push((rows) => resolve({ workspaces: rows, warnings: [] }))),
  } as unknown as PlatformClient;
  /** Answers the oldest read and lets the store take it in. */
  const answer = async (rows = [workspace("a", { activeTasks: 1 })]) => {
    reads.shift()!(rows);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { client, reads, answer };
}

describe("the server's fleet view", () => {
  it("without an event socket it is never current: every start reads the rows", async () => {
    const { client, reads, answer } = platform();
    const fleet = createServerFleet({ client, clock: new FakeClock() });
    const read = fleet.refresh();
    await answer();
    await read;
    expect([fleet.loaded(), fleet.current(), reads.length]).toEqual([true, false, 0]);
  });

  it("reads the rows each time its socket opens, and is current only once those rows are in", async () => {
    const { client, reads, answer } = platform();
    const socket = fakeSocket();
    const fleet = createServerFleet({ client, events: socket.source, clock: new FakeClock() });
    socket.state("open");
    await vi.waitFor(() => expect(reads).toHaveLength(1));
    expect(fleet.current()).toBe(false);
    await answer();
    expect(fleet.current()).toBe(true);
    // Events sent while the socket was closed are lost: stale until the rows are read again.
    socket.state("closed");
    expect(fleet.current()).toBe(false);
    socket.state("open");
    await vi.waitFor(() => expect(reads).toHaveLength(1));
    expect(fleet.current()).toBe(false);
    await answer();
    expect(fleet.current()).toBe(true);
  });

  it("a read begun before the socket opened does not make it current; the one after the opening does", async () => {
    const { client, reads, answer } = platform();
    const socket = fakeSocket();
    const fleet = createServerFleet({ client, events: socket.source, clock: new FakeClock() });
    const early = fleet.refresh();
    socket.state("open");
    await answer();
    await early;
    expect(fleet.current()).toBe(false);
    await vi.waitFor(() => expect(reads).toHaveLength(1));
    await answer();
    expect(fleet.current()).toBe(true);
  });
});
