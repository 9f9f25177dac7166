import "server-only";
import type { JournaledEvent, OperationAction, OperationInfo, OperationView } from "../../stop-all-host/wire";
import type { StopAllOperation } from "../../stop-all/orchestrator";
import type { Clock, TimerHandle } from "../../time/clock";
import type { Lease, OperationJournal } from "./journal";

/** How long events may wait in memory before they are written. */
export const JOURNAL_FLUSH_MS = 25;
/** Between tries to write what the journal could not take (Postgres down). */
export const JOURNAL_RETRY_MS = 500;

/** What a browser's event stream is told: a whole view, then each event after it. */
export type OperationMessage = { kind: "snapshot"; view: OperationView } | { kind: "event"; event: JournaledEvent };

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

/**
 * One server-owned operation while this process drives it: numbers every
 * event, writes it to the journal in order (batched every
 * JOURNAL_FLUSH_MS; a restart's durable mark is its claim, made before it
 * leaves), and tells the browsers' streams. What the journal cannot take
 * (Postgres down) stays in memory, in order, and is written once it is
 * back. `onFinished` runs each time the operation reaches `finished`.
 */
export function createLiveOperation(deps: {
  info: OperationInfo;
  operation: StopAllOperation;
  journal: OperationJournal;
  clock: Clock;
  baseSeq: number;
  /** The lease every write is tied to (it changes when a retry re-opens the operation). */
  lease(): Lease;
  onFinished(live: LiveOperation): void;
  /** The journal refused a write: another replica drives the operation now. */
  onFenced(): void;
}): LiveOperation {
  const { operation, journal, clock } = deps;
  let info = deps.info;
  let seq = deps.baseSeq;
  let pending: Array<() => Promise<boolean>> = [];
  let buffer: JournaledEvent[] = [];
  let timer: TimerHandle | undefined;
  let writing: Promise<void> | undefined;
  let failing = false;
  let disposed = false;
  const memory: JournaledEvent[] = [];
  const watchers = new Set<(message: OperationMessage) => void>();
  let finishedBefore = operation.getState().phase === "finished";
  // First write: what construction already did (a first look that saw drains, restarts a resume sent at once).
  const base = operation.getState();
  const baseSeq = seq;
  pending.push(() => (finishedBefore ? journal.finish(info.id, deps.lease(), baseSeq, base) : journal.rebase(info.id, deps.lease(), baseSeq, base)));
  void drain();

  /** Writes queued work in order; a failure keeps it (and what follows) for the next try. */
  function drain(): Promise<void> {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (buffer.length > 0) {
      const batch = buffer;
      buffer = [];
      pending.push(() => journal.append(info.id, deps.lease(), batch));
    }
    writing ??= (async () => {
      while (pending.length > 0) {
        try {
          const accepted = await pending[0]!();
          pending.shift();
          failing = false;
          if (!accepted) {
            // Taken over: nothing of this replica's is written any more.
            pending = [];
            buffer = [];
            disposed = true;
            deps.onFenced();
            break;
          }
        } catch {
          failing = true;
          break;
        }
      }
      writing = undefined;
      if (failing && !disposed) timer = clock.setTimeout(() => void drain(), JOURNAL_RETRY_MS);
    })();
    return writing;
  }

  const view = (): OperationView => ({ ...info, seq, state: operation.getState(), serverNow: clock.now() });

  const stopListening = operation.onEvent((event, state) => {
    const journaled = { seq: ++seq, event };
    buffer.push(journaled);
    memory.push(journaled);
    if (memory.length > KEPT_EVENTS) memory.splice(0, memory.length - KEPT_EVENTS);
    timer ??= clock.setTimeout(() => void drain(), JOURNAL_FLUSH_MS);
    for (const watcher of [...watchers]) watcher({ kind: "event", event: journaled });
    // A cancel still in flight may answer after the end: the end is written once per time it is reached.
    const endedNow = state.phase === "finished" && !finishedBefore;
    finishedBefore = state.phase === "finished";
    if (endedNow) {
      const at = seq;
      const final = state;
      drain();
      pending.push(() => journal.finish(info.id, deps.lease(), at, final));
      void drain();
      deps.onFinished(live);
    }
  });

  const live: LiveOperation = {
    id: info.id,
    operation,
    info: () => info,
    view,
    seq: () => seq,
    eventsAfter(after) {
      // Ahead of this process (it resumed after a crash, with events the page saw but the journal never got): a snapshot.
      if (after > seq) return undefined;
      if (after === seq) return [];
      const first = memory[0];
      if (!first || first.seq > after + 1) return undefined;
      return memory.slice(after + 1 - first.seq);
    },
    watch(listener) {
      watchers.add(listener);
      return () => void watchers.delete(listener);
    },
    recordAction(action) {
      info = { ...info, actions: [...info.actions, action] };
      pending.push(() => journal.recordAction(info.id, deps.lease(), action));
      void drain();
    },
    behind: () => failing || pending.length > 0 || buffer.length > 0,
    failing: () => failing,
    written: () => drain(),
    dispose() {
      disposed = true;
      void drain();
      stopListening();
      watchers.clear();
      operation.dispose();
    },
  };
  return live;
}
