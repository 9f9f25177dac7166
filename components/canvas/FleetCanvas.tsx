"use client";

import { lazy, memo, Suspense, useMemo } from "react";
import { useFleet, useFleetStoreApi } from "@/components/fleet/FleetStoreProvider";
import { layoutFleet } from "./fleet-layout";
import { useRenderCount } from "./render-count";

// React Flow is the largest part of the page's JavaScript and nothing draws
// with it before the first rows arrive: it is a chunk of its own, out of the
// first-load JavaScript, and its download starts at once, alongside the
// first rows request, so it is there when they are.
const loadFlow = () => import("./FleetFlow");
if (typeof window !== "undefined") void loadFlow();
const FleetFlow = lazy(loadFlow);

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
  return (
    <Suspense
      fallback={
        <p role="status" className="p-6 text-sm text-slate-600">
          Loading the canvas…
        </p>
      }
    >
      <FleetFlow layout={layout} />
    </Suspense>
  );
}

export const FleetCanvas = memo(FleetCanvasView);
