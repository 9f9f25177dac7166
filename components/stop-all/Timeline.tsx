"use client";

import type { StopAllState } from "@/lib/stop-all/types";
import { useStopAllClock } from "./StopAllProvider";
import { useNow } from "./use-now";
import { targetOf } from "@/lib/stop-all/targets";

const ROW = 10;
const MAX_ROWS = 120;

function Tick({ at, y, color }: { at: number | undefined; y: number; color: string }) {
  return <line x1={at} x2={at} y1={y - ROW * 0.45} y2={y + ROW * 0.45} stroke={color} strokeWidth={4} vectorEffect="non-scaling-stroke" />;
}

/**
 * One bar per target from the click to where it ended: the green dot is the
 * drain, the blue one the restart, the tick the cancel's answer, the red line
 * the deadline. Shows at a glance where the time went.
 */
export function Timeline({ state }: { state: StopAllState }) {
  // Running bars grow with time; four redraws a second are plenty for that.
  const now = useNow(state.phase !== "finished", useStopAllClock(), 250);
  const end = Math.max(state.deadlineAt, state.finishedAt ?? now) - state.startedAt;
  const x = (at: number | undefined) => (at === undefined ? undefined : Math.min(100, Math.max(0, ((at - state.startedAt) / end) * 100)));
  const ids = state.order.slice(0, MAX_ROWS);
  const height = ids.length * ROW;
  const deadline = x(state.deadlineAt) ?? 100;
  return (
    <figure className="mt-2">
      <svg
        role="img"
        aria-label={`Timeline of ${state.order.length} targets over ${(end / 1000).toFixed(1)} s; the deadline is at ${((state.deadlineAt - state.startedAt) / 1000).toFixed(0)} s`}
        viewBox={`0 0 100 ${height}`}
        preserveAspectRatio="none"
        className="h-auto w-full border border-slate-200 bg-slate-50"
        style={{ height: Math.min(240, height * 1.2) }}
      >
        {ids.map((id, row) => {
          const target = targetOf(state, id);
          if (!target) return null;
          const { times } = target;
          const y = row * ROW + ROW / 2;
          const startX = x(times.cancelSentAt) ?? 0;
          const endX = x(times.settledAt ?? now) ?? 100;
          return (
            <g key={id}>
              <line x1={startX} x2={endX} y1={y} y2={y} stroke="#94a3b8" strokeWidth={ROW * 0.4} vectorEffect="non-scaling-stroke" />
              {times.cancelAnsweredAt !== undefined && <line x1={x(times.cancelAnsweredAt)} x2={x(times.cancelAnsweredAt)} y1={y - 3} y2={y + 3} stroke="#334155" vectorEffect="non-scaling-stroke" />}
              {/* Markers are short thick ticks: circles would stretch with the non-uniform scale. */}
              {times.drainedAt !== undefined && <Tick at={x(times.drainedAt)} y={y} color="#059669" />}
              {times.restartSentAt !== undefined && <Tick at={x(times.restartSentAt)} y={y} color="#0284c7" />}
            </g>
          );
        })}
        <line x1={deadline} x2={deadline} y1={0} y2={height} stroke="#dc2626" strokeDasharray="2 2" vectorEffect="non-scaling-stroke" />
      </svg>
      <figcaption className="mt-1 text-xs text-slate-600">
        Bar: cancel sent → settled. <span className="text-emerald-700">●</span> drained <span className="text-sky-700">●</span> restart sent,
        red line: deadline{state.order.length > MAX_ROWS ? ` (first ${MAX_ROWS} of ${state.order.length} shown)` : ""}.
      </figcaption>
    </figure>
  );
}
