"use client";

import { useEffect, useState } from "react";

/** The time by `read`, refreshed every `intervalMs` while `active` (for countdowns). */
export function useNow(active: boolean, read: () => number = Date.now, intervalMs = 100): number {
  const [now, setNow] = useState(read);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(read()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, read]);
  return active ? now : read();
}
