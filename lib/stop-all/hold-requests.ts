import { z } from "zod";
import { messageOf, sendClaimed, type ClaimedSend, type RestartDeps } from "./restart-request";

/** What one `POST /workspaces/:id/pause` came to, as the operation records it. */
export type PauseAnswer =
  /** `200 {"status":"paused","paused_count":N}`: it and its descendants (N in all). */
  | { kind: "paused"; count: number }
  /** `404` while the store shows it paused: already paused (not an error to retry). */
  | { kind: "already-paused" }
  /** `404` while the store shows it gone. */
  | { kind: "gone" }
  | { kind: "failed"; status: number; message: string }
  | Exclude<ClaimedSend, { kind: "answered" }>;

/** What the platform said to a pause, before the store tells a `404`'s meaning (gone, or already paused). */
export type PauseReply = Exclude<PauseAnswer, { kind: "already-paused" | "gone" }> | { kind: "not-found" };

/** What one `POST /workspaces/:id/resume` came to. */
export type ResumeAnswer =
  /** `200 {"status":"provisioning","resumed_count":N}`. */
  | { kind: "resumed"; count: number }
  /** `404`: not paused (any more), or gone. */
  | { kind: "not-paused" }
  /** `409`: a paused workspace above it must be resumed first; `parentName` as the platform names it. */
  | { kind: "parent-paused"; parentName: string | undefined; message: string }
  | { kind: "failed"; status: number; message: string }
  | Exclude<ClaimedSend, { kind: "answered" }>;

const pausedBody = z.object({ paused_count: z.number().int().nonnegative() });
const resumedBody = z.object({ resumed_count: z.number().int().nonnegative() });
/** `parent workspace "NAME" is paused — resume it first` (the platform's 409). */
const PARENT_NAME = /parent workspace "([^"]*)" is paused/;

/** Sends one pause (never twice: see hold-sender.ts) and reads its answer. Never throws. */
export async function requestPause(deps: RestartDeps, workspaceId: string, signal: AbortSignal, onSent: () => void, attempt: number): Promise<PauseReply> {
  const sent = await sendClaimed(deps, "pause", workspaceId, signal, onSent, attempt, (id, requestSignal) => deps.platform.pause(id, requestSignal));
  if (sent.kind !== "answered") return sent;
  const { status, json, text } = sent;
  if (status >= 200 && status < 300) {
    const body = pausedBody.safeParse(json);
    return { kind: "paused", count: body.success ? body.data.paused_count : 1 };
  }
  if (status === 404) return { kind: "not-found" };
  return { kind: "failed", status, message: messageOf(json, text, status) };
}

/** Sends one resume and reads its answer. Never throws. */
export async function requestResume(deps: RestartDeps, workspaceId: string, signal: AbortSignal, onSent: () => void, attempt: number): Promise<ResumeAnswer> {
  const sent = await sendClaimed(deps, "resume", workspaceId, signal, onSent, attempt, (id, requestSignal) => deps.platform.resume(id, requestSignal));
  if (sent.kind !== "answered") return sent;
  const { status, json, text } = sent;
  if (status >= 200 && status < 300) {
    const body = resumedBody.safeParse(json);
    return { kind: "resumed", count: body.success ? body.data.resumed_count : 1 };
  }
  if (status === 404) return { kind: "not-paused" };
  const message = messageOf(json, text, status);
  if (status === 409) return { kind: "parent-paused", parentName: PARENT_NAME.exec(message)?.[1], message };
  return { kind: "failed", status, message };
}
