"use client";

import { useFleet } from "./FleetStoreProvider";
import { countBusy, countOffline, countOnline } from "./fleet-counts";

export function FleetCounts() {
  const total = useFleet((s) => s.ids.length);
  const online = useFleet(countOnline);
  const offline = useFleet(countOffline);
  const busy = useFleet(countBusy);
  return (
    <dl aria-label="Fleet counts" className="flex items-center gap-4 text-sm">
      {[
        ["Workspaces", total],
        ["Online", online],
        ["Offline", offline],
        ["Busy", busy],
      ].map(([label, value]) => (
        <div key={label} className="flex gap-1">
          <dt className="text-slate-600">{label}</dt>
          <dd className="font-semibold tabular-nums" data-testid={`count-${String(label).toLowerCase()}`}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
