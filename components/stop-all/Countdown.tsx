"use client";

import { useStopAllClock } from "./StopAllProvider";
import { useNow } from "./use-now";

/** The time left until the fallback restart; the only part of the panel that redraws every 100 ms. */
export function Countdown({ deadlineAt }: { deadlineAt: number }) {
  const now = useNow(true, useStopAllClock());
  const remainingMs = Math.max(0, deadlineAt - now);
  return (
    <p className="text-sm font-medium tabular-nums" role="timer" aria-label="Time until restart" data-testid="stop-all-countdown">
      Restarting undrained workspaces in {(remainingMs / 1000).toFixed(1)} s
    </p>
  );
}
