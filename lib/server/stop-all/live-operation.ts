import "server-only";
import type { JournaledEvent, OperationAction, OperationInfo, OperationView } from "../../stop-all-host/wire";
import type { StopAllOperation } from "../../stop-all/orchestrator";
import type { Clock } from "../../time/clock";
import type { Lease, OperationJournal } from "./journal";
import { createJournalWrites } from "./journal-writes";
import { LEASE_MS } from "./lease";

export { JOURNAL_FLUSH_MS, JOURNAL_RETRY_MS } from "./journal-writes";

/** What a browser's event stream is told: a whole view, then each event after it. */
export type OperationMessage =
  | { kind: "snapshot"; view: OperationView }
  | { kind: "event"; event: JournaledEvent }
  /** This source stops (a takeover, a lost lease): the browser reconnects, with its last seq, to whatever shows it now. */
  | { kind: "end" };

export interface LiveOperation {
  readonly id: string;
  readonly operation: StopAllOperation;
  info(): OperationInfo;
  view(): OperationView;
  seq(): number;
  /** The events with seq > `after` from memory, or undefined when they are no longer there (send a snapshot). */
  eventsAfter(after: number): JournaledEvent[] | undefined;
  watch(listener: (message: OperationMessage) => void): () => void;
  recordAction(action: OperationAction): void;
  /** True while some writes wait for the journal to come back. */
  behind(): boolean;
  /** True while the journal refuses or cannot take writes (they are retried). */
  failing(): boolean;
  /** Resolves once everything so far is written (or the journal gave up for now). */
  written(): Promise<void>;
  dispose(): void;
}

/** Events kept in memory for streams that reconnect with Last-Event-ID (a whole 5,000-target operation fits). */
const KEPT_EVENTS = 50_000;

export interface LiveOperationDeps {
  info: OperationInfo;
  operation: StopAllOperation;
  journal: OperationJournal;
  clock: Clock;
  baseSeq: number;
  /** The lease every write is tied to (it changes when a retry re-opens the operation). */
  lease(): Lease;
  /** A finished operation the journal re-opened (a retry) before this process hosted it. */
  reopened?: boolean;
  onFinished(live: LiveOperation): void;
  /** The journal refused a write: another replica drives the operation now. */
  onFenced(): void;
  /** A batch of events that began at `startedAt` was written, and extended the lease (see OperationJournal.append). */
  onLeaseRenewed?(startedAt: number): void;
}

/** The kept events with seq > `after`, or undefined when some of them are no longer kept (send a snapshot). */
function keptEventsAfter(memory: readonly JournaledEvent[], seq: number, after: number): JournaledEvent[] | undefined {
  // Ahead of this process (it resumed after a crash, with events the page saw but the journal never got): a snapshot.
  if (after > seq) return undefined;
  if (after === seq) return [];
  const first = memory[0];
  if (!first || first.seq > after + 1) return undefined;
  return memory.slice(after + 1 - first.seq);
}

/**
 * One server-owned operation while this process drives it: numbers every
 * event, writes it to the journal in order (batched every
 * JOURNAL_FLUSH_MS by journal-writes.ts; a restart's durable mark is its
 * claim, made before it leaves), and tells the browsers' streams. What the
 * journal cannot take (Postgres down) stays in memory, in order, and is
 * written once it is back. `onFinished` runs each time the operation
 * reaches `finished`.
 */
export function createLiveOperation(deps: LiveOperationDeps): LiveOperation {
  const { operation, journal, clock } = deps;
  let info = deps.info;
  let seq = deps.baseSeq;
  const append = async (batch: JournaledEvent[]) => {
    // Each batch that lands renews the lease (timed from before the write, as a renewal is).
    const startedAt = clock.now();
    const written = await journal.append(info.id, deps.lease(), batch, startedAt + LEASE_MS);
    if (written) deps.onLeaseRenewed?.(startedAt);
    return written;
  };
  const writes = createJournalWrites({ clock, append, onFenced: () => deps.onFenced() });
  const memory: JournaledEvent[] = [];
  const watchers = new Set<(message: OperationMessage) => void>();
  let finishedBefore = operation.getState().phase === "finished";
  // First write: what construction already did (a first look that saw drains, restarts a resume sent at once).
  const base = operation.getState();
  const baseSeq = seq;
  // A finished operation re-opened for a retry stays running in the journal: its base is not an end.
  const asEnd = finishedBefore && !deps.reopened;
  writes.queue(() => (asEnd ? journal.finish(info.id, deps.lease(), baseSeq, base) : journal.rebase(info.id, deps.lease(), baseSeq, base)));
  void writes.drain();

  const view = (): OperationView => ({ ...info, seq, state: operation.getState(), serverNow: clock.now() });

  const stopListening = operation.onEvent((event, state) => {
    const journaled = { seq: ++seq, event };
    writes.buffer(journaled);
    memory.push(journaled);
    if (memory.length > KEPT_EVENTS) memory.splice(0, memory.length - KEPT_EVENTS);
    for (const watcher of [...watchers]) watcher({ kind: "event", event: journaled });
    // A cancel still in flight may answer after the end: the end is written once per time it is reached.
    const endedNow = state.phase === "finished" && !finishedBefore;
    finishedBefore = state.phase === "finished";
    if (endedNow) {
      const at = seq;
      const final = state;
      void writes.drain();
      writes.queue(() => journal.finish(info.id, deps.lease(), at, final));
      void writes.drain();
      deps.onFinished(live);
    }
  });

  const live: LiveOperation = {
    id: info.id,
    operation,
    info: () => info,
    view,
    seq: () => seq,
    eventsAfter: (after) => keptEventsAfter(memory, seq, after),
    watch(listener) {
      watchers.add(listener);
      return () => void watchers.delete(listener);
    },
    recordAction(action) {
      info = { ...info, actions: [...info.actions, action] };
      writes.queue(() => journal.recordAction(info.id, deps.lease(), action));
      void writes.drain();
    },
    behind: () => writes.behind(),
    failing: () => writes.failing(),
    written: () => writes.drain(),
    dispose() {
      // Streams watching here reconnect to whatever shows the operation now (the journal, another driver).
      for (const watcher of [...watchers]) watcher({ kind: "end" });
      writes.stop();
      void writes.drain();
      stopListening();
      watchers.clear();
      operation.dispose();
    },
  };
  return live;
}
