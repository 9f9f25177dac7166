import "server-only";
import type { PlatformClient } from "../../platform/client";
import type { Workspace } from "../../platform/workspace";
import type { ActionRequest, OperationInfo } from "../../stop-all-host/wire";
import { resumeStopAll, startStopAll, type StopAllOperation } from "../../stop-all/orchestrator";
import type { StopAllOptions } from "../../stop-all/options";
import type { ClaimRestart } from "../../stop-all/restart-request";
import type { StopAllState, StopMode } from "../../stop-all/types";
import type { Clock } from "../../time/clock";
import { fencedClient } from "./fenced-client";
import type { Lease, OperationJournal } from "./journal";
import { createFence, LEASE_MS, RENEW_MS, type Fence } from "./lease";
import { createLiveOperation, type LiveOperation } from "./live-operation";

/**
 * How far a resumed (taken over) operation's event numbers jump past the
 * journal's last one. A page may have seen events the previous driver never
 * journaled (they are written in 25 ms batches); numbering on from the
 * journal would reuse those numbers for other events, and such a page would
 * fold the new ones onto a state they do not fit. Past the jump, its
 * Last-Event-ID is behind the new base: it gets a snapshot.
 */
export const RESUME_SEQ_JUMP = 1_000_000;
import type { ServerFleet } from "./server-fleet";

/** An operation this replica drives: its live operation, under a lease and its fence. */
export interface Driven {
  readonly live: LiveOperation;
  lease(): Lease;
  readonly fence: Fence;
  /** Why the journal is behind (it could not be reached), or undefined. */
  journalProblem(): string | undefined;
  /** Renews the lease (running operations only); false when another replica has it now: this one stopped. */
  renew(): Promise<boolean | "unreachable">;
  /** A retry after the end makes it running again; false when another operation runs for the fleet. */
  reopen(): Promise<{ ok: true } | { ok: false; runningId: string }>;
  apply(request: ActionRequest, actor: string): void;
  stop(): void;
}

export interface DriveDeps {
  journal: OperationJournal;
  /** No other process shares the journal (see OperationServiceDeps.singleProcess). */
  singleProcess?: boolean;
  client: PlatformClient;
  fleet: ServerFleet;
  clock: Clock;
  options?: StopAllOptions;
  info: OperationInfo;
  lease: Lease;
  /** When the lease was granted (a start, a takeover): the fence counts from here. */
  grantedAt: number;
  /** A new operation's targets, or the state to carry on from (a takeover, a restart of the server). */
  from: { targets: readonly Workspace[]; mode?: StopMode } | { saved: StopAllState; seq: number; reopened?: boolean };
}

/** How long a restart waits for a fence that ran out to be renewed before its claim is refused. */
export const CLAIM_FENCE_WAIT_MS = 2 * RENEW_MS;

/** Waits (on the operation's clock) up to `ms` for the fence to let this replica act. */
async function fenceWithin(fence: Fence, clock: Clock, ms: number): Promise<boolean> {
  if (fence.mayAct() || fence.lost()) return fence.mayAct();
  const controller = new AbortController();
  const timer = clock.setTimeout(() => controller.abort(), ms);
  try {
    return await fence.waitToAct(controller.signal);
  } finally {
    clock.clearTimeout(timer);
  }
}

/**
 * Each restart's claim in the journal, before it leaves: tied to the
 * current lease. A fence that ran out (renewals late) is waited for up to
 * CLAIM_FENCE_WAIT_MS; after that, or once the lease is lost, the claim is
 * refused (saying why when the journal could not be reached to renew it).
 */
function restartClaimer(deps: { journal: OperationJournal; clock: Clock; operationId: string; fence: Fence; lease(): Lease; renewProblem(): string | undefined }): ClaimRestart {
  const { journal, clock, fence } = deps;
  return async (workspaceId, attempt) => {
    if (!(await fenceWithin(fence, clock, CLAIM_FENCE_WAIT_MS))) {
      const renewProblem = deps.renewProblem();
      return { kind: "refused", message: renewProblem ? `${renewProblem}: the restart could not be claimed, so it was not sent` : "this canvas replica no longer drives the operation (its lease ended)" };
    }
    try {
      const claimed = await journal.claimRestart(deps.operationId, deps.lease(), workspaceId, attempt, clock.now());
      if (claimed === "not-owner") fence.lose();
      return claimed === "claimed" ? { kind: "claimed" } : claimed === "claimed-elsewhere" ? { kind: "claimed-elsewhere" } : { kind: "refused", message: "another canvas replica drives the operation now" };
    } catch (error) {
      return { kind: "refused", message: error instanceof Error ? error.message : String(error) };
    }
  };
}

