import type { Clock } from "../time/clock";
import { openOperationStream, type EventSourceLike, type OperationStream } from "./operation-stream-client";
import { createRemoteOperation, type RemoteOperation } from "./remote-operation";
import { operationEventsUrl } from "./stop-all-api";
import type { OperationActionKind, OperationView } from "./wire";

/** The operation a remote host shows, with its event stream (see createShownOperation). */
export interface ShownOperation {
  /** Shows `view`: the shown operation reset to it, or a new one (with its own stream) in its place. */
  show(view: OperationView, authoritative?: boolean): RemoteOperation;
  current(): RemoteOperation | undefined;
  /** Whether an operation is shown and not finished. */
  isRunning(): boolean;
  /** The server's clock minus the page's, as of the last view that said. */
  offsetMs(): number;
  /** What to tell the operator while the driver cannot write to the journal, else undefined. */
  journalNotice(): string | undefined;
  dispose(): void;
}

/**
 * The shown operation of a remote host: one at a time, folded from its
 * event stream (which re-shows a snapshot through `show`); its actions go
 * to `act`, and every change to `notify`.
 */
export function createShownOperation(deps: {
  clock: Clock;
  createEventSource(url: string): EventSourceLike;
  notify(): void;
  act(id: string, action: OperationActionKind, workspaceId?: string): void;
}): ShownOperation {
  let shown: RemoteOperation | undefined;
  let stream: OperationStream | undefined;
  let unsubscribeShown: (() => void) | undefined;
  let offsetMs = 0;
  // Shown until the driver can write again: a restart it cannot claim is not sent (it fails, and can be retried).
  let journalNotice: string | undefined;
  const setJournalProblem = (problem: string | undefined) => {
    const next = problem ? `Stop All journal problem: ${problem}. No restart is sent that cannot be claimed in the journal; those fail, and can be retried once it is back.` : undefined;
    if (next === journalNotice) return;
    journalNotice = next;
    deps.notify();
  };
  const close = () => {
    unsubscribeShown?.();
    stream?.close();
    shown?.dispose();
  };

  function show(view: OperationView, authoritative = false): RemoteOperation {
    if (view.serverNow !== undefined) offsetMs = view.serverNow - deps.clock.now();
    if (shown?.id === view.id) {
      shown.reset(view, authoritative);
      setJournalProblem(view.journalProblem);
      return shown;
    }
    close();
    const operation = createRemoteOperation(view, (action, workspaceId) => deps.act(view.id, action, workspaceId));
    shown = operation;
    unsubscribeShown = operation.subscribe(deps.notify);
    stream = openOperationStream({
      clock: deps.clock,
      createEventSource: deps.createEventSource,
      url: operationEventsUrl(view.id),
      operation,
      onView: (next) => show(next, true),
      onJournalProblem: (problem) => setJournalProblem(problem),
    });
    setJournalProblem(view.journalProblem);
    deps.notify();
    return operation;
  }

  return {
    show,
    current: () => shown,
    isRunning: () => shown !== undefined && shown.getState().phase !== "finished",
    offsetMs: () => offsetMs,
    journalNotice: () => journalNotice,
    dispose: close,
  };
}
