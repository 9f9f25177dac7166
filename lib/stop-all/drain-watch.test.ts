import { describe, expect, it, vi } from "vitest";
import { watchDrain, type DrainObservation } from "./drain-watch";
import { stopAllHarness } from "./testing/harness";
import { fleetOf, workspace } from "../fleet/testing/workspaces";

const ids = (count: number) => Array.from({ length: count }, (_, i) => `ws-${i}`);

function watched(list: readonly string[]) {
  const set = new Set(list);
  return { ids: () => [...set], has: (id: string) => set.has(id), set };
}

describe("watchDrain", () => {
  it("looks at every watched workspace at once, then only at what a change touched", () => {
    const fleet = fleetOf(ids(50).map((id) => workspace(id)));
    const get = vi.spyOn(fleet, "get");
    const seen: [string, DrainObservation][] = [];
    const stop = watchDrain(fleet, watched(ids(50)), (id, observation) => seen.push([id, observation]));
    expect(get).toHaveBeenCalledTimes(50);

    get.mockClear();
    fleet.set("ws-7", { activeTasks: 0 });
    expect(get.mock.calls).toEqual([["ws-7"]]);
    expect(seen).toEqual([["ws-7", "drained"]]);
    stop();
  });

  it("a change to a workspace it does not watch looks at nothing; a poll looks at all it watches", () => {
    const fleet = fleetOf([...ids(10), "bystander"].map((id) => workspace(id)));
    const get = vi.spyOn(fleet, "get");
    const targets = watched(ids(10));
    const seen: string[] = [];
    watchDrain(fleet, targets, (id) => seen.push(id));
    get.mockClear();
    fleet.set("bystander", { activeTasks: 0 });
    expect(get).not.toHaveBeenCalled();

    targets.set.delete("ws-0");
    fleet.notify(); // a poll: any workspace may have changed
    expect(get).toHaveBeenCalledTimes(9);
    expect(seen).toEqual([]);
  });
});

describe("the drain watch of an operation at scale", () => {
  it.each([20, 2000])("a live event costs the same with %i targets: one look at one workspace", async (count) => {
    const h = stopAllHarness(ids(count).map((id) => workspace(id)));
    await h.start();
    const get = vi.spyOn(h.fleet, "get");
    h.fleet.set("ws-3", { activeTasks: 0 });
    expect(get.mock.calls).toEqual([["ws-3"]]);
    expect(h.outcome("ws-3")).toEqual({ kind: "drained" });
    h.op().dispose();
  });
});
