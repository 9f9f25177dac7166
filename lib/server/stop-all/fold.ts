import { applyEvent } from "../../stop-all/transitions";
import type { StopAllState } from "../../stop-all/types";
import type { StoredOperation } from "./journal";

/** The state after folding a stored operation's events onto its base, with the core's own reducer. */
export function foldStored(stored: Pick<StoredOperation, "base" | "events">): { state: StopAllState; seq: number } {
  let state = stored.base.state;
  let seq = stored.base.seq;
  for (const { seq: at, event } of stored.events) {
    state = applyEvent(state, event);
    seq = at;
  }
  return { state, seq };
}