/** An operator's action on the driven operation: recorded (journaled with it), then applied. */
function applyAction(live: LiveOperation, at: number, request: ActionRequest, actor: string): void {
  const { operation } = live;
  const { workspaceId } = request;
  live.recordAction({ at, actor, action: request.action, ...(workspaceId === undefined ? {} : { workspaceId }) });
  if (request.action === "restart-now") operation.restartNow(workspaceId);
  else if (request.action === "resume-held") operation.resumeHeld();
  else if (request.action === "keep") operation.keep(workspaceId);
  else operation.retryRestart(workspaceId);
}

/**
 * Drives one operation on this replica with the core: platform calls
 * through the fence, each restart claimed in the journal first (tied to the
 * lease generation), the rows polled fast while it runs.
 */
export function drive(deps: DriveDeps): Driven {
  const { journal, clock, info } = deps;
  let lease = deps.lease;
  // One process on the journal: nobody else can take the operation over, so the fence never runs out on
  // a slow event loop; only a journal that refused a write ends it.
  const fence = deps.singleProcess ? createFence(clock, deps.grantedAt, Number.POSITIVE_INFINITY, 0) : createFence(clock, deps.grantedAt);
  // Why the lease could not be renewed, while it could not: the journal was unreachable, not taken over.
  let renewProblem: string | undefined;
  const claimRestart = restartClaimer({ journal, clock, operationId: info.id, fence, lease: () => lease, renewProblem: () => renewProblem });
  const input = { client: fencedClient(deps.client, fence), fleet: deps.fleet.view, clock, options: deps.options, claimRestart };
  const operation: StopAllOperation = "targets" in deps.from ? startStopAll({ ...input, targets: deps.from.targets, mode: deps.from.mode }) : resumeStopAll({ ...input, saved: deps.from.saved });
  let releasePolling: (() => void) | undefined = operation.getState().phase === "finished" ? undefined : deps.fleet.pollFast();
  const live = createLiveOperation({
    info,
    operation,
    journal,
    clock,
    // Past a jump: pages may have seen events the previous driver never journaled (see RESUME_SEQ_JUMP).
    baseSeq: "seq" in deps.from ? deps.from.seq + RESUME_SEQ_JUMP : 0,
    reopened: "reopened" in deps.from && deps.from.reopened === true,
    lease: () => lease,
    onFinished: () => {
      releasePolling?.();
      releasePolling = undefined;
    },
    onFenced: () => {
      fence.lose();
      stop();
    },
    onLeaseRenewed: (startedAt) => {
      fence.renewed(startedAt);
      renewProblem = undefined;
    },
  });

  function stop(): void {
    releasePolling?.();
    releasePolling = undefined;
    live.dispose();
  }

  return {
    live,
    lease: () => lease,
    fence,
    journalProblem: () => renewProblem ?? (live.failing() ? "the Stop All journal cannot take writes: what happened is kept here and written once it can" : undefined),
    async renew() {
      if (operation.getState().phase === "finished") return true;
      const startedAt = clock.now();
      try {
        if (await journal.renewLease(info.id, lease, startedAt + LEASE_MS)) {
          fence.renewed(startedAt);
          renewProblem = undefined;
          return true;
        }
      } catch (error) {
        renewProblem = error instanceof Error ? error.message : String(error);
        return "unreachable";
      }
      fence.lose();
      stop();
      return false;
    },
    async reopen() {
      const startedAt = clock.now();
      const reopened = await journal.reopen(info.id, lease.owner, startedAt + LEASE_MS);
      if (!reopened.ok) return reopened;
      lease = reopened.lease;
      fence.renewed(startedAt);
      releasePolling ??= deps.fleet.pollFast();
      return { ok: true };
    },
    apply: (request, actor) => applyAction(live, clock.now(), request, actor),
    stop,
  };
}
