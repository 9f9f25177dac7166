import { describe, expect, it } from "vitest";
import { createLaterTasks } from "./later-task";

describe("createLaterTasks", () => {
  it("runs callbacks in order, each in a task of its own, and none in the task that queued it", async () => {
    const later = createLaterTasks();
    const seen: string[] = [];
    const all = new Promise<void>((resolve) => {
      later(() => {
        seen.push("first");
        void Promise.resolve().then(() => seen.push("microtask queued by first"));
      });
      later(() => seen.push("second"));
      later(() => {
        seen.push("third");
        later(() => {
          seen.push("queued by third");
          resolve();
        });
      });
    });
    await Promise.resolve();
    expect(seen).toEqual([]);
    await all;
    expect(seen).toEqual(["first", "microtask queued by first", "second", "third", "queued by third"]);
  });
});
