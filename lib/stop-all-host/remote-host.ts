import type { FetchLike } from "../platform/client";
import type { Workspace } from "../platform/workspace";
import { selectStopTargets } from "../stop-all/select-targets";
import type { Clock, TimerHandle } from "../time/clock";
import type { StartOptions, StopAllHost } from "./host";
import { createRemoteOperation, type RemoteOperation } from "./remote-operation";
import { readAnswer, type HostAnswer } from "./remote-answer";
import { openOperationStream, type EventSourceLike, type OperationStream } from "./operation-stream-client";
import { operationSummarySchema, parseOperationView, type OperationActionKind, type OperationSummary, type OperationView } from "./wire";

export const STOP_ALL_API = "/api/stop-all";
/** How often a page with no running operation asks whether someone else started one. */
export const DISCOVER_MS = 3000;

export interface RemoteHostDeps {
  fetch: FetchLike;
  createEventSource(url: string): EventSourceLike;
  clock: Clock;
}

/** The remote host has every optional part of a host, and a life of its own. */
export type RemoteHost = StopAllHost & Required<Pick<StopAllHost, "role" | "notice" | "now" | "info" | "history" | "show">> & { init(): Promise<void>; dispose(): void };

export type RemoteStartResult = { kind: "started" | "joined"; operation: RemoteOperation } | { kind: "no-targets" | "already-running" | "refused" };

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });

/**
 * Live mode's Stop All host: the canvas server runs the operation; this
 * page starts it (POST /api/stop-all), watches it (its event stream, folded
 * with the core's reducer) and steers it (POST …/actions). A second
 * operator's start gets the running one back (409) and joins it. With no
 * running operation shown, it looks every DISCOVER_MS for one someone else
 * started.
 */
export function createRemoteHost(deps: RemoteHostDeps): RemoteHost {
  const listeners = new Set<() => void>();
  let shown: RemoteOperation | undefined;
  let stream: OperationStream | undefined;
  let unsubscribeShown: (() => void) | undefined;
  let notice: string | undefined;
  let offsetMs = 0;
  let starting = false;
  let discoverTimer: TimerHandle | undefined;
  let disposed = false;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const setNotice = (next: string | undefined) => {
    notice = next;
    notify();
  };
  // Shown until the driver can write again: a restart it cannot claim is not sent (it fails, and can be retried).
  let journalNotice: string | undefined;
  const setJournalProblem = (problem: string | undefined) => {
    const next = problem ? `Stop All journal problem: ${problem}. No restart is sent that cannot be claimed in the journal; those fail, and can be retried once it is back.` : undefined;
    if (next === journalNotice) return;
    journalNotice = next;
    notify();
  };
  const isRunning = () => shown !== undefined && shown.getState().phase !== "finished";
  const request = (path: string, init?: RequestInit) => readAnswer(deps.fetch(path, { cache: "no-store", ...init }));

  function show(view: OperationView): RemoteOperation {
    if (view.serverNow !== undefined) offsetMs = view.serverNow - deps.clock.now();
    if (shown?.id === view.id) {
      shown.reset(view);
      return shown;
    }
    unsubscribeShown?.();
    stream?.close();
    shown?.dispose();
    const operation = createRemoteOperation(view, (action, workspaceId) => void act(view.id, action, workspaceId));
    shown = operation;
    unsubscribeShown = operation.subscribe(notify);
    stream = openOperationStream({
      ...deps,
      url: `${STOP_ALL_API}/${encodeURIComponent(view.id)}/events`,
      operation,
      onView: (next) => show(next),
      onJournalProblem: (problem) => setJournalProblem(problem),
    });
    setJournalProblem(view.journalProblem);
    notify();
    return operation;
  }

  async function act(id: string, action: OperationActionKind, workspaceId?: string): Promise<void> {
    const answer = await request(`${STOP_ALL_API}/${encodeURIComponent(id)}/actions`, json({ action, ...(workspaceId === undefined ? {} : { workspaceId }) }));
    if (answer.ok) {
      show(parseOperationView(answer.body));
      return setNotice(undefined);
    }
    setNotice(`The server refused that (${describe(answer)})`);
  }

  async function discover(): Promise<void> {
    discoverTimer = undefined;
    if (disposed) return;
    if (!isRunning() && !starting) {
      const answer = await request(`${STOP_ALL_API}/current`);
      if (answer.ok) {
        const view = parseOperationView(answer.body);
        // A finished operation of earlier is only shown if nothing else is; a running one always.
        if (view.state.phase !== "finished" || !shown) show(view);
      }
    }
    if (!disposed) discoverTimer = deps.clock.setTimeout(() => void discover(), DISCOVER_MS);
  }

  async function start(workspaces: readonly Workspace[], options: StartOptions = {}): Promise<RemoteStartResult> {
    if (starting || isRunning()) return { kind: "already-running" };
    const targets = selectStopTargets(workspaces).map((workspace) => workspace.id);
    if (targets.length === 0) return { kind: "no-targets" };
    starting = true;
    notify();
    try {
      const reason = options.reason?.trim();
      const answer = await request(STOP_ALL_API, json({ targets, ...(reason ? { reason } : {}) }));
      if (answer.ok) {
        setNotice(undefined);
        return { kind: "started", operation: show(parseOperationView(answer.body)) };
      }
      const running = answer.status === 409 && answer.operation ? answer.operation : undefined;
      if (running) {
        setNotice(undefined);
        return { kind: "joined", operation: show(parseOperationView(running)) };
      }
      setNotice(answer.status === 422 ? `Nothing was stopped: ${describe(answer)}` : `Stop All could not start (${describe(answer)})`);
      return { kind: "refused" };
    } finally {
      starting = false;
      notify();
    }
  }

  return {
    takesReason: true,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    current: () => shown,
    start,
    role: () => (shown ? "owner" : "none"),
    notice: () => journalNotice ?? notice,
    now: () => deps.clock.now() + offsetMs,
    info: () => shown?.info(),
    async history(): Promise<OperationSummary[]> {
      const answer = await request(STOP_ALL_API);
      if (!answer.ok) throw new Error(`the history could not be read (${describe(answer)})`);
      return operationSummarySchema.array().parse(answer.body) as OperationSummary[];
    },
    async show(operationId) {
      const answer = await request(`${STOP_ALL_API}/${encodeURIComponent(operationId)}`);
      if (!answer.ok) throw new Error(`that Stop All could not be read (${describe(answer)})`);
      show(parseOperationView(answer.body));
    },
    init: () => discover(),
    dispose() {
      disposed = true;
      if (discoverTimer !== undefined) deps.clock.clearTimeout(discoverTimer);
      unsubscribeShown?.();
      stream?.close();
      shown?.dispose();
      listeners.clear();
    },
  };
}

function describe(answer: HostAnswer): string {
  if (answer.ok) return "ok";
  const leftOut = answer.leftOut?.length ? `; left out: ${answer.leftOut.map((entry) => `${entry.workspaceId} (${entry.why})`).join(", ")}` : "";
  return `${answer.status ? `${answer.status}: ` : ""}${answer.error}${leftOut}`;
}
