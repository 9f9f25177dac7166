"use client";

import { lazy, memo, Suspense, useMemo, useState } from "react";
import { useFleet, useFleetStoreApi } from "@/components/fleet/FleetStoreProvider";
import { layoutFleet } from "./fleet-layout";
import { useRenderCount } from "./render-count";

// React Flow is the largest part of the page's JavaScript and nothing draws
// with it before the first rows arrive: it is a chunk of its own, out of the
// first-load JavaScript, and its download starts at once, alongside the
// first rows request, so it is there when they are. Then it renders without
// suspending: React holds a revealed Suspense boundary back ~300 ms.
type FlowComponent = typeof import("./FleetFlow").default;
const loadFlow = () => import("./FleetFlow");
let loadedFlow: FlowComponent | undefined;
if (typeof window !== "undefined") void loadFlow().then((module) => (loadedFlow = module.default));
const LazyFlow = lazy(loadFlow);

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
  // Decided once: switching component type later would remount React Flow.
  const [Flow] = useState(() => loadedFlow);
  if (Flow) return <Flow layout={layout} />;
  return (
    <Suspense
      fallback={
        <p role="status" className="p-6 text-sm text-slate-600">
          Loading the canvas…
        </p>
      }
    >
      <LazyFlow layout={layout} />
    </Suspense>
  );
}

export const FleetCanvas = memo(FleetCanvasView);
