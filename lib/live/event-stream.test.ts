import { describe, expect, it } from "vitest";
import { FakeClock } from "../time/fake-clock";
import { connectLiveEvents, type EventSourceLike, type StreamState } from "./event-stream";

class FakeSource implements EventSourceLike {
  onopen: EventSourceLike["onopen"] = null;
  onmessage: EventSourceLike["onmessage"] = null;
  onerror: EventSourceLike["onerror"] = null;
  closed = false;
  close() {
    this.closed = true;
  }
}

function setup() {
  const clock = new FakeClock();
  const sources: FakeSource[] = [];
  const states: StreamState[] = [];
  const events: unknown[] = [];
  const connection = connectLiveEvents({
    url: "/api/platform/events",
    clock,
    createEventSource: () => {
      const source = new FakeSource();
      sources.push(source);
      return source;
    },
    onEvent: (e) => events.push(e),
    onState: (s) => states.push(s),
  });
  return { clock, sources, states, events, connection };
}

const message = (active: number) =>
  JSON.stringify({ event: "TASK_UPDATED", workspace_id: "ws-1", timestamp: "2026-11-21T10:00:00Z", payload: { active_tasks: active } });

describe("connectLiveEvents", () => {
  it("reports open and forwards parsed events, skipping malformed ones", () => {
    const { sources, states, events } = setup();
    sources[0]!.onopen?.(new Event("x"));
    sources[0]!.onmessage?.(new MessageEvent("message", { data: "not json" }));
    sources[0]!.onmessage?.(new MessageEvent("message", { data: message(2) }));
    expect(states).toEqual(["connecting", "open"]);
    expect(events).toMatchObject([{ kind: "tasks", activeTasks: 2 }]);
  });

  it("reconnects with exponential backoff and resets it once open", async () => {
    const { clock, sources, states } = setup();
    sources[0]!.onerror?.(new Event("x"));
    expect(sources[0]!.closed).toBe(true);
    expect(states.at(-1)).toBe("down");
    await clock.advance(999);
    expect(sources).toHaveLength(1);
    await clock.advance(1);
    expect(sources).toHaveLength(2);
    sources[1]!.onerror?.(new Event("x"));
    await clock.advance(1999);
    expect(sources).toHaveLength(2);
    await clock.advance(1);
    expect(sources).toHaveLength(3);
    sources[2]!.onopen?.(new Event("x"));
    sources[2]!.onerror?.(new Event("x"));
    await clock.advance(1000);
    expect(sources).toHaveLength(4);
  });

  it("ignores callbacks from a replaced source and stops on close", async () => {
    const { clock, sources, events, connection } = setup();
    const first = sources[0]!;
    first.onerror?.(new Event("x"));
    await clock.advance(1000);
    first.onmessage?.(new MessageEvent("message", { data: message(1) }));
    expect(events).toEqual([]);
    connection.close();
    expect(sources[1]!.closed).toBe(true);
    sources[1]!.onerror?.(new Event("x"));
    await clock.advance(60_000);
    expect(sources).toHaveLength(2);
  });
});
