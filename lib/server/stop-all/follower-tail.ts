import "server-only";
import type { JournaledEvent, OperationView } from "../../stop-all-host/wire";
import type { Clock, TimerHandle } from "../../time/clock";
import type { OperationJournal, StoredOperation } from "./journal";
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

/** What a whole read of `stored` tells a tail at `view`: a new base or new actions come as a snapshot, else the new events. */
function reloaded(stored: StoredOperation, view: OperationView, baseSeq: number, now: number): { view: OperationView; messages: OperationMessage[] } {
  const rebased = stored.base.seq !== baseSeq || stored.base.seq > view.seq;
  const fresh = stored.events.filter((event) => event.seq > view.seq);
  const infoChanged = JSON.stringify(stored.info.actions) !== JSON.stringify(view.actions);
  const folded = foldStored(stored);
  const next: OperationView = { ...stored.info, seq: folded.seq, state: folded.state };
  if (rebased || infoChanged) return { view: next, messages: [{ kind: "snapshot", view: { ...next, serverNow: now } }] };
  return { view: next, messages: fresh.map((event) => ({ kind: "event", event })) };
}

/** Folds `events` (which follow `view`'s last one) onto it. */
function appended(view: OperationView, events: readonly JournaledEvent[]): OperationView {
  let state = view.state;
  for (const { event } of events) state = applyEvent(state, event);
  return { ...view, seq: events.at(-1)!.seq, state };
}

/** Runs `work`; resolves with why it failed, or undefined when it did not. */
function failureOf(work: () => Promise<void>): Promise<string | undefined> {
  return work().then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

/** Opens a tail on `operationId` (undefined when the journal has no such operation). */
export async function openFollowerTail(journal: OperationJournal, operationId: string, clock: Clock): Promise<FollowerTail | undefined> {
  const first = await journal.load(operationId);
  if (!first) return undefined;
  const folded = foldStored(first);
  let view: OperationView = { ...first.info, seq: folded.seq, state: folded.state };
  let baseSeq = first.base.seq;
  const watchers = new Set<(message: OperationMessage) => void>();
  let timer: TimerHandle | undefined;
  let reading: Promise<void> | undefined;
  let closed = false;
  let polls = 0;
  let reloadAsked = false;

  let problem: string | undefined;
  const tell = (messages: readonly OperationMessage[]) => messages.forEach((message) => [...watchers].forEach((watcher) => watcher(message)));

  /** A whole read: a new base or new actions come with a snapshot. */
  async function reload(): Promise<void> {
    const stored = await journal.load(operationId);
    if (!stored || closed) return;
    const next = reloaded(stored, view, baseSeq, clock.now());
    baseSeq = stored.base.seq;
    view = next.view;
    tell(next.messages);
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
    view = appended(view, events);
    tell(events.map((event) => ({ kind: "event", event })));
  }

  function refresh(): Promise<void> {
    // A journal this replica cannot read: the view says so (its progress line carries it).
    reading ??= failureOf(read).then((failure) => {
      problem = failure;
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
    view: () => (closed ? undefined : { ...view, serverNow: clock.now(), ...(problem ? { journalProblem: problem } : {}) }),
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
      // Streams watching here reconnect to whatever shows the operation now (after a takeover: its driver).
      for (const watcher of [...watchers]) watcher({ kind: "end" });
      watchers.clear();
    },
  };
}
