"use client";

import { useState } from "react";
import { StopAllPanel } from "@/components/stop-all/StopAllPanel";

/** The docked Stop All panel in a box of its own size (the panel is positioned against it). */
export function PanelBox({ labelledBy }: { labelledBy: string }) {
  const [shown, setShown] = useState(true);
  return (
    <div className="relative h-[34rem] w-[26rem] max-w-full overflow-hidden rounded-md border border-slate-300 bg-slate-100">
      {shown ? (
        <StopAllPanel labelledBy={labelledBy} onDismiss={() => setShown(false)} />
      ) : (
        <button type="button" onClick={() => setShown(true)} className="m-3 rounded border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-50">
          Show the panel again
        </button>
      )}
    </div>
  );
}
