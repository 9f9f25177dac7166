"use client";

import type { LiveConnection } from "@/lib/fleet/store";
import { useFleet } from "./FleetStoreProvider";

const LABELS: Record<LiveConnection, { text: string; dot: string }> = {
  connecting: { text: "Connecting to live events…", dot: "bg-amber-400" },
  live: { text: "Live", dot: "bg-emerald-500" },
  polling: { text: "Live events down — polling", dot: "bg-orange-500" },
};

export function ConnectionBadge() {
  const connection = useFleet((s) => s.connection);
  const label = LABELS[connection];
  return (
    <span role="status" aria-label={`Live connection: ${label.text}`} className="inline-flex items-center gap-1.5 text-sm text-slate-700">
      <span aria-hidden className={`h-2 w-2 rounded-full ${label.dot}`} />
      {label.text}
    </span>
  );
}
