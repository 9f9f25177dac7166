/**
 * Stop All, framework-free: cancel politely, watch the drain, restart at the
 * deadline what did not stop. A UI binds the coordinator (or one operation)
 * with `subscribe` + `getState` and calls the override methods.
 */
export { createStopAllCoordinator, type StopAllCoordinator, type StopAllCoordinatorDeps, type StopAllStartResult } from "./coordinator";
export { startStopAll, type StartStopAllInput, type StopAllOperation } from "./orchestrator";
export { DEFAULT_STOP_ALL_OPTIONS, type StopAllOptions } from "./options";
export { selectStopTargets } from "./select-targets";
export { buildReport, summarize, type ReportTarget, type ReportTimes, type StopAllReport } from "./report";
export { describeFinding, describeOutcome, OUTCOME_LABELS } from "./labels";
export { isOpen, mayRestart } from "./transitions";
export { createA2AClient, type A2AClientDeps, type A2ARequestOptions, type A2ATarget, type StopAllA2AClient } from "./a2a-client";
export type { A2AAnswer, BadBodyProblem, ProxyFailure } from "./proxy-answer";
export type { CancelRefusal, CancelResult } from "./cancel-task";
export type { ListOpenTasksResult } from "./list-open-tasks";
export type { LostReason, RestartAnswer } from "./restart-request";
export type { TaskState } from "./task-state";
export type * from "./types";
