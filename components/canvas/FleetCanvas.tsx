"use client";

import { memo, useEffect, useMemo, useState } from "react";
import { useFleet, useFleetStoreApi } from "@/components/fleet/FleetStoreProvider";
import { layoutFleet } from "./fleet-layout";
import { useRenderCount } from "./render-count";

// React Flow is the largest part of the page's JavaScript and nothing draws
// with it before the first rows arrive: it is a chunk of its own, out of the
// first-load JavaScript, and its download starts at once, alongside the
// first rows request. It is not rendered through lazy()/Suspense: when the
// rows win the race (the mock answers in the page), a suspended canvas is
// revealed only ~300 ms after its fallback (React throttles Suspense
// reveals), which cost bench-1000 ~270 ms from rows to painted.
type FlowComponent = typeof import("./FleetFlow").default;
type FlowLoad = { kind: "loading" } | { kind: "loaded"; Flow: FlowComponent } | { kind: "failed"; message: string };
let flowLoad: FlowLoad = { kind: "loading" };
const flowLoaded: Promise<FlowLoad> =
  typeof window === "undefined"
    ? new Promise(() => {})
    : import("./FleetFlow").then(
        (module): FlowLoad => (flowLoad = { kind: "loaded", Flow: module.default }),
        (error: unknown): FlowLoad => (flowLoad = { kind: "failed", message: error instanceof Error ? error.message : String(error) }),
      );

/** React Flow's component once its chunk is there (at once if it already is). */
function useFlowComponent(): FlowLoad {
  const [load, setLoad] = useState(() => flowLoad);
  useEffect(() => {
    if (load.kind !== "loading") return;
    let current = true;
    void flowLoaded.then((settled) => current && setLoad(settled));
    return () => {
      current = false;
    };
  }, [load]);
  return load;
}

/**
 * The pannable, zoomable canvas. The layout is rebuilt only when the set of
 * workspaces changes; live updates reach each node through its own store
 * selector (or the overview through a store subscription), never through the
 * nodes array. Memoized: the page re-renders with every Stop All change, the
 * canvas does not.
 */
function FleetCanvasView() {
  const ids = useFleet((s) => s.ids);
  const store = useFleetStoreApi();
  useRenderCount("canvas");
  const layout = useMemo(() => layoutFleet(ids, store.getState().workspaces), [ids, store]);
  const flow = useFlowComponent();
  if (flow.kind === "loaded") return <flow.Flow layout={layout} />;
  if (flow.kind === "failed") {
    return (
      <p role="alert" className="m-6 rounded border border-red-300 bg-red-50 p-4 text-sm text-red-900">
        The canvas could not load ({flow.message}). Reload the page to try again.
      </p>
    );
  }
  return (
    <p role="status" className="p-6 text-sm text-slate-600">
      Loading the canvas…
    </p>
  );
}

export const FleetCanvas = memo(FleetCanvasView);
