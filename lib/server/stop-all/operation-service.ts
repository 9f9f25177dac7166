import "server-only";
import type { PlatformClient } from "../../platform/client";
import type { ActionRequest, OperationInfo, OperationSummary, OperationView, StartRequest } from "../../stop-all-host/wire";
import { startStopAll, resumeStopAll, type StopAllOperation } from "../../stop-all/orchestrator";
import { resolveOptions, type StopAllOptions } from "../../stop-all/options";
import { summarize } from "../../stop-all/report";
import { targetOf } from "../../stop-all/targets";
import { applyEvent, initialState } from "../../stop-all/transitions";
import type { StopAllState } from "../../stop-all/types";
import type { Clock } from "../../time/clock";
import type { OperationJournal, StoredOperation } from "./journal";
import { createLiveOperation, type LiveOperation, type OperationMessage } from "./live-operation";
import { recheckTargets } from "./recheck-targets";
import type { ServerFleet } from "./server-fleet";

/** What a start, an action or a read came to, as the route answers it. */
export type ServiceAnswer<T> = { status: number; body: T } | { status: number; error: string; body?: unknown };

export interface OperationServiceDeps {
  /** The fleet this service owns the operation of (one platform per server). */
  fleetKey: string;
  journal: OperationJournal;
  fleet: ServerFleet;
  client: PlatformClient;
  clock: Clock;
  options?: StopAllOptions;
  newId?: () => string;
}

export const HISTORY_LIMIT = 50;

/** The state after folding a stored operation's events onto its base. */
export function foldStored(stored: StoredOperation): { state: StopAllState; seq: number } {
  let state = stored.base.state;
  let seq = stored.base.seq;
  for (const { seq: at, event } of stored.events) {
    state = applyEvent(state, event);
    seq = at;
  }
  return { state, seq };
}

/**
 * Stop All in live mode, owned by the canvas server: at most one operation
 * per fleet whoever starts it, run with the core (lib/stop-all) on the
 * server's clock and platform client, journaled as it goes, and carried on
 * after a restart of the server (`resume`). Browsers start it, watch it and
 * steer it through /api/stop-all.
 */
