import type { Clock, TimerHandle } from "../time/clock";

/** The deadline of one operation: fires its callback once the injected clock reaches it. */
export interface DeadlineTimer {
  /**
   * Fires now if the deadline has passed but the timer has not fired yet:
   * a hidden tab's timers are throttled, so every store change (polled
   * about once a second) and the page (when it becomes visible) ask too.
   */
  check(): void;
  /** Clears the timer; `check` can still fire the deadline. */
  stop(): void;
}

/**
 * Sets a timer on `clock` for `deadlineAt`, unless nothing is pending any
 * more. `isPending` says whether the deadline still has to fire (it has
 * not passed yet and the operation has not finished); it guards `check`,
 * so the deadline fires at most once however late the timer is.
 */
export function startDeadlineTimer(clock: Clock, deadlineAt: number, isPending: () => boolean, onDeadline: () => void): DeadlineTimer {
  let timer: TimerHandle | undefined;
  const stop = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  const fire = () => {
    timer = undefined;
    onDeadline();
  };
  if (isPending()) timer = clock.setTimeout(fire, Math.max(0, deadlineAt - clock.now()));
  return {
    check() {
      if (!isPending() || clock.now() < deadlineAt) return;
      stop();
      onDeadline();
    },
    stop,
  };
}
