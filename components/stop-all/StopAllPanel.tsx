"use client";

import { memo, useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from "react";
import { summarize } from "@/lib/stop-all/report";
import { readOnlyNote } from "@/lib/stop-all/read-only-note";
import { operationPhaseLabel } from "./describe";
import { ResumeHeld } from "./ResumeHeld";
import { useStopAllCoordinator, useStopAllReadOnly, useStopAllStateThrottled } from "./StopAllProvider";
import { TargetRow, type TargetActions } from "./TargetRow";
import { Timeline } from "./Timeline";
import { Countdown } from "./Countdown";
import { FinishedActions } from "./FinishedActions";
import { QuietWatch } from "./QuietWatch";
import { OverrideActions } from "./OverrideActions";
import { OperationByline } from "./OperationByline";
import type { TargetState } from "@/lib/stop-all/types";
import { useScrolls } from "./use-scrolls";

const NO_TARGETS: readonly TargetState[] = [];

/**
 * Rows rendered at first, and added each time the end of the list comes
 * near (or "Show more" is pressed). A 2,000-target operation then builds
 * 50 rows, not 2,000, in the seconds its cancels go out: on one machine
 * with the canvas server, the page's DOM work takes CPU from the operation
 * (npm run bench: the first render of 200 rows was most of the page's
 * ~0.3 s of work just after the click). 50 rows are several screens of the
 * panel.
 */
export const TARGET_ROWS_PER_PAGE = 50;

/** Every target's row, a page at a time. Its own component so the panel can hand it a deferred (interruptible) list. */
const TargetList = memo(function TargetList({ targets, startedAt, actions, readOnly, hold }: { targets: readonly TargetState[]; startedAt: number; actions: TargetActions; readOnly: boolean; hold: boolean }) {
  const [shown, setShown] = useState(TARGET_ROWS_PER_PAGE);
  const more = useRef<HTMLLIElement>(null);
  const hidden = Math.max(0, targets.length - shown);
  const someHidden = hidden > 0;
  const showMore = useCallback(() => setShown((count) => count + TARGET_ROWS_PER_PAGE), []);
  useEffect(() => {
    const sentinel = more.current;
    if (!sentinel || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && showMore(), { root: sentinel.parentElement, rootMargin: "600px" });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [someHidden, shown, showMore]);
  const rows = hidden > 0 ? targets.slice(0, shown) : targets;
  // A tab stop while it scrolls: a list whose rows hold no control (all settled) is still scrolled by keyboard.
  const [list, scrolls] = useScrolls<HTMLUListElement>();
  return (
    <ul ref={list} aria-label="Stop All targets" tabIndex={scrolls ? 0 : undefined} className="min-h-0 flex-1 overflow-y-auto px-3 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-600">
      {rows.map((target, index) => (
        <TargetRow key={target.workspaceId} target={target} startedAt={startedAt} actions={actions} readOnly={readOnly} hold={hold} position={index + 1} total={targets.length} />
      ))}
      {hidden > 0 && (
        <li ref={more} className="py-2 text-center text-xs text-slate-700">
          <button type="button" onClick={showMore} className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">
            Show {Math.min(TARGET_ROWS_PER_PAGE, hidden)} more ({hidden} not shown)
          </button>
        </li>
      )}
    </ul>
  );
});

/** The panel's heading; the Close button once the operation has finished. */
function PanelTitle({ titleId, finished, onDismiss }: { titleId: string; finished: boolean; onDismiss: () => void }) {
  return (
    <div className="flex items-center justify-between">
      <h2 id={titleId} className="font-semibold">
        Stop All
      </h2>
      {finished && (
        <button type="button" onClick={onDismiss} className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100">
          Close
        </button>
      )}
    </div>
  );
}

/**
 * The docked progress panel of the current (or last) Stop All: countdown,
 * overrides, each target's phase and outcome, the summary (announced to
 * screen readers once, when it ends), retry and the report.
 */
export function StopAllPanel({ onDismiss, labelledBy }: { onDismiss: () => void; /** Id of a heading that names this panel apart when several share a page. */ labelledBy?: string }) {
  const titleId = useId();
  const state = useStopAllStateThrottled();
  const coordinator = useStopAllCoordinator();
  const readOnly = useStopAllReadOnly();
  const running = state !== undefined && state.phase !== "finished" && state.phase !== "resuming";

  const actions = useMemo<TargetActions>(
    () => ({
      restartNow: (id) => coordinator.current()?.restartNow(id),
      keep: (id) => coordinator.current()?.keep(id),
      retryRestart: (id) => coordinator.current()?.retryRestart(id),
    }),
    [coordinator],
  );

  // Thousands of rows render at transition priority, which React slices into
  // short tasks: the header, countdown and overrides never wait for them, and
  // opening the panel on a 2,000-target operation is not one long task.
  const listed = useDeferredValue(state?.targets ?? NO_TARGETS, NO_TARGETS);
  const [header, headerScrolls] = useScrolls<HTMLDivElement>();

  if (!state) return null;
  const finished = state.phase === "finished";

  return (
    <aside aria-labelledby={labelledBy ? `${titleId} ${labelledBy}` : titleId} className="absolute inset-y-0 right-0 z-10 flex w-[26rem] max-w-full flex-col border-l border-slate-300 bg-white shadow-lg">
      {/* At most 60% of the panel, scrolling on its own: a tall header (a long quiet watch, the timeline) never squeezes the targets out of view. A tab stop while it scrolls, so a keyboard can scroll it. */}
      <div ref={header} tabIndex={headerScrolls ? 0 : undefined} role="group" aria-label="Stop All status" className="max-h-[60%] shrink-0 overflow-y-auto border-b border-slate-200 p-3 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-600">
        <PanelTitle titleId={titleId} finished={finished} onDismiss={onDismiss} />
        <OperationByline running={running} />
        {readOnly && (
          <p className="mt-1 rounded bg-amber-50 px-2 py-1 text-xs text-amber-950" data-testid="stop-all-read-only">
            {readOnlyNote(state.phase)}
          </p>
        )}
        <p className="text-sm text-slate-700" data-testid="stop-all-phase">
          {operationPhaseLabel(state.phase, state.mode)}
        </p>
        {running && !state.deadlinePassed && <Countdown deadlineAt={state.deadlineAt} />}
        <p role="status" aria-live="polite" className="mt-1 text-sm font-semibold" data-testid="stop-all-summary">
          {finished || state.phase === "resuming" ? summarize(state) : ""}
        </p>
        {finished && <QuietWatch state={state} readOnly={readOnly} />}
        <div className="mt-2 flex flex-wrap gap-2 text-sm">
          <OverrideActions state={state} readOnly={readOnly} />
          <FinishedActions state={state} />
        </div>
        <ResumeHeld state={state} readOnly={readOnly} />
        <Timeline state={state} />
      </div>
      <TargetList targets={listed} startedAt={state.startedAt} actions={actions} readOnly={readOnly} hold={state.mode === "hold"} />
    </aside>
  );
}
