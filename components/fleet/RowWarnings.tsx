"use client";

import { useFleet } from "./FleetStoreProvider";

/** Rows the platform sent that could not be shown, and why. */
export function RowWarnings() {
  const warnings = useFleet((s) => s.warnings);
  if (warnings.length === 0) return null;
  return (
    <details role="alert" className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950">
      <summary className="cursor-pointer">
        {warnings.length === 1 ? "1 workspace row was" : `${warnings.length} workspace rows were`} dropped because the platform sent invalid data
      </summary>
      <ul className="mt-1 list-disc pl-6">
        {warnings.slice(0, 50).map((warning) => (
          <li key={`${warning.index}-${warning.message}`}>{warning.message}</li>
        ))}
        {warnings.length > 50 && <li>…and {warnings.length - 50} more</li>}
      </ul>
    </details>
  );
}
