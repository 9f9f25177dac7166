import { countPhases } from "./targets";
import { derivePhase } from "./transitions";
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

function resumeTarget(target: TargetState, at: number, unsent: ResumePlan["unsentRestarts"]): TargetState {
  const { phase } = target;
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
  const targets = saved.targets.map((target) => Object.freeze(resumeTarget(target, at, unsentRestarts)));
  const counts = countPhases(targets);
  // Phase 1 is over: the operation carries on from watching, by the same rules as any change.
  const phase = derivePhase("watching", counts, targets.length, saved.deadlinePassed);
  const finished = phase === "finished";
  const state: StopAllState = Object.freeze({
    ...saved,
    phase,
    finishedAt: finished ? (saved.finishedAt ?? at) : undefined,
    targets,
    counts,
  });
  return { state, unsentRestarts };
}
