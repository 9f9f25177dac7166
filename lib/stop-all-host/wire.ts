import { z } from "zod";
import type { StopAllEvent, StopAllState } from "../stop-all/types";

/**
 * What the browser and the canvas server say to each other about a
 * server-owned Stop All (live mode): the shapes of `/api/stop-all/*`. The
 * server writes them, the remote host parses them here, at the edge.
 */

/** The operator's word on a running (or finished) operation. */
export const OPERATION_ACTIONS = ["restart-now", "keep", "retry", "resume-held"] as const;
export type OperationActionKind = (typeof OPERATION_ACTIONS)[number];

/** A confirmed id the server did not make a target, and why. */
export interface LeftOutTarget {
  workspaceId: string;
  why: string;
}

/** An override or retry, with who asked for it. */
export interface OperationAction {
  at: number;
  actor: string;
  action: OperationActionKind;
  workspaceId?: string;
}

/** Who started an operation and why, beside its state. */
export interface OperationInfo {
  id: string;
  fleet: string;
  actor: string;
  /** The operator's reason, "" when none was given. */
  reason: string;
  startedAt: number;
  leftOut: readonly LeftOutTarget[];
  actions: readonly OperationAction[];
}

/** One operation as the server shows it: who, why, and its state after event `seq`. */
export interface OperationView extends OperationInfo {
  seq: number;
  state: StopAllState;
  /** The server's clock when it made this view: deadlines are on that clock. */
  serverNow?: number;
  /** Set while the journal cannot be reached by the replica that drives it: what that means for the operator. */
  journalProblem?: string;
}

/** One line of the history ("Recent operations"). */
export interface OperationSummary {
  id: string;
  actor: string;
  reason: string;
  startedAt: number;
  finishedAt: number | undefined;
  phase: StopAllState["phase"];
  targets: number;
  summary: string;
}

/** An operation event as it travels: its place in the operation's journal, then the event. */
export interface JournaledEvent {
  seq: number;
  event: StopAllEvent;
}

/** Limits the server holds a start request to. */
export const MAX_REASON_CHARS = 500;

export const startRequestSchema = z.strictObject({
  targets: z.array(z.string()).min(1, "targets must name at least one workspace"),
  mode: z.enum(["stop", "hold"], { error: 'mode must be "stop" or "hold"' }).optional(),
  reason: z.string().max(MAX_REASON_CHARS, `reason must be at most ${MAX_REASON_CHARS} characters`).optional(),
});
export type StartRequest = z.infer<typeof startRequestSchema>;

export const actionRequestSchema = z.strictObject({
  action: z.enum(OPERATION_ACTIONS),
  workspaceId: z.string().optional(),
});
export type ActionRequest = z.infer<typeof actionRequestSchema>;

const OPERATION_PHASES = ["cancelling", "watching", "restarting", "resuming", "finished"] as const;

// The state's inner shapes are the core's own (lib/stop-all/types.ts); the
// edge checks the envelope and the fields the host reads before it trusts them.
const stateSchema = z.looseObject({
  phase: z.enum(OPERATION_PHASES),
  startedAt: z.number(),
  deadlineAt: z.number(),
  deadlinePassed: z.boolean(),
  order: z.array(z.string()),
  targets: z.array(z.looseObject({ workspaceId: z.string(), name: z.string(), phase: z.looseObject({ kind: z.string() }) })),
  // `holding` is absent in operations journaled before holds existed.
  counts: z.looseObject({ cancelling: z.number(), watching: z.number(), restarting: z.number(), holding: z.number().optional(), settled: z.number() }),
});

const infoFields = {
  id: z.string(),
  fleet: z.string(),
  actor: z.string(),
  reason: z.string(),
  startedAt: z.number(),
  leftOut: z.array(z.object({ workspaceId: z.string(), why: z.string() })),
  actions: z.array(z.object({ at: z.number(), actor: z.string(), action: z.enum(OPERATION_ACTIONS), workspaceId: z.string().optional() })),
};

export const operationViewSchema = z.object({ ...infoFields, seq: z.number().int().nonnegative(), state: stateSchema, serverNow: z.number().optional(), journalProblem: z.string().optional() });

export const operationSummarySchema = z.object({
  id: z.string(),
  actor: z.string(),
  reason: z.string(),
  startedAt: z.number(),
  finishedAt: z.number().optional(),
  phase: z.enum(OPERATION_PHASES),
  targets: z.number(),
  summary: z.string(),
});

export const journaledEventSchema = z.object({ seq: z.number().int().positive(), event: z.looseObject({ type: z.string() }) });

/** Parses a view the server sent; the core's types are trusted past the checked envelope. */
export function parseOperationView(value: unknown): OperationView {
  return operationViewSchema.parse(value) as unknown as OperationView;
}

export function parseJournaledEvent(value: unknown): JournaledEvent {
  return journaledEventSchema.parse(value) as unknown as JournaledEvent;
}
