"use client";

import { memo } from "react";
import { describeBusyAgain, describeFinding, describeOutcome, describeResume } from "@/lib/stop-all/labels";
import { failedForceKind } from "@/lib/stop-all/transitions";
import type { TargetOutcome, TargetState } from "@/lib/stop-all/types";
import { OUTCOME_STYLES, outcomeOf, phaseLabel, secondsAfter } from "./describe";

export interface TargetActions {
  restartNow(id: string): void;
  keep(id: string): void;
  retryRestart(id: string): void;
}

/**
 * One target's overrides: force it now or keep it while it is open; retry
 * a failed force; force again after a lost answer (asked first). Each name
 * starts with the button's visible text, then says whose (WCAG 2.5.3, axe's
 * label-content-name-mismatch): a speech user says what they see.
 */
function TargetOverrides({ target, outcome, actions, hold }: { target: TargetState; outcome: TargetOutcome | undefined; actions: TargetActions; hold: boolean }) {
  const verb = hold ? "Pause" : "Restart";
  const failed = outcome?.kind === failedForceKind(hold ? "hold" : "stop");
  const open = target.phase.kind === "cancelling" || target.phase.kind === "watching";
  if (!open && !failed && outcome?.kind !== "unknown") return null;
  return (
    <div className="mt-1 flex gap-2 text-xs">
      {open && (
        <>
          <button type="button" className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100" onClick={() => actions.restartNow(target.workspaceId)} aria-label={`${verb} now: ${target.name}`}>
            {verb} now
          </button>
          <button type="button" className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100" onClick={() => actions.keep(target.workspaceId)} aria-label={`Don't ${verb.toLowerCase()} ${target.name}`}>
            Don&apos;t {verb.toLowerCase()}
          </button>
        </>
      )}
      {failed && (
        <button type="button" className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100" onClick={() => actions.retryRestart(target.workspaceId)} aria-label={`Retry ${verb.toLowerCase()} of ${target.name}`}>
          Retry {verb.toLowerCase()}
        </button>
      )}
      {outcome?.kind === "unknown" && (
        <button
          type="button"
          className="rounded border border-orange-300 px-2 py-0.5 hover:bg-orange-50"
          onClick={() => {
            if (window.confirm(`The first ${verb.toLowerCase()} of ${target.name} may already have happened. ${verb} it again?`)) actions.retryRestart(target.workspaceId);
          }}
          aria-label={`${verb} again: ${target.name}`}
        >
          {verb} again…
        </button>
      )}
    </div>
  );
}

/**
 * One target in the progress panel: phase or outcome, what phase 1 found,
 * when things happened, and its overrides. `content-visibility: auto` lets
 * the browser skip style, layout and paint of rows scrolled out of view
 * (hundreds during a large Stop All) while they stay in the DOM and the
 * accessibility tree.
 */
function TargetRowView({
  target,
  startedAt,
  actions,
  readOnly,
  hold = false,
  position,
  total,
}: {
  target: TargetState;
  startedAt: number;
  actions: TargetActions;
  readOnly: boolean;
  hold?: boolean;
  /** Its place among all targets, when the list renders only some of them (aria-posinset / aria-setsize). */
  position?: number;
  total?: number;
}) {
  const outcome = outcomeOf(target);
  const resume = describeResume(target.resume);
  const badge = outcome ? OUTCOME_STYLES[outcome.kind] : "bg-slate-100 text-slate-800";
  return (
    <li
      className="border-b border-slate-100 py-2 [content-visibility:auto] [contain-intrinsic-size:auto_6rem]"
      data-testid={`target-${target.workspaceId}`}
      aria-label={`${target.name}: ${phaseLabel(target.phase)}`}
      aria-posinset={position}
      aria-setsize={total}
    >
      <div className="flex items-center justify-between gap-2">
        <span className="truncate font-medium" title={target.name}>
          {target.name}
        </span>
        <span className={`shrink-0 rounded px-1.5 py-0.5 text-xs ${badge}`} data-testid="target-phase">
          {phaseLabel(target.phase)}
        </span>
      </div>
      <p className="text-xs text-slate-700" data-testid="target-finding">
        {target.finding ? describeFinding(target.finding.headline) : "cancel in progress…"}
      </p>
      {target.busyAgain && (
        <p className="text-xs font-medium text-amber-900" data-testid="target-busy-again">
          {describeBusyAgain(target)}
        </p>
      )}
      {outcome && (
        <p className="text-xs text-slate-700" data-testid="target-outcome">
          {describeOutcome(outcome)}
        </p>
      )}
      {resume && (
        <p className="text-xs font-medium text-violet-900" data-testid="target-resume">
          {resume}
        </p>
      )}
      <p className="text-xs tabular-nums text-slate-600">
        cancel answered {secondsAfter(startedAt, target.times.cancelAnsweredAt)} · drained {secondsAfter(startedAt, target.times.drainedAt)} ·{" "}
        {hold ? `pause sent ${secondsAfter(startedAt, target.times.pauseSentAt)}` : `restart sent ${secondsAfter(startedAt, target.times.restartSentAt)}`}
      </p>
      {!readOnly && <TargetOverrides target={target} outcome={outcome} actions={actions} hold={hold} />}
    </li>
  );
}

export const TargetRow = memo(TargetRowView);
