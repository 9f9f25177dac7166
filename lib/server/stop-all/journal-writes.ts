import "server-only";
import type { JournaledEvent } from "../../stop-all-host/wire";
import type { Clock, TimerHandle } from "../../time/clock";

/** How long events may wait in memory before they are written. */
export const JOURNAL_FLUSH_MS = 25;
/** Between tries to write what the journal could not take (Postgres down). */
export const JOURNAL_RETRY_MS = 500;

/** One journal write; false when the journal refused it (the lease moved on). */
export type JournalWrite = () => Promise<boolean>;

/** A driven operation's writes to the journal, in order (see createJournalWrites). */
export interface JournalWrites {
  /** Queues `write` after everything queued so far (buffered events join the queue on the next drain). */
  queue(write: JournalWrite): void;
  /** Buffers an event; the buffer is written as one batch within JOURNAL_FLUSH_MS. */
  buffer(event: JournaledEvent): void;
  /** Moves the buffered events into the queue and writes the queue; resolves once it is written or failed for now. */
  drain(): Promise<void>;
  /** True while some writes wait (queued, buffered, or failing). */
  behind(): boolean;
  /** True while the journal cannot take writes (they are retried every JOURNAL_RETRY_MS). */
  failing(): boolean;
  /** No retries from now on (a drain still writes what is queued). */
  stop(): void;
}

/**
 * The ordered write queue of one driven operation: each write waits for
 * the one before it; a failure keeps it (and what follows) for a retry
 * after JOURNAL_RETRY_MS. A refused write means another replica drives the
 * operation now: everything left is dropped and `onFenced` runs.
 */
export function createJournalWrites(deps: { clock: Clock; append(batch: JournaledEvent[]): Promise<boolean>; onFenced(): void }): JournalWrites {
  const { clock } = deps;
  let pending: JournalWrite[] = [];
  let buffered: JournaledEvent[] = [];
  let timer: TimerHandle | undefined;
  let writing: Promise<void> | undefined;
  let failing = false;
  let stopped = false;

  /** Writes queued work in order; a failure keeps it (and what follows) for the next try. */
  function drain(): Promise<void> {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (buffered.length > 0) {
      const batch = buffered;
      buffered = [];
      pending.push(() => deps.append(batch));
    }
    // Nothing to write: a writer started now would end before `writing` was set, and stay set.
    if (pending.length === 0) return writing ?? Promise.resolve();
    writing ??= (async () => {
      while (pending.length > 0) {
        try {
          const accepted = await pending[0]!();
          pending.shift();
          failing = false;
          if (!accepted) {
            // Taken over: nothing of this replica's is written any more.
            pending = [];
            buffered = [];
            stopped = true;
            deps.onFenced();
            break;
          }
        } catch {
          failing = true;
          break;
        }
      }
      writing = undefined;
      if (failing && !stopped) timer = clock.setTimeout(() => void drain(), JOURNAL_RETRY_MS);
    })();
    return writing;
  }

  return {
    queue: (write) => void pending.push(write),
    buffer(event) {
      buffered.push(event);
      timer ??= clock.setTimeout(() => void drain(), JOURNAL_FLUSH_MS);
    },
    drain,
    behind: () => failing || pending.length > 0 || buffered.length > 0,
    failing: () => failing,
    stop: () => void (stopped = true),
  };
}
