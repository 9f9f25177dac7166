"use client";

import { useStoreApi } from "@xyflow/react";
import { useEffect, useRef } from "react";
import { useFleetStoreApi } from "@/components/fleet/FleetStoreProvider";
import type { FleetLayout } from "./fleet-layout";
import { drawOverview } from "./overview-draw";
import { countOverviewDraw } from "./render-count";

/**
 * The zoomed-out fleet, drawn on one <canvas> under React Flow's controls:
 * thousands of DOM nodes cost style, layout, paint and hit-testing on every
 * frame, a canvas a few milliseconds per redraw. Redraws at most once a
 * frame, when a workspace changes or the viewport moves; React does not
 * re-render for either. Pointer events go through to React Flow's pane.
 */
export function FleetOverview({ layout }: { layout: FleetLayout }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const fleet = useFleetStoreApi();
  const flow = useStoreApi();

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    let frame = 0;
    let drawnVersion = -1;
    const draw = () => {
      frame = 0;
      const { transform, width, height } = flow.getState();
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
        canvas.width = Math.round(width * dpr);
        canvas.height = Math.round(height * dpr);
      }
      const { workspaces, version } = fleet.getState();
      drawnVersion = version;
      const drawn = drawOverview(ctx, layout, (id) => workspaces[id], { x: transform[0], y: transform[1], zoom: transform[2], width, height, dpr });
      canvas.dataset.drawn = String(drawn);
      countOverviewDraw();
    };
    const schedule = () => {
      frame ||= requestAnimationFrame(draw);
    };
    const stopFleet = fleet.subscribe((state) => {
      if (state.version !== drawnVersion) schedule();
    });
    const stopFlow = flow.subscribe((state, previous) => {
      if (state.transform !== previous.transform || state.width !== previous.width || state.height !== previous.height) schedule();
    });
    schedule();
    return () => {
      stopFleet();
      stopFlow();
      cancelAnimationFrame(frame);
    };
  }, [fleet, flow, layout]);

  return (
    <canvas
      ref={canvasRef}
      data-testid="fleet-overview"
      role="img"
      aria-label={`Overview of ${layout.nodes.length.toLocaleString("en")} workspaces: orange ones are busy. Zoom in to see each workspace.`}
      className="pointer-events-none absolute inset-0 z-[4] h-full w-full"
    />
  );
}
