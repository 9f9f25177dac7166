import { outcomeLabel } from "@/lib/stop-all/labels";
import type { OperationPhase, StopMode, TargetOutcome, TargetPhase } from "@/lib/stop-all/types";

export const OUTCOME_STYLES: Record<TargetOutcome["kind"], string> = {
  drained: "bg-emerald-100 text-emerald-900",
  restarted: "bg-sky-100 text-sky-900",
  "platform-restarting": "bg-indigo-100 text-indigo-900",
  gone: "bg-slate-200 text-slate-800",
  "restart-failed": "bg-red-100 text-red-900",
  kept: "bg-amber-100 text-amber-900",
  unknown: "bg-orange-100 text-orange-900",
  held: "bg-violet-100 text-violet-900",
  "held-forced": "bg-violet-200 text-violet-950",
  "pause-failed": "bg-red-100 text-red-900",
  "pause-skipped": "bg-slate-200 text-slate-800",
};

export const OPERATION_PHASE_LABELS: Record<OperationPhase, string> = {
  cancelling: "Sending cancels",
  watching: "Waiting for workspaces to drain",
  restarting: "Restarting the ones that did not drain",
  resuming: "Resuming what it held",
  finished: "Finished",
};

/** The phase line of an operation: a hold pauses where a stop restarts. */
export function operationPhaseLabel(phase: OperationPhase, mode: StopMode | undefined): string {
  return mode === "hold" && phase === "restarting" ? "Pausing the ones that did not drain" : OPERATION_PHASE_LABELS[phase];
}

/** A target's phase as a short label (the outcome once settled). */
export function phaseLabel(phase: TargetPhase): string {
  switch (phase.kind) {
    case "cancelling":
      return "Cancelling";
    case "watching":
      return "Waiting for drain";
    case "restarting":
      return "Restarting";
    case "holding":
      return phase.trigger === "drained" ? "Drained, pausing" : "Pausing";
    case "settled":
      return capitalize(outcomeLabel(phase.outcome));
  }
}

/** Milliseconds after the click, as seconds with one decimal. */
export function secondsAfter(startedAt: number, at: number | undefined): string {
  return at === undefined ? "—" : `${((at - startedAt) / 1000).toFixed(1)} s`;
}

export { outcomeOf } from "@/lib/stop-all/targets";

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
