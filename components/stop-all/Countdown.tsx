"use client";

import { formatRemaining } from "@/lib/stop-all/options";
import { useStopAllClock } from "./StopAllProvider";
import { useNow } from "./use-now";

/**
 * The time left until the fallback restart; the only part of the panel that
 * redraws every 100 ms. It counts to the operation's own deadlineAt (set from
 * the deployment's deadline at the click, kept across a reload), never to a
 * fixed 8 s.
 */
export function Countdown({ deadlineAt }: { deadlineAt: number }) {
  const now = useNow(true, useStopAllClock());
  const remainingMs = Math.max(0, deadlineAt - now);
  return (
    <p className="text-sm font-medium tabular-nums" role="timer" aria-label="Time until restart" data-testid="stop-all-countdown">
      Restarting undrained workspaces in {formatRemaining(remainingMs)}
    </p>
  );
}
