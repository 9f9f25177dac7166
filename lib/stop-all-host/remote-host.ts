import type { FetchLike } from "../platform/client";
import type { Workspace } from "../platform/workspace";
import { selectStopTargets } from "../stop-all/select-targets";
import type { Clock, TimerHandle } from "../time/clock";
import type { StartOptions, StopAllHost } from "./host";
import type { EventSourceLike } from "./operation-stream-client";
import { describeAnswer, type HostAnswer } from "./remote-answer";
import type { RemoteOperation } from "./remote-operation";
import { createShownOperation, type ShownOperation } from "./shown-operation";
import { createStopAllApi, type StopAllApi } from "./stop-all-api";
import { operationSummarySchema, parseOperationView, type OperationActionKind, type OperationSummary } from "./wire";

export { STOP_ALL_API } from "./stop-all-api";

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

/** What a start's answer comes to: an operation to show (its view still unparsed), or why nothing started. */
function startOutcome(answer: HostAnswer): { kind: "started" | "joined"; body: unknown } | { kind: "refused"; notice: string } {
  if (answer.ok) return { kind: "started", body: answer.body };
  const running = answer.status === 409 && answer.operation ? answer.operation : undefined;
  if (running) return { kind: "joined", body: running };
  return { kind: "refused", notice: answer.status === 422 ? `Nothing was stopped: ${describeAnswer(answer)}` : `Stop All could not start (${describeAnswer(answer)})` };
}

/**
 * Looks for an operation someone else started (GET …/current) now and every
 * DISCOVER_MS after, while none runs here and no start is under way.
 */
function createDiscovery(deps: { clock: Clock; api: StopAllApi; shown: ShownOperation; starting(): boolean }): { look(): Promise<void>; stop(): void } {
  const { clock, api, shown } = deps;
  let timer: TimerHandle | undefined;
  let stopped = false;
  async function look(): Promise<void> {
    timer = undefined;
    if (stopped) return;
    if (!shown.isRunning() && !deps.starting()) {
      const answer = await api.current();
      if (answer.ok) {
        const view = parseOperationView(answer.body);
        // A finished operation of earlier is only shown if nothing else is; a running one always.
        if (view.state.phase !== "finished" || !shown.current()) shown.show(view);
      }
    }
    if (!stopped) timer = clock.setTimeout(() => void look(), DISCOVER_MS);
  }
  return {
    look,
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    },
  };
}

/**
 * Live mode's Stop All host: the canvas server runs the operation; this
 * page starts it (POST /api/stop-all), watches it (its event stream, folded
 * with the core's reducer) and steers it (POST …/actions). A second
 * operator's start gets the running one back (409) and joins it. With no
 * running operation shown, it looks every DISCOVER_MS for one someone else
 * started. The calls are in stop-all-api.ts, the shown operation and its
 * stream in shown-operation.ts.
 */
export function createRemoteHost(deps: RemoteHostDeps): RemoteHost {
  const listeners = new Set<() => void>();
  const api = createStopAllApi(deps.fetch);
  let notice: string | undefined;
  let starting = false;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const setNotice = (next: string | undefined) => {
    notice = next;
    notify();
  };
  const shown = createShownOperation({ clock: deps.clock, createEventSource: deps.createEventSource, notify, act: (id, action, workspaceId) => void act(id, action, workspaceId) });
  const discovery = createDiscovery({ clock: deps.clock, api, shown, starting: () => starting });

  async function act(id: string, action: OperationActionKind, workspaceId?: string): Promise<void> {
    const answer = await api.act(id, action, workspaceId);
    if (answer.ok) {
      shown.show(parseOperationView(answer.body));
      return setNotice(undefined);
    }
    setNotice(`The server refused that (${describeAnswer(answer)})`);
  }

  async function start(workspaces: readonly Workspace[], options: StartOptions = {}): Promise<RemoteStartResult> {
    if (starting || shown.isRunning()) return { kind: "already-running" };
    const targets = selectStopTargets(workspaces).map((workspace) => workspace.id);
    if (targets.length === 0) return { kind: "no-targets" };
    starting = true;
    notify();
    try {
      const outcome = startOutcome(await api.start(targets, options.reason?.trim(), options.mode));
      if (outcome.kind === "refused") {
        setNotice(outcome.notice);
        return { kind: "refused" };
      }
      setNotice(undefined);
      return { kind: outcome.kind, operation: shown.show(parseOperationView(outcome.body)) };
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
    current: () => shown.current(),
    start,
    role: () => (shown.current() ? "owner" : "none"),
    // Both when both: a refused start must not hide behind the journal's problem, nor the other way round.
    notice: () => [shown.journalNotice(), notice].filter(Boolean).join(" ") || undefined,
    now: () => deps.clock.now() + shown.offsetMs(),
    info: () => shown.current()?.info(),
    async history(): Promise<OperationSummary[]> {
      const answer = await api.history();
      if (!answer.ok) throw new Error(`the history could not be read (${describeAnswer(answer)})`);
      return operationSummarySchema.array().parse(answer.body) as OperationSummary[];
    },
    async show(operationId) {
      const answer = await api.view(operationId);
      if (!answer.ok) throw new Error(`that Stop All could not be read (${describeAnswer(answer)})`);
      shown.show(parseOperationView(answer.body));
    },
    init: () => discovery.look(),
    dispose() {
      discovery.stop();
      shown.dispose();
      listeners.clear();
    },
  };
}
