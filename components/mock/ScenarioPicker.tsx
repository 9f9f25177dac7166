"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useMockControl } from "./MockPlatformGate";

/**
 * Mock mode only: switch the simulated fleet to another scenario (a reload
 * with `?scenario=`) or put the current one back to its start.
 */
export function ScenarioPicker() {
  const control = useMockControl();
  const queryClient = useQueryClient();
  const selectId = useId();
  if (!control) return null;

  const switchTo = (name: string) => {
    const url = new URL(window.location.href);
    url.searchParams.set("scenario", name);
    window.location.assign(url.toString());
  };

  return (
    <div className="flex items-center gap-2 rounded border border-dashed border-slate-300 px-2 py-1 text-xs text-slate-700">
      <label htmlFor={selectId}>Mock scenario</label>
      <select
        id={selectId}
        value={control.scenario}
        onChange={(event) => switchTo(event.target.value)}
        className="rounded border border-slate-300 bg-white px-1 py-0.5"
      >
        {control.scenarioNames.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <button
        type="button"
        onClick={() => {
          control.reset();
          void queryClient.invalidateQueries();
        }}
        className="rounded border border-slate-300 bg-white px-2 py-0.5 hover:bg-slate-100"
      >
        Reset fleet
      </button>
      {control.scenarioError && (
        <span role="alert" className="text-red-800">
          {control.scenarioError}
        </span>
      )}
    </div>
  );
}
