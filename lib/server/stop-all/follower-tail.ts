import "server-only";
import type { OperationView } from "../../stop-all-host/wire";
import type { Clock, TimerHandle } from "../../time/clock";
import type { OperationJournal } from "./journal";
import type { OperationMessage } from "./live-operation";
import { foldStored } from "./fold";
import { applyEvent } from "../../stop-all/transitions";

/** How often a replica that does not drive an operation reads its new events (besides NOTIFY). */
export const TAIL_POLL_MS = 150;

/**
 * An operation another replica drives, as this replica's browsers see it:
 * the journal's view, folded once and then kept up by reading the events
 * after the last one (on each change notice, and every TAIL_POLL_MS while
 * anybody watches). A new base (a takeover's resume) sends a snapshot.
 */
export interface FollowerTail {
  view(): OperationView | undefined;
  /** Reads what is new now. */
  refresh(): Promise<void>;
  /** Another process wrote to this operation (NOTIFY): `operation` asks for a whole read. */
  changed(kind: "events" | "action" | "operation"): void;
  watch(send: (message: OperationMessage) => void): () => void;
  watching(): boolean;
  close(): void;
}

export async function openFollowerTail(journal: OperationJournal, operationId: string, clock: Clock): Promise<FollowerTail | undefined> {
  const first = await journal.load(operationId);
  if (!first) return undefined;
  let folded = foldStored(first);
  let view: OperationView = { ...first.info, seq: folded.seq, state: folded.state };
  let baseSeq = first.base.seq;
  const watchers = new Set<(message: OperationMessage) => void>();
  let timer: TimerHandle | undefined;
  let reading: Promise<void> | undefined;
  let closed = false;

  const tell = (message: OperationMessage) => {
    for (const watcher of [...watchers]) watcher(message);
  };

  let polls = 0;
  let reloadAsked = false;

  /** A whole read: a new base or new actions come with a snapshot. */
  async function reload(): Promise<void> {
    const stored = await journal.load(operationId);
    if (!stored || closed) return;
    const rebased = stored.base.seq !== baseSeq || stored.base.seq > view.seq;
    const fresh = stored.events.filter((event) => event.seq > view.seq);
    const infoChanged = JSON.stringify(stored.info.actions) !== JSON.stringify(view.actions);
    baseSeq = stored.base.seq;
    folded = foldStored(stored);
    view = { ...stored.info, seq: folded.seq, state: folded.state };
    if (rebased || infoChanged) return tell({ kind: "snapshot", view: { ...view, serverNow: clock.now() } });
    for (const event of fresh) tell({ kind: "event", event });
  }

  /** The events after the last one read, folded in; a gap (a base moved past them) means a whole read. */
  async function read(): Promise<void> {
    polls += 1;
    if (reloadAsked || polls % 10 === 0) {
      reloadAsked = false;
      return reload();
    }
    const events = await journal.eventsAfter(operationId, view.seq);
    if (closed || events.length === 0) return;
    if (events[0]!.seq !== view.seq + 1) return reload();
    let state = view.state;
    for (const { event } of events) state = applyEvent(state, event);
    view = { ...view, seq: events.at(-1)!.seq, state };
    for (const event of events) tell({ kind: "event", event });
  }

  function refresh(): Promise<void> {
    reading ??= read()
      .catch(() => {})
      .finally(() => {
        reading = undefined;
      });
    return reading;
  }

  function poll(): void {
    timer = undefined;
    if (closed || watchers.size === 0) return;
    void refresh().finally(() => {
      if (!closed && watchers.size > 0) timer ??= clock.setTimeout(poll, TAIL_POLL_MS);
    });
  }

  return {
    view: () => (closed ? undefined : { ...view, serverNow: clock.now() }),
    refresh,
    changed(kind) {
      if (kind === "operation") reloadAsked = true;
      void refresh();
    },
    watch(send) {
      watchers.add(send);
      timer ??= clock.setTimeout(poll, TAIL_POLL_MS);
      return () => void watchers.delete(send);
    },
    watching: () => watchers.size > 0,
    close() {
      closed = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      watchers.clear();
    },
  };
}
