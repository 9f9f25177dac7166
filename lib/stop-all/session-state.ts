import type { StopAllOperation } from "./orchestrator";
import type { Release } from "./session-locks";

/** A wait for the owner of a running operation shown read-only to go, after which this page takes it over. */
export interface TakeOver {
  readonly owner: string | undefined;
  readonly abort: AbortController;
}

/** What ties an owned operation to the page: storage kept up to date, the run lock held until it finishes. */
export interface Owning {
  /** `save`: write the last snapshot (not when storage now holds another tab's operation). */
  stop(options: { save: boolean }): void;
}

/**
 * What the session shows, and whose it is. `owner`: this page runs (or ran)
 * the operation. `observer`: another page's, from storage, read-only; while
 * it runs (and Web Locks exist), `takeOver` waits for its owner to go.
 */
export type Shown =
  | { readonly kind: "none" }
  | { readonly kind: "owner"; readonly operation: StopAllOperation; readonly owning: Owning }
  | { readonly kind: "observer"; readonly operation: StopAllOperation; readonly takeOver?: TakeOver };

/** `starting`: a click is taking the run lock. The page still shows `shown`, and no second click starts anything. */
export type SessionState = Shown | { readonly kind: "starting"; readonly shown: Shown };

/**
 * Where `move` goes next. `owner`: this page owns `operation` from now,
 * holding the run lock `releaseRun`. `observer` with `waitFor`: a running
 * operation whose owner to wait for (the wait already under way for that
 * owner carries on); without: nothing to wait for.
 */
export type Next =
  | { readonly kind: "none" }
  | { readonly kind: "owner"; readonly operation: StopAllOperation; readonly releaseRun: Release }
  | { readonly kind: "observer"; readonly operation: StopAllOperation; readonly waitFor?: { readonly owner: string | undefined } };

/** What entering a state starts; the session provides them. */
export interface Effects {
  own(operation: StopAllOperation, releaseRun: Release): Owning;
  /** Starts waiting for `owner` to go; undefined when there is nothing to wait with. */
  waitToTakeOver(owner: string | undefined): TakeOver | undefined;
}

export const shownOf = (state: SessionState): Shown => (state.kind === "starting" ? state.shown : state);

export const operationOf = (shown: Shown): StopAllOperation | undefined => (shown.kind === "none" ? undefined : shown.operation);

/**
 * The one place the session's state changes. Moving to `next` first leaves
 * what `next` does not carry on (stops owning, abandons a wait), then enters
 * `next`; a start in progress stays in progress. `starting` alone begins or
 * ends one, leaving what is shown as it is.
 */
export function move(state: SessionState, next: Next | { readonly kind: "starting"; readonly on: boolean }, effects: Effects): SessionState {
  if (next.kind === "starting") return next.on ? { kind: "starting", shown: shownOf(state) } : shownOf(state);
  const previous = shownOf(state);
  const kept = previous.kind === "observer" && next.kind === "observer" && next.waitFor && previous.takeOver?.owner === next.waitFor.owner ? previous.takeOver : undefined;
  leave(previous, next, kept);
  const shown = enter(next, kept, effects);
  return state.kind === "starting" ? { kind: "starting", shown } : shown;
}

function leave(previous: Shown, next: Next, kept: TakeOver | undefined): void {
  // Storage holds the other tab's operation once this page observes it: the last snapshot of ours must not overwrite it.
  if (previous.kind === "owner") previous.owning.stop({ save: next.kind !== "observer" });
  if (previous.kind === "observer" && previous.takeOver !== kept) previous.takeOver?.abort.abort();
}

function enter(next: Next, kept: TakeOver | undefined, effects: Effects): Shown {
  switch (next.kind) {
    case "none":
      return next;
    case "owner":
      return { kind: "owner", operation: next.operation, owning: effects.own(next.operation, next.releaseRun) };
    case "observer": {
      const takeOver = kept ?? (next.waitFor ? effects.waitToTakeOver(next.waitFor.owner) : undefined);
      return takeOver ? { kind: "observer", operation: next.operation, takeOver } : { kind: "observer", operation: next.operation };
    }
  }
}
