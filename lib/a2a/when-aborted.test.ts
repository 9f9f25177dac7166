import { describe, expect, it, vi } from "vitest";
import { whenAborted } from "./when-aborted";

describe("whenAborted", () => {
  it("calls each listener once on abort, in the order they were added", () => {
    const controller = new AbortController();
    const calls: string[] = [];
    whenAborted(controller.signal, () => calls.push("a"));
    whenAborted(controller.signal, () => calls.push("b"));
    controller.abort();
    controller.abort();
    expect(calls).toEqual(["a", "b"]);
  });

  it("does not call a listener removed before the abort", () => {
    const controller = new AbortController();
    const kept = vi.fn();
    const removed = vi.fn();
    whenAborted(controller.signal, kept);
    const stop = whenAborted(controller.signal, removed);
    stop();
    stop();
    controller.abort();
    expect(removed).not.toHaveBeenCalled();
    expect(kept).toHaveBeenCalledOnce();
  });

  it("calls nothing for a signal already aborted, like addEventListener", () => {
    const listener = vi.fn();
    whenAborted(AbortSignal.abort(), listener)();
    expect(listener).not.toHaveBeenCalled();
  });

  it("adds one listener to the signal however many listen, so thousands raise no MaxListeners warning", () => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, "addEventListener");
    const stops = Array.from({ length: 5000 }, () => whenAborted(controller.signal, () => {}));
    for (const stop of stops) stop();
    whenAborted(controller.signal, () => {});
    expect(add).toHaveBeenCalledTimes(1);
  });

  it("reports a throwing listener and still calls the others", async () => {
    const controller = new AbortController();
    const after = vi.fn();
    const reported = new Promise<unknown>((resolve) => {
      const original = globalThis.queueMicrotask;
      vi.spyOn(globalThis, "queueMicrotask").mockImplementationOnce((task) =>
        original(() => {
          try {
            task();
          } catch (error) {
            resolve(error);
          }
        }),
      );
    });
    whenAborted(controller.signal, () => {
      throw new Error("listener failed");
    });
    whenAborted(controller.signal, after);
    controller.abort();
    expect(after).toHaveBeenCalledOnce();
    expect(await reported).toEqual(new Error("listener failed"));
    vi.restoreAllMocks();
  });

  it("keeps separate listeners per signal", () => {
    const a = new AbortController();
    const b = new AbortController();
    const onA = vi.fn();
    const onB = vi.fn();
    whenAborted(a.signal, onA);
    whenAborted(b.signal, onB);
    a.abort();
    expect(onA).toHaveBeenCalledOnce();
    expect(onB).not.toHaveBeenCalled();
  });
});
