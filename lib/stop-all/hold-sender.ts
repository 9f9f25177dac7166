import type { FleetView } from "../fleet/view";
import { requestPause, type PauseAnswer, type PauseReply } from "./hold-requests";
import { nextMicrotask } from "./next-microtask";
import type { RestartDeps } from "./restart-request";
import type { TargetTree } from "./target-tree";
import { outcomeOf, targetOf } from "./targets";
import { awaitsPause, isOpen } from "./transitions";
import type { HoldSeen, StopAllEvent, StopAllState, TargetState } from "./types";

export interface HoldSenderDeps {
  state(): StopAllState;
  dispatch(event: StopAllEvent): boolean;
  fleet: FleetView;
  send: RestartDeps;
  signal: AbortSignal;
  tree: TargetTree;
}

/** Whether this operation's own pause of `target` was accepted (its cascade paused those below it). */
function ownPauseAccepted(target: TargetState | undefined): boolean {
  const phase = target?.phase;
  if (phase?.kind !== "settled") return false;
  const { outcome } = phase;
  return (outcome.kind === "held" || outcome.kind === "held-forced") && outcome.pause.kind === "paused";
}

function isOpenTarget(state: StopAllState, workspaceId: string): boolean {
  const target = targetOf(state, workspaceId);
  return target !== undefined && isOpen(target.phase);
}

/** A pause's `404` is "not found or already paused": the store tells which. */
function pauseAnswerOf(reply: PauseReply, fleet: FleetView, workspaceId: string): PauseAnswer {
  if (reply.kind !== "not-found") return reply;
  const snapshot = fleet.get(workspaceId);
  return !snapshot || snapshot.status === "removed" ? { kind: "gone" } : { kind: "already-paused" };
}

/** What to do now with one target waiting for its pause; `leaving`: the pauses decided in this pass. */
function decide(deps: HoldSenderDeps, inFlight: ReadonlySet<string>, current: StopAllState, target: TargetState, leaving: ReadonlySet<string>): "send" | "wait" | HoldSeen {
  const { workspaceId } = target;
  const { tree } = deps;
  const snapshot = deps.fleet.get(workspaceId);
  if (!snapshot || snapshot.status === "removed") return { kind: "gone" };
  const above = tree.above(workspaceId);
  const coveredBy = above.find((id) => ownPauseAccepted(targetOf(current, id)));
  if (coveredBy !== undefined) return { kind: "with-parent", parentId: coveredBy, parentName: targetOf(current, coveredBy)?.name ?? coveredBy };
  if (above.some((id) => inFlight.has(id) || leaving.has(id))) return "wait";
  if (snapshot.status === "paused") return { kind: "already-paused" };
  if (snapshot.status === "hibernated") return { kind: "hibernated" };
  // Its pause would cascade onto a target the operator kept: the operator's word wins.
  const kept = tree
    .below(workspaceId)
    .map((id) => targetOf(current, id))
    .find((below) => below !== undefined && outcomeOf(below)?.kind === "kept");
  if (kept) return { kind: "kept-below", keptId: kept.workspaceId, keptName: kept.name };
  const drained = target.phase.kind === "holding" && target.phase.trigger === "drained";
  if (drained && tree.below(workspaceId).some((id) => isOpenTarget(current, id))) return "wait";
  return "send";
}

/**
 * Hold: sends each `holding` target's pause, once, when its turn comes.
 * A pause cascades to every descendant on the platform, so:
 * - a drained target waits until no target below it is still draining
 *   (its pause would cut their polite stop short);
 * - a target waits while a pause of a target above it is in flight, and
 *   needs none of its own once that one is accepted (it is `with-parent`);
 * - nothing is sent to a workspace the store shows paused, hibernated or
 *   removed.
 * Decided in a microtask after each change (never inside a dispatch), parents first.
 */
export function createHoldSender(deps: HoldSenderDeps): { update(): void; dispose(): void } {
  const { state, dispatch, fleet } = deps;
  const inFlight = new Set<string>();
  const pass = nextMicrotask(run);
  let disposed = false;

  const seen = (workspaceId: string, what: HoldSeen) => void dispatch({ type: "hold-seen", workspaceId, at: deps.send.clock.now(), seen: what });

  function send(workspaceId: string): void {
    inFlight.add(workspaceId);
    const { clock } = deps.send;
    const attempt = targetOf(state(), workspaceId)?.pauseAttempts ?? 1;
    const onSent = () => void dispatch({ type: "pause-sent", workspaceId, at: clock.now() });
    void requestPause(deps.send, workspaceId, deps.signal, onSent, attempt)
      .catch((error: unknown): PauseReply => ({ kind: "lost", reason: "network", message: String(error) }))
      .then((reply) => {
        inFlight.delete(workspaceId);
        dispatch({ type: "pause-answered", workspaceId, at: clock.now(), answer: pauseAnswerOf(reply, fleet, workspaceId) });
      });
  }

  function run(): void {
    const current = state();
    if (current.mode !== "hold" || !(current.counts.holding > 0)) return;
    const { tree } = deps;
    const waiting = current.targets.filter((target) => awaitsPause(target) && !inFlight.has(target.workspaceId));
    // Parents first: a pause leaving above decides those below it in the same pass.
    waiting.sort((a, b) => tree.above(a.workspaceId).length - tree.above(b.workspaceId).length);
    const leaving = new Set<string>();
    for (const target of waiting) {
      const decision = decide(deps, inFlight, current, target, leaving);
      if (decision === "send") leaving.add(target.workspaceId);
      else if (decision !== "wait") seen(target.workspaceId, decision);
    }
    for (const workspaceId of leaving) send(workspaceId);
  }

  // While some target waits for its pause: its row changed (paused by a cascade, removed), decide again.
  let stopWatching: (() => void) | undefined;
  function watchWhileHolding(): void {
    const holding = !disposed && state().counts.holding > 0;
    if (holding && !stopWatching) {
      stopWatching = fleet.subscribe((changed) => {
        if (changed === undefined || changed.some((id) => targetOf(state(), id)?.phase.kind === "holding")) update();
      });
    } else if (!holding && stopWatching) {
      stopWatching();
      stopWatching = undefined;
    }
  }

  function update(): void {
    // A plain stop never pauses: nothing to schedule after each of its thousands of events.
    if (state().mode !== "hold") return;
    watchWhileHolding();
    pass.schedule();
  }

  return {
    update,
    dispose() {
      disposed = true;
      pass.stop();
      watchWhileHolding();
    },
  };
}
