"use client";

import { PanelBox } from "./PanelBox";
import { ShowcaseCanvas } from "./ShowcaseCanvas";

/** A running operation: the panel with its countdown, and some of its targets on the canvas. */
export function RunningView({ labelledBy }: { labelledBy: string }) {
  return (
    <div className="flex flex-col gap-4">
      <PanelBox labelledBy={labelledBy} />
      <ShowcaseCanvas />
    </div>
  );
}
