import "server-only";
import type { PlatformClient } from "../../platform/client";
import type { ActionRequest, OperationInfo, OperationSummary, OperationView, StartRequest } from "../../stop-all-host/wire";
import { resolveOptions, type StopAllOptions } from "../../stop-all/options";
import { summarize } from "../../stop-all/report";
import { targetOf } from "../../stop-all/targets";
import { initialState } from "../../stop-all/transitions";
import type { Clock, TimerHandle } from "../../time/clock";
import { drive, type Driven } from "./driver";
import { foldStored } from "./fold";
import { openFollowerTail, type FollowerTail } from "./follower-tail";
import { JournalUnavailableError, type OperationJournal } from "./journal";
import { hasLapsed, LEASE_MS, RENEW_MS } from "./lease";
import type { OperationMessage } from "./live-operation";
import { recheckTargets } from "./recheck-targets";
import type { ServerFleet } from "./server-fleet";

export { foldStored } from "./fold";

/** What a start, an action or a read came to, as the route answers it. */
export type ServiceAnswer<T> = { status: number; body: T } | { status: number; error: string; body?: unknown };

export interface OperationServiceDeps {
  /** The fleet this service owns the operation of (one platform per deployment). */
  fleetKey: string;
  journal: OperationJournal;
  fleet: ServerFleet;
  client: PlatformClient;
  clock: Clock;
  options?: StopAllOptions;
  /** This process among the replicas (a new one per process start). */
  replicaId: string;
  newId?: () => string;
}

export const HISTORY_LIMIT = 50;
/** How long a replica that does not drive an operation waits for the driver to take an action. */
export const ACTION_WAIT_MS = 3000;

const unavailable = (error: unknown): ServiceAnswer<never> => ({
  status: 503,
  error: `${error instanceof JournalUnavailableError ? error.message : `the Stop All journal failed (${error instanceof Error ? error.message : String(error)})`}: no Stop All can start or change until it is back`,
});

/**
 * Stop All in live mode, owned by the canvas servers: at most one running
 * operation per fleet whoever starts it on whichever replica (the journal
 * enforces it), driven by exactly one replica under a lease it renews every
 * RENEW_MS. Every replica looks for a lease that lapsed (its driver died,
 * hung or lost the journal) and takes the operation over, carrying it on
 * from the journal with its original deadline. Replicas that do not drive
 * an operation show it from the journal and queue their operators' actions
 * for the driver.
 */
