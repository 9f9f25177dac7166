import { describe, expect, it, vi } from "vitest";
import { batchedEventSource, type StreamSource } from "./batched-event-source";

/** A source the test drives, and a scheduler that runs only when told. */
function setup() {
  const named = new Map<string, Array<(event: MessageEvent) => void>>();
  const source: StreamSource & { emit(type: string, data?: string): void } = {
    onopen: null,
    onmessage: null,
    onerror: null,
    readyState: 0,
    addEventListener(type, listener) {
      named.set(type, [...(named.get(type) ?? []), listener]);
    },
    close: vi.fn(),
    emit(type, data) {
      const event = new MessageEvent(type, { data });
      if (type === "open") source.onopen?.(event);
      else if (type === "error") source.onerror?.(event);
      else if (type === "message") source.onmessage?.(event);
      else for (const listener of named.get(type) ?? []) listener(event);
    },
  };
  const flushes: Array<() => void> = [];
  const schedule = vi.fn((flush: () => void) => void flushes.push(flush));
  const runTask = () => flushes.shift()?.();
  return { source, schedule, runTask, batched: batchedEventSource(source, schedule) };
}

describe("batchedEventSource", () => {
  it("hands over what arrived in one task together, in arrival order, in one scheduled task", () => {
    const { source, schedule, runTask, batched } = setup();
    const seen: string[] = [];
    batched.onopen = () => seen.push("open");
    batched.onmessage = (event) => seen.push(`message ${event.data}`);
    batched.addEventListener("op", (event) => seen.push(`op ${event.data}`));
    batched.onerror = () => seen.push("error");
    source.emit("open");
    source.emit("op", "1");
    source.emit("message", "a");
    source.emit("op", "2");
    source.emit("error");
    expect(seen).toEqual([]);
    expect(schedule).toHaveBeenCalledOnce();
    runTask();
    expect(seen).toEqual(["open", "op 1", "message a", "op 2", "error"]);
    source.emit("op", "3");
    expect(schedule).toHaveBeenCalledTimes(2);
    runTask();
    expect(seen.at(-1)).toBe("op 3");
  });

  it("delivers nothing after close, neither what was queued nor what comes later", () => {
    const { source, runTask, batched } = setup();
    const listener = vi.fn();
    batched.addEventListener("op", listener);
    source.emit("op", "1");
    batched.close();
    source.emit("op", "2");
    runTask();
    expect(listener).not.toHaveBeenCalled();
    expect(source.close).toHaveBeenCalledOnce();
  });

  it("stops the rest of a batch when a listener closes the source", () => {
    const { source, runTask, batched } = setup();
    const seen: string[] = [];
    batched.addEventListener("op", (event) => {
      seen.push(event.data);
      if (event.data === "gap") batched.close();
    });
    for (const data of ["1", "gap", "3"]) source.emit("op", data);
    runTask();
    expect(seen).toEqual(["1", "gap"]);
  });

  it("reports a listener that throws and still delivers the next events", async () => {
    const { source, runTask, batched } = setup();
    const seen: string[] = [];
    const reported: unknown[] = [];
    const original = globalThis.queueMicrotask;
    const spy = vi.spyOn(globalThis, "queueMicrotask").mockImplementation((task) =>
      original(() => {
        try {
          task();
        } catch (error) {
          reported.push(error);
        }
      }),
    );
    batched.addEventListener("op", (event) => {
      if (event.data === "bad") throw new Error("listener failed");
      seen.push(event.data);
    });
    for (const data of ["1", "bad", "3"]) source.emit("op", data);
    runTask();
    await Promise.resolve();
    spy.mockRestore();
    expect(seen).toEqual(["1", "3"]);
    expect(reported).toEqual([new Error("listener failed")]);
  });

  it("reads readyState from the source when asked", () => {
    const { source, batched } = setup();
    (source as { readyState: number }).readyState = 2;
    expect(batched.readyState).toBe(2);
  });
});
