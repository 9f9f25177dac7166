import "server-only";
import type { JournaledEvent, OperationAction, OperationInfo, OperationView } from "../../stop-all-host/wire";
import type { StopAllOperation } from "../../stop-all/orchestrator";
import type { Clock, TimerHandle } from "../../time/clock";
import type { OperationJournal } from "./journal";

/** How long events may wait in memory before they are written (a restart's mark never waits). */
export const JOURNAL_FLUSH_MS = 25;

/** What a browser's event stream is told: a whole view, then each event after it. */
export type OperationMessage = { kind: "snapshot"; view: OperationView } | { kind: "event"; event: JournaledEvent };

export interface LiveOperation {
  readonly id: string;
  readonly operation: StopAllOperation;
  info(): OperationInfo;
  view(): OperationView;
  seq(): number;
  /** The event with seq > `after` from memory, or undefined when they are no longer there (send a snapshot). */
  eventsAfter(after: number): JournaledEvent[] | undefined;
  watch(listener: (message: OperationMessage) => void): () => void;
  recordAction(action: OperationAction): void;
  /** Writes what is buffered now. */
  flush(): void;
  dispose(): void;
}

/** Events kept in memory for streams that reconnect with Last-Event-ID (a whole 5,000-target operation fits). */
const KEPT_EVENTS = 50_000;

/**
 * One server-owned operation while this process drives it: numbers every
 * event, writes it to the journal (batched every JOURNAL_FLUSH_MS, except
 * `restart-sent`, written at once: the orchestrator emits it just before
 * the restart request leaves, so a crash cannot forget a restart that was
 * sent), and tells the browsers' streams. `onFinished` runs each time the
 * operation reaches `finished` (a retry can re-open it).
 */
export function createLiveOperation(deps: {
  info: OperationInfo;
  operation: StopAllOperation;
  journal: OperationJournal;
  clock: Clock;
  baseSeq: number;
  onFinished(live: LiveOperation): void;
}): LiveOperation {
  const { operation, journal, clock } = deps;
  let info = deps.info;
  let seq = deps.baseSeq;
  let buffer: JournaledEvent[] = [];
  let timer: TimerHandle | undefined;
  const memory: JournaledEvent[] = [];
  const watchers = new Set<(message: OperationMessage) => void>();
  let finishedBefore = operation.getState().phase === "finished";

  function flush(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    journal.append(info.id, batch);
  }

  const view = (): OperationView => ({ ...info, seq, state: operation.getState(), serverNow: clock.now() });

  const stopListening = operation.onEvent((event, state) => {
    const journaled = { seq: ++seq, event };
    buffer.push(journaled);
    memory.push(journaled);
    if (memory.length > KEPT_EVENTS) memory.splice(0, memory.length - KEPT_EVENTS);
    if (event.type === "restart-sent") flush();
    else timer ??= clock.setTimeout(flush, JOURNAL_FLUSH_MS);
    for (const watcher of [...watchers]) watcher({ kind: "event", event: journaled });
    // A cancel still in flight may answer after the end: the journal is told of the end once per time it is reached.
    const endedNow = state.phase === "finished" && !finishedBefore;
    finishedBefore = state.phase === "finished";
    if (state.phase === "finished") flush();
    if (endedNow) {
      journal.finish(info.id, seq, state);
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
      journal.recordAction(info.id, action);
    },
    flush,
    dispose() {
      flush();
      stopListening();
      watchers.clear();
      operation.dispose();
    },
  };
  return live;
}
