import type { OperationPhase } from "./types";

/**
 * What the panel says above an operation this page shows read-only, true in
 * every case. A running one is another open tab's: a page takes over a
 * running operation whose owner is gone. A finished one may be another
 * tab's, or this tab's own from before a reload or a navigation: every page
 * is a new owner, and the page that ran it no longer exists.
 */
export function readOnlyNote(phase: OperationPhase): string {
  return phase === "finished"
    ? "Started earlier in this browser, in another tab or on this page before it was reloaded: shown read-only here."
    : "Running in another tab of this browser: shown read-only here.";
}
