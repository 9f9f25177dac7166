import { OUTCOME_LABELS } from "@/lib/stop-all/labels";
import type { OperationPhase, TargetOutcome, TargetPhase, TargetState } from "@/lib/stop-all/types";

export const OUTCOME_STYLES: Record<TargetOutcome["kind"], string> = {
  drained: "bg-emerald-100 text-emerald-900",
  restarted: "bg-sky-100 text-sky-900",
  "platform-restarting": "bg-indigo-100 text-indigo-900",
  gone: "bg-slate-200 text-slate-800",
  "restart-failed": "bg-red-100 text-red-900",
  kept: "bg-amber-100 text-amber-900",
  unknown: "bg-orange-100 text-orange-900",
};

export const OPERATION_PHASE_LABELS: Record<OperationPhase, string> = {
  cancelling: "Sending cancels",
  watching: "Waiting for workspaces to drain",
  restarting: "Restarting the ones that did not drain",
  finished: "Finished",
};

/** A target's phase as a short label (the outcome once settled). */
export function phaseLabel(phase: TargetPhase): string {
  switch (phase.kind) {
    case "cancelling":
      return "Cancelling";
    case "watching":
      return "Waiting for drain";
    case "restarting":
      return "Restarting";
    case "settled":
      return capitalize(OUTCOME_LABELS[phase.outcome.kind]);
  }
}

/** Milliseconds after the click, as seconds with one decimal. */
export function secondsAfter(startedAt: number, at: number | undefined): string {
  return at === undefined ? "—" : `${((at - startedAt) / 1000).toFixed(1)} s`;
}

export function outcomeOf(target: TargetState): TargetOutcome | undefined {
  return target.phase.kind === "settled" ? target.phase.outcome : undefined;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
