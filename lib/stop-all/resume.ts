import { countPhases } from "./targets";
import { derivePhase, resumeOpen } from "./transitions";
import type { CancelFinding, RestartTrigger, StopAllState, TargetState } from "./types";

const INTERRUPTED: CancelFinding = Object.freeze({
  idSource: "none" as const,
  listing: { kind: "aborted" as const },
  cancels: [],
  headline: { kind: "interrupted" as const },
});

/** The state to carry on from, and the restarts that were queued but never sent (to send now, once). */
export interface ResumePlan {
  state: StopAllState;
  unsentRestarts: { workspaceId: string; trigger: Exclude<RestartTrigger, "retry"> }[];
}

/** A resume in flight when the page went away: resending is harmless (a `404` if it happened), so the operator may press again. */
function resumeProgressAfter(target: TargetState, at: number): TargetState {
  const { resume } = target;
  if (resume?.kind !== "sending") return target;
  return { ...target, resume: { kind: "done", at, result: { kind: "failed", message: "the page went away before the resume's answer: press Resume held again" } } };
}

function resumeTarget(target: TargetState, at: number, unsent: ResumePlan["unsentRestarts"]): TargetState {
  const { phase } = target;
  if (phase.kind === "holding" && target.times.pauseSentAt !== undefined) {
    // Like a restart: it may have reached the platform, never sent twice.
    return {
      ...target,
      phase: { kind: "settled", outcome: { kind: "unknown", reason: "interrupted", message: "the page went away before the pause's answer", of: "pause" } },
      times: { ...target.times, settledAt: at },
    };
  }
  if (phase.kind === "cancelling") {
    // Cancels already sent are not sent again; the drain watch and the deadline still apply.
    return { ...target, phase: { kind: "watching" }, finding: target.finding ?? INTERRUPTED };
  }
  if (phase.kind !== "restarting") return target;
  if (target.times.restartSentAt !== undefined) {
    // It may have reached the platform: never sent twice, the operator decides.
    return {
      ...target,
      phase: { kind: "settled", outcome: { kind: "unknown", reason: "interrupted", message: "the page went away before the restart's answer" } },
      times: { ...target.times, settledAt: at },
    };
  }
  unsent.push({ workspaceId: target.workspaceId, trigger: phase.trigger === "retry" ? "operator" : phase.trigger });
  return { ...target, phase: { kind: "watching" }, restartAttempts: target.restartAttempts - 1 };
}

/**
 * Turns the last saved snapshot of an operation whose page went away into
 * the state to continue from: phase 1 is over (nothing is re-sent), a
 * restart that was sent becomes `unknown`, one only queued goes out now.
 * The deadline stays the original one.
 */
export function planResume(saved: StopAllState, at: number): ResumePlan {
  const unsentRestarts: ResumePlan["unsentRestarts"] = [];
  const targets = saved.targets.map((target) => Object.freeze(resumeProgressAfter(resumeTarget(target, at, unsentRestarts), at)));
  const counts = countPhases(targets);
  const resumesOpen = targets.filter((target) => resumeOpen(target.resume)).length;
  // Phase 1 is over: the operation carries on from watching, by the same rules as any change.
  const phase = derivePhase("watching", counts, targets.length, saved.deadlinePassed, resumesOpen);
  const finished = phase === "finished";
  const state: StopAllState = Object.freeze({
    ...saved,
    phase,
    finishedAt: finished ? (saved.finishedAt ?? at) : undefined,
    ...(saved.resumesOpen !== undefined || resumesOpen > 0 ? { resumesOpen } : {}),
    targets,
    counts,
  });
  return { state, unsentRestarts };
}
