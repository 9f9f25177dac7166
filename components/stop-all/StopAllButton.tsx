"use client";

import { useStopAllPhase, useStopAllReadOnly } from "./StopAllProvider";

/**
 * "Stop All (N)", or "Stop selected (k)" while workspaces are selected on
 * the canvas (k: the busy ones among them): opens the confirmation;
 * disabled when none is busy or an operation runs.
 */
export function StopAllButton({ busy, scoped, onRequest }: { busy: number; scoped: boolean; onRequest: () => void }) {
  const phase = useStopAllPhase();
  const readOnly = useStopAllReadOnly();
  const running = phase !== undefined && phase !== "finished";
  const disabled = busy === 0 || running;
  const idle = scoped ? "No selected workspace is busy" : "No workspace is busy";
  return (
    <button
      type="button"
      onClick={onRequest}
      disabled={disabled}
      title={running ? (readOnly ? "A Stop All is running in another tab" : "A Stop All is running") : busy === 0 ? idle : undefined}
      className="rounded bg-red-700 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-red-800 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-700"
    >
      {scoped ? `Stop selected (${busy})` : `Stop All (${busy})`}
    </button>
  );
}