export function createOperationService(deps: OperationServiceDeps) {
  const newId = deps.newId ?? (() => crypto.randomUUID());
  let latest: LiveOperation | undefined;
  let starting: Promise<unknown> | undefined;
  const stopPolling = new Map<string, () => void>();

  function track(live: LiveOperation): LiveOperation {
    if (latest && latest !== live) latest.dispose();
    latest = live;
    if (live.operation.getState().phase !== "finished") stopPolling.set(live.id, deps.fleet.pollFast());
    return live;
  }

  function onFinished(live: LiveOperation): void {
    stopPolling.get(live.id)?.();
    stopPolling.delete(live.id);
  }

  function host(info: OperationInfo, operation: StopAllOperation, baseSeq: number): LiveOperation {
    const live = createLiveOperation({ info, operation, journal: deps.journal, clock: deps.clock, baseSeq, onFinished });
    // Synchronously, before any request can leave the process: what construction already did (a first look that
    // saw drains, restarts a resume sends at once) becomes the journal's base.
    deps.journal.rebase(info.id, baseSeq, operation.getState());
    if (operation.getState().phase === "finished") deps.journal.finish(info.id, baseSeq, operation.getState());
    return track(live);
  }

  async function startChecked(request: StartRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
    const running = latestRunning();
    if (running) return { status: 409, error: "a Stop All is already running for this fleet", body: running.view() };
    try {
      await deps.fleet.refresh();
    } catch (error) {
      if (!deps.fleet.loaded()) return { status: 503, error: `the platform's workspaces cannot be read: ${error instanceof Error ? error.message : String(error)}` };
    }
    const checked = recheckTargets(request.targets, deps.fleet.workspaces());
    if (!checked.ok) return { status: 400, error: checked.error };
    if (checked.targets.length === 0) return { status: 422, error: "none of the confirmed workspaces is still busy", body: { leftOut: checked.leftOut } };
    const startedAt = deps.clock.now();
    const info: OperationInfo = { id: newId(), fleet: deps.fleetKey, actor, reason: request.reason?.trim() ?? "", startedAt, leftOut: checked.leftOut, actions: [] };
    const input = { targets: checked.targets, client: deps.client, fleet: deps.fleet.view, clock: deps.clock, options: deps.options };
    const began = deps.journal.begin(info, initialStateOf(input));
    if (!began.ok) {
      const other = viewOf(began.runningId);
      return { status: 409, error: "a Stop All is already running for this fleet", body: other };
    }
    return { status: 201, body: host(info, startStopAll(input), 0).view() };
  }

  function initialStateOf(input: Parameters<typeof startStopAll>[0]): StopAllState {
    // The journal's first base, as startStopAll makes it; host() replaces it with the started operation's own.
    const seeds = input.targets.map((workspace) => ({ workspaceId: workspace.id, name: workspace.name, protocol: workspace.protocol }));
    const now = deps.clock.now();
    return initialState(seeds, now, now + resolveOptions(deps.options).deadlineMs);
  }

  function latestRunning(): LiveOperation | undefined {
    return latest && latest.operation.getState().phase !== "finished" ? latest : undefined;
  }

  function viewOf(id: string): OperationView | undefined {
    if (latest?.id === id) return latest.view();
    const stored = deps.journal.load(id);
    if (!stored) return undefined;
    const { state, seq } = foldStored(stored);
    return { ...stored.info, seq, state };
  }

  function act(id: string, request: ActionRequest, actor: string): ServiceAnswer<OperationView> {
    if (!latest || latest.id !== id) {
      return viewOf(id) ? { status: 409, error: "only the fleet's latest Stop All can be steered" } : { status: 404, error: "no such Stop All" };
    }
    const live = latest;
    const { workspaceId } = request;
    if (workspaceId !== undefined && !targetOf(live.operation.getState(), workspaceId)) return { status: 400, error: `${JSON.stringify(workspaceId)} is not a target of this Stop All` };
    if (request.action === "retry" && live.operation.getState().phase === "finished") {
      const reopened = deps.journal.reopen(id);
      if (!reopened.ok) return { status: 409, error: "another Stop All is running for this fleet", body: viewOf(reopened.runningId) };
      stopPolling.set(id, deps.fleet.pollFast());
    }
    live.recordAction({ at: deps.clock.now(), actor, action: request.action, ...(workspaceId === undefined ? {} : { workspaceId }) });
    if (request.action === "restart-now") live.operation.restartNow(workspaceId);
    else if (request.action === "keep") live.operation.keep(workspaceId);
    else live.operation.retryRestart(workspaceId);
    return { status: 200, body: live.view() };
  }

  return {
    /** Starts an operation on the confirmed ids that are still targets (201), or joins the running one (409). */
    async start(request: StartRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
      // One start at a time in this process: a second click waits and then sees the first's operation.
      const previous = starting;
      const run = (async () => {
        await previous?.catch(() => {});
        return startChecked(request, actor);
      })();
      starting = run;
      return run;
    },
    act,
    /** The running operation, else the latest one. */
    current: (): OperationView | undefined => latest?.view() ?? recent(1)[0]?.view,
    view: viewOf,
    recent: (limit = HISTORY_LIMIT) => recent(limit).map((entry) => entry.summary),
    /** Streams one operation: a snapshot (or the events after `afterSeq`), then its events. Undefined when unknown. */
    watch(id: string, afterSeq: number | undefined, send: (message: OperationMessage) => void): (() => void) | undefined {
      if (latest?.id === id) {
        const missed = afterSeq === undefined ? undefined : latest.eventsAfter(afterSeq);
        if (missed) for (const event of missed) send({ kind: "event", event });
        else send({ kind: "snapshot", view: latest.view() });
        return latest.watch(send);
      }
      const view = viewOf(id);
      if (!view) return undefined;
      send({ kind: "snapshot", view });
      return () => {};
    },
    /**
     * Carries on what the journal says was running when this process last
     * stopped, and hosts the latest finished one otherwise (for its report
     * and retries). Waits for the fleet's rows first: before they load,
     * every target would look removed.
     */
    async resume(): Promise<void> {
      await deps.fleet.refresh();
      for (const id of deps.journal.running(deps.fleetKey)) {
        const stored = deps.journal.load(id);
        if (stored) host(stored.info, resumeFrom(stored).operation, foldStored(stored).seq);
      }
      if (latest) return;
      const [newest] = deps.journal.recent(deps.fleetKey, 1);
      const stored = newest && deps.journal.load(newest.info.id);
      if (stored) {
        const { operation, seq } = resumeFrom(stored);
        track(createLiveOperation({ info: stored.info, operation, journal: deps.journal, clock: deps.clock, baseSeq: seq, onFinished }));
      }
    },
    dispose(): void {
      latest?.dispose();
      latest = undefined;
      for (const release of stopPolling.values()) release();
      stopPolling.clear();
    },
  };

  function resumeFrom(stored: StoredOperation): { operation: StopAllOperation; seq: number } {
    const { state, seq } = foldStored(stored);
    return { operation: resumeStopAll({ saved: state, client: deps.client, fleet: deps.fleet.view, clock: deps.clock, options: deps.options }), seq };
  }

  function recent(limit: number): { view: OperationView; summary: OperationSummary }[] {
    return deps.journal.recent(deps.fleetKey, limit).map(({ info, state: stored }) => {
      const state = latest?.id === info.id ? latest.operation.getState() : stored;
      const view = latest?.id === info.id ? latest.view() : { ...info, seq: 0, state };
      return { view, summary: { id: info.id, actor: info.actor, reason: info.reason, startedAt: info.startedAt, finishedAt: state.finishedAt, phase: state.phase, targets: state.targets.length, summary: summarize(state) } };
    });
  }
}

export type OperationService = ReturnType<typeof createOperationService>;
