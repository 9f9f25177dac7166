import { requestResume, type ResumeAnswer } from "./hold-requests";
import { nextMicrotask } from "./next-microtask";
import type { RestartDeps } from "./restart-request";
import type { TargetTree } from "./target-tree";
import { targetOf } from "./targets";
import { pausedByOperation, resumeOpen } from "./transitions";
import type { ResumeResult, StopAllEvent, StopAllState, TargetState } from "./types";

/**
 * Resume claims share the journal's claim table with restarts and pauses
 * (one per workspace and attempt): theirs are numbered from here, so a
 * resume never takes the claim of its workspace's pause.
 */
export const RESUME_CLAIM_BASE = 1_000_000;

export interface ResumeSenderDeps {
  state(): StopAllState;
  dispatch(event: StopAllEvent): boolean;
  send: RestartDeps;
  signal: AbortSignal;
  tree: TargetTree;
}

type Decision = "send" | "wait" | ResumeResult;

/**
 * "Resume held": resumes what the operation paused, top-down. A resume
 * cascades to every paused descendant, so only the topmost held
 * workspaces get one: one below a resumed one is `with-parent`, one below
 * a held one whose resume failed is not sent (it would be a 409). A 409
 * that names a held workspace still to be resumed is answered by waiting
 * for it and sending once more, not by retrying blindly.
 */
export function createResumeSender(deps: ResumeSenderDeps): { update(): void; dispose(): void } {
  const { state, dispatch } = deps;
  const inFlight = new Set<string>();
  const pass = nextMicrotask(run);

  function send(target: TargetState): void {
    const { workspaceId } = target;
    inFlight.add(workspaceId);
    const { clock } = deps.send;
    const attempt = RESUME_CLAIM_BASE + (target.resumeAttempts ?? 1);
    const onSent = () => void dispatch({ type: "resume-sent", workspaceId, at: clock.now() });
    void requestResume(deps.send, workspaceId, deps.signal, onSent, attempt)
      .catch((error: unknown): ResumeAnswer => ({ kind: "lost", reason: "network", message: String(error) }))
      .then((answer) => {
        inFlight.delete(workspaceId);
        dispatch({ type: "resume-answered", workspaceId, at: clock.now(), answer });
        pass.schedule();
      });
  }

  function decide(current: StopAllState, target: TargetState, leaving: ReadonlySet<string>): Decision {
    const progress = target.resume;
    if (progress?.kind !== "pending") return "wait";
    if (progress.waitFor !== undefined && current.targets.some((other) => other.name === progress.waitFor && resumeOpen(other.resume))) return "wait";
    const heldAbove = deps.tree
      .above(target.workspaceId)
      .map((id) => targetOf(current, id))
      .filter((above): above is TargetState => above !== undefined && pausedByOperation(above));
    if (heldAbove.some((above) => resumeOpen(above.resume) || leaving.has(above.workspaceId))) return "wait";
    // Answered in this round (since this one was asked for): its cascade decides this one.
    const thisRound = heldAbove.filter((above) => above.resume?.kind === "done" && above.resume.at >= progress.requestedAt);
    const resumed = thisRound.find((above) => above.resume?.kind === "done" && above.resume.result.kind === "resumed");
    if (resumed) return { kind: "with-parent", parentId: resumed.workspaceId, parentName: resumed.name };
    const notResumed = thisRound.find((above) => above.resume?.kind === "done" && (above.resume.result.kind === "failed" || above.resume.result.kind === "parent-paused"));
    if (notResumed) return { kind: "failed", message: `not sent: ${notResumed.name} above it was not resumed (press Resume held again)` };
    return "send";
  }

  function run(): void {
    const current = state();
    if (!((current.resumesOpen ?? 0) > 0)) return;
    const { tree } = deps;
    const pending = current.targets.filter((target) => target.resume?.kind === "pending" && !inFlight.has(target.workspaceId));
    pending.sort((a, b) => tree.above(a.workspaceId).length - tree.above(b.workspaceId).length);
    const leaving = new Set<string>();
    const sends: TargetState[] = [];
    for (const target of pending) {
      const decision = decide(current, target, leaving);
      if (decision === "send") {
        leaving.add(target.workspaceId);
        sends.push(target);
      } else if (decision !== "wait") {
        dispatch({ type: "resume-settled", workspaceId: target.workspaceId, at: deps.send.clock.now(), result: decision });
      }
    }
    for (const target of sends) send(target);
  }

  return {
    update: () => {
      if ((state().resumesOpen ?? 0) > 0) pass.schedule();
    },
    dispose: pass.stop,
  };
}
