import type { FleetView } from "../fleet/view";
import type { PlatformClient } from "../platform/client";
import type { Workspace } from "../platform/workspace";
import type { Clock } from "../time/clock";
import { createA2AClient } from "../a2a/a2a-client";
import { createRequestIds } from "../a2a/jsonrpc";
import { openTurn, type RequestLimiter, type RequestTurn } from "../a2a/limiter";
import { runCancelPhase } from "./cancel-phase";
import { gatePlatform } from "./send-gate";
import type { CancelFinding, TargetPhase } from "./types";

/**
 * How phase 1 of a target ends when the target leaves `cancelling` first.
 * `close`: nothing new is sent; requests already sent run to their answer
 * (each is bounded by its own timeout and the deadline) and the finding
 * records it. `abandon`: requests in flight are abandoned too.
 */
export type Phase1End = "close" | "abandon";

/**
 * Drained or kept: the workspace is still there and its agent answers, so
 * the cancel already sent still says what happened (the report must give
 * the platform's answer). Gone, already restarting, or restarted by us
 * (deadline, "restart now"): the container is removed or torn down, so an
 * answer is moot; abandoning the request frees its slot for the restarts.
 */
export function phase1EndFor(phase: TargetPhase): Phase1End {
  if (phase.kind === "settled" && (phase.outcome.kind === "drained" || phase.outcome.kind === "kept")) return "close";
  return "abandon";
}

export interface Phase1Deps {
  platform: PlatformClient;
  fleet: FleetView;
  clock: Clock;
  /** Shared with the restarts: one bound on requests in flight. */
  limiter: RequestLimiter;
  deadlineAt: number;
  requestTimeoutMs: number;
  maxTasks: number;
  onCancelSent(workspaceId: string): void;
  /**
   * Awaited before a target's first cancel (the targets above it in its
   * team go first). Undefined, or none: nothing to wait for, and the cancel
   * takes the slot its listing freed.
   */
  beforeFirstCancel?(workspaceId: string, signal: AbortSignal): Promise<void> | undefined;
  /** Called once per started target with what its phase 1 found, also when it was ended early. */
  onFinished(workspaceId: string, finding: CancelFinding): void;
}

/** Phase 1 of every target of one operation. */
export interface Phase1Runs {
  start(workspace: Workspace): void;
  /** Ends phase 1 early for one target (see Phase1End); nothing when it is not running. */
  end(workspaceId: string, how: Phase1End): void;
  /** Abandons every request of every target (dispose). */
  abandonAll(): void;
}

interface Run {
  /** Aborted: send nothing new. */
  close: AbortController;
  /** Aborted: abandon what is in flight too. */
  abandon: AbortController;
}

function failedFinding(error: unknown): CancelFinding {
  const failure = { kind: "network-error" as const, message: error instanceof Error ? error.message : String(error) };
  return { idSource: "none", listing: failure, cancels: [], headline: failure };
}

/** A target that waits (for the targets above it) holds no slot meanwhile: those above may need it. */
function waitGivingBack(waiting: Promise<void> | undefined, turn: RequestTurn): Promise<void> {
  if (!waiting) return Promise.resolve();
  turn.giveBack();
  return waiting;
}

/**
 * Runs phase 1 (runCancelPhase) per target, each behind its own send gate
 * (send-gate.ts) so that closing it stops new requests without cutting
 * those in flight. Request ids stay unique across the operation.
 */
/**
 * What a target's phase-1 signals abort with. Nothing reads it; one shared
 * reason spares a DOMException (and its captured stack) per target, ~20 ms
 * of the server's main thread for 2,000 targets.
 */
const PHASE1_ENDED = new DOMException("this target's phase 1 ended", "AbortError");

export function createPhase1Runs(deps: Phase1Deps): Phase1Runs {
  const runs = new Map<string, Run>();
  const nextRequestId = createRequestIds();
  const { clock } = deps;

  async function run(workspace: Workspace): Promise<void> {
    const entry: Run = { close: new AbortController(), abandon: new AbortController() };
    runs.set(workspace.id, entry);
    // The target's requests take turns on one slot: its cancel goes out on the slot its listing freed.
    const turn = openTurn(deps.limiter);
    const a2a = createA2AClient({
      platform: gatePlatform(deps.platform, entry.close.signal),
      clock,
      limiter: turn,
      requestTimeoutMs: deps.requestTimeoutMs,
      nextRequestId,
    });
    const beforeFirstCancel = deps.beforeFirstCancel ? (signal: AbortSignal) => waitGivingBack(deps.beforeFirstCancel!(workspace.id, signal), turn) : undefined;
    const cancelDeps = { a2a, fleet: deps.fleet, clock, deadlineAt: deps.deadlineAt, maxTasks: deps.maxTasks, onCancelSent: () => deps.onCancelSent(workspace.id), beforeFirstCancel };
    let finding: CancelFinding;
    try {
      finding = await runCancelPhase(cancelDeps, { id: workspace.id, protocol: workspace.protocol }, { abandon: entry.abandon.signal, close: entry.close.signal });
    } catch (error) {
      finding = failedFinding(error);
    } finally {
      turn.end();
    }
    if (runs.get(workspace.id) === entry) runs.delete(workspace.id);
    deps.onFinished(workspace.id, finding);
  }

  const abandon = (entry: Run) => {
    entry.close.abort(PHASE1_ENDED);
    entry.abandon.abort(PHASE1_ENDED);
  };

  return {
    start: (workspace) => void run(workspace),
    end(workspaceId, how) {
      const entry = runs.get(workspaceId);
      if (!entry) return;
      if (how === "close") {
        entry.close.abort(PHASE1_ENDED);
        return;
      }
      abandon(entry);
      runs.delete(workspaceId);
    },
    abandonAll() {
      for (const entry of runs.values()) abandon(entry);
      runs.clear();
    },
  };
}