export function createOperationService(deps: OperationServiceDeps) {
  const { journal, clock } = deps;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const driven = new Map<string, Driven>();
  const tails = new Map<string, Promise<FollowerTail | undefined>>();
  let starting: Promise<unknown> = Promise.resolve();
  let keeper: TimerHandle | undefined;
  let disposed = false;


  function adopt(entry: Driven): Driven {
    for (const [id, other] of driven) {
      // Only the fleet's latest operation stays hosted here; an older finished one is read from the journal.
      if (id !== entry.live.id && other.live.operation.getState().phase === "finished") {
        other.stop();
        driven.delete(id);
      }
    }
    driven.set(entry.live.id, entry);
    return entry;
  }

  async function startChecked(request: StartRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
    const [running] = await journal.running(deps.fleetKey);
    if (running) return { status: 409, error: "a Stop All is already running for this fleet", body: await viewOf(running.id) };
    try {
      await deps.fleet.refresh();
    } catch (error) {
      if (!deps.fleet.loaded()) return { status: 503, error: `the platform's workspaces cannot be read: ${error instanceof Error ? error.message : String(error)}` };
    }
    const checked = recheckTargets(request.targets, deps.fleet.workspaces());
    if (!checked.ok) return { status: 400, error: checked.error };
    if (checked.targets.length === 0) return { status: 422, error: "none of the confirmed workspaces is still busy", body: { leftOut: checked.leftOut } };
    const now = clock.now();
    const info: OperationInfo = { id: newId(), fleet: deps.fleetKey, actor, reason: request.reason?.trim() ?? "", startedAt: now, leftOut: checked.leftOut, actions: [] };
    const seeds = checked.targets.map((workspace) => ({ workspaceId: workspace.id, name: workspace.name, protocol: workspace.protocol }));
    const began = await journal.begin(info, initialState(seeds, now, now + resolveOptions(deps.options).deadlineMs), deps.replicaId, now + LEASE_MS);
    if (!began.ok) return { status: 409, error: "a Stop All is already running for this fleet", body: await viewOf(began.runningId) };
    const entry = adopt(drive({ ...deps, info, lease: began.lease, grantedAt: now, from: { targets: checked.targets } }));
    return { status: 201, body: entry.live.view() };
  }

  async function viewOf(id: string): Promise<OperationView | undefined> {
    const here = driven.get(id);
    if (here) {
      const problem = here.journalProblem();
      return problem ? { ...here.live.view(), journalProblem: problem } : here.live.view();
    }
    const tail = await tails.get(id);
    if (tail) return tail.view();
    const stored = await journal.load(id);
    if (!stored) return undefined;
    const { state, seq } = foldStored(stored);
    return { ...stored.info, seq, state, serverNow: clock.now() };
  }

  async function act(id: string, request: ActionRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
    const view = await viewOf(id);
    if (!view) return { status: 404, error: "no such Stop All" };
    const [latest] = await journal.recent(deps.fleetKey, 1);
    if (latest?.info.id !== id) return { status: 409, error: "only the fleet's latest Stop All can be steered" };
    const { workspaceId } = request;
    if (workspaceId !== undefined && !targetOf(view.state, workspaceId)) return { status: 400, error: `${JSON.stringify(workspaceId)} is not a target of this Stop All` };
    const here = driven.get(id) ?? (view.state.phase === "finished" ? await hostFinished(id) : undefined);
    if (!here) return queueForDriver(id, request, actor);
    if (here.fence.lost()) return { status: 409, error: "another canvas replica drives this Stop All now; try again" };
    if (request.action === "retry" && here.live.operation.getState().phase === "finished") {
      const reopened = await here.reopen();
      if (!reopened.ok) return { status: 409, error: "another Stop All is running for this fleet", body: await viewOf(reopened.runningId) };
    }
    here.apply(request, actor);
    return { status: 200, body: here.live.view() };
  }

  /** A finished operation this replica does not host: it hosts it now (its retry takes a new lease, see Driven.reopen). */
  async function hostFinished(id: string): Promise<Driven | undefined> {
    const stored = await journal.load(id);
    if (!stored || stored.status !== "finished") return undefined;
    const { state, seq } = foldStored(stored);
    const lease = { owner: deps.replicaId, generation: stored.lease.generation };
    return adopt(drive({ ...deps, info: stored.info, lease, grantedAt: clock.now(), from: { saved: state, seq } }));
  }

  async function queueForDriver(id: string, request: ActionRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
    const actionId = newId();
    await journal.queueAction({ id: actionId, operationId: id, request, actor, at: clock.now() });
    const until = clock.now() + ACTION_WAIT_MS;
    while (clock.now() < until) {
      if (await journal.actionTaken(actionId)) {
        await (await tails.get(id))?.refresh();
        return { status: 200, body: (await viewOf(id))! };
      }
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 100));
    }
    return { status: 202, error: "queued for the canvas replica that drives this Stop All; it has not taken it yet", body: await viewOf(id) };
  }

  return {
    /** Starts an operation on the confirmed ids that are still targets (201), or joins the running one (409). */
    async start(request: StartRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
      // One start at a time in this process; across replicas the journal decides.
      const run = starting.then(() => startChecked(request, actor).catch(unavailable));
      starting = run.catch(() => {});
      return run;
    },
    act: (id: string, request: ActionRequest, actor: string) => act(id, request, actor).catch(unavailable),
    /** The running operation, else the latest one. */
    async current(): Promise<OperationView | undefined> {
      const [running] = await journal.running(deps.fleetKey);
      const id = running?.id ?? (await journal.recent(deps.fleetKey, 1))[0]?.info.id;
      return id ? viewOf(id) : undefined;
    },
    view: viewOf,
    async recent(limit = HISTORY_LIMIT): Promise<OperationSummary[]> {
      const entries = await journal.recent(deps.fleetKey, limit);
      return entries.map(({ info, state: stored }) => {
        const state = driven.get(info.id)?.live.operation.getState() ?? stored;
        return { id: info.id, actor: info.actor, reason: info.reason, startedAt: info.startedAt, finishedAt: state.finishedAt, phase: state.phase, targets: state.targets.length, summary: summarize(state) };
      });
    },
    /** Streams one operation: a snapshot (or the events after `afterSeq`), then its events. Undefined when unknown. */
    async watch(id: string, afterSeq: number | undefined, send: (message: OperationMessage) => void): Promise<(() => void) | undefined> {
      const here = driven.get(id);
      if (here) {
        const missed = afterSeq === undefined ? undefined : here.live.eventsAfter(afterSeq);
        if (missed) for (const event of missed) send({ kind: "event", event });
        else send({ kind: "snapshot", view: here.live.view() });
        return here.live.watch(send);
      }
      if (!tails.has(id)) tails.set(id, openFollowerTail(journal, id, clock));
      const tail = await tails.get(id);
      const view = tail?.view();
      if (!tail || !view) return undefined;
      send({ kind: "snapshot", view });
      return tail.watch(send);
    },
    /** One round of the keeper: renew what this replica drives, take what it may, apply queued actions. */
    tick: () => keeperRound(),
    /** Keeps leases, takeovers and queued actions going every RENEW_MS (and on each change notice). */
    startKeeper(): void {
      const unsubscribe = journal.onChange((change) => {
        void tails.get(change.operationId)?.then((tail) => tail?.changed(change.kind));
        if (change.kind === "action") void applyQueued(change.operationId);
      });
      const loop = () => {
        keeper = undefined;
        if (disposed) return unsubscribe();
        void keeperRound().finally(() => {
          if (!disposed) keeper = clock.setTimeout(loop, RENEW_MS);
        });
      };
      loop();
    },
    dispose(): void {
      disposed = true;
      if (keeper !== undefined) clock.clearTimeout(keeper);
      for (const entry of driven.values()) entry.stop();
      driven.clear();
      for (const tail of tails.values()) void tail.then((t) => t?.close());
      tails.clear();
    },
    /** Test and bench use: whether this replica drives `id` now. */
    drives: (id: string) => driven.has(id) && driven.get(id)!.fence.mayAct(),
  };

  async function applyQueued(id: string): Promise<void> {
    const here = driven.get(id);
    if (!here || here.fence.lost()) return;
    for (const action of await journal.takeActions(id, here.lease()).catch(() => [])) here.apply(action.request, action.actor);
  }

  async function keeperRound(): Promise<void> {
    for (const [id, entry] of [...driven]) {
      const renewed = await entry.renew();
      if (renewed === false) driven.delete(id);
      else if (renewed === true) await applyQueued(id);
    }
    let running: Awaited<ReturnType<OperationJournal["running"]>>;
    try {
      running = await journal.running(deps.fleetKey);
    } catch {
      return;
    }
    for (const { id, lease } of running) {
      if (driven.has(id) || !hasLapsed(lease.until, clock.now())) continue;
      await takeOver(id).catch(() => {});
    }
    for (const [id, pending] of [...tails]) {
      const tail = await pending;
      if (!tail?.watching() && !driven.has(id)) {
        tail?.close();
        tails.delete(id);
      }
    }
  }

  async function takeOver(id: string): Promise<void> {
    const now = clock.now();
    const lease = await journal.takeOver(id, deps.replicaId, now, now + LEASE_MS);
    if (!lease) return;
    // The fleet first: before its rows load, every target would look removed.
    await deps.fleet.refresh().catch(() => {});
    const stored = await journal.load(id);
    if (!stored) return;
    const { state, seq } = foldStored(stored);
    adopt(drive({ ...deps, info: stored.info, lease, grantedAt: now, from: { saved: state, seq } }));
    const tail = await tails.get(id);
    tails.delete(id);
    // Streams watching it here move to the driver's live events.
    tail?.close();
  }
}

export type OperationService = ReturnType<typeof createOperationService>;
