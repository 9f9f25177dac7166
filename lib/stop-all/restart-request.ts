import { z } from "zod";
import type { PlatformClient, PlatformResponse } from "../platform/client";
import type { Clock } from "../time/clock";
import type { RequestLimiter } from "../a2a/limiter";
import { sendWithin } from "../a2a/request-window";

/** Why nobody knows whether a restart happened. */
/** `interrupted`: the page went away (reload, closed tab) after the restart was sent. */
export type LostReason = "network" | "timeout" | "aborted" | "gateway" | "interrupted";

/** What one `POST /workspaces/:id/restart` came to. */
export type RestartAnswer =
  | { kind: "accepted"; status: number }
  | { kind: "gone" }
  | { kind: "platform-restarting" }
  /** The platform answered and did not restart: safe to retry. */
  | { kind: "failed"; status: number; message: string }
  /** No answer, or a gateway's: the restart may or may not have happened. Never retried on its own. */
  | { kind: "lost"; reason: LostReason; message: string }
  /** Not sent: the operation was ended first, or the restart could not be claimed (`message` says why). Safe to retry. */
  | { kind: "not-sent"; message?: string };

/**
 * What the canvas server's journal said when a restart was about to leave
 * (several replicas: a conditional write tied to the lease generation).
 * `claimed`: this process sends it. `claimed-elsewhere`: another replica
 * claimed this attempt first and may have sent it: not sent again, the
 * outcome is unknown. `refused`: not sent (this replica lost the operation,
 * or the journal could not be reached): the restart failed, safe to retry.
 */
export type RestartClaim = { kind: "claimed" } | { kind: "claimed-elsewhere" } | { kind: "refused"; message: string };
export type ClaimRestart = (workspaceId: string, attempt: number) => Promise<RestartClaim>;

export interface RestartDeps {
  platform: PlatformClient;
  clock: Clock;
  limiter?: RequestLimiter;
  /** A restart that has not answered this long after it was sent is abandoned as lost. */
  timeoutMs: number;
  /** Asked before each restart leaves; absent: every restart is this page's to send. */
  claim?: ClaimRestart;
}

/** Gateway answers that say the request may have reached the platform but its answer did not come back. */
const GATEWAY_LOST = new Set([504, 520, 524]);
const MESSAGE_CHARS = 200;

const errorBody = z.object({ error: z.string() });
const restartingBody = z.object({ restarting: z.literal(true) });

/** What one claimed, bounded write (restart, pause, resume) came to, before its answer is given a meaning. */
export type ClaimedSend =
  | { kind: "answered"; status: number; json: unknown; text: string }
  | Extract<RestartAnswer, { kind: "lost" | "not-sent" }>;

/** Reads an answer's `{"error": …}` (else its text, else the status), bounded. */
export function messageOf(json: unknown, text: string, status: number): string {
  const body = errorBody.safeParse(json);
  const message = body.success ? body.data.error : text;
  return (message || `HTTP ${status}`).slice(0, MESSAGE_CHARS);
}

/**
 * Sends one write that must go at most once (`what`: "restart", "pause",
 * "resume"): a free slot, its claim (several replicas), then the request,
 * which ends `timeoutMs` after it left at the latest. Never throws, never
 * retries. No answer, or a gateway's, is `lost`: it may have happened.
 */
export async function sendClaimed(
  deps: RestartDeps,
  what: string,
  workspaceId: string,
  signal: AbortSignal,
  onSent: () => void,
  attempt: number,
  send: (workspaceId: string, signal: AbortSignal) => Promise<PlatformResponse>,
): Promise<ClaimedSend> {
  const release = signal.aborted ? undefined : await (deps.limiter?.acquire(signal, "follow-up") ?? Promise.resolve(() => {}));
  if (!release) return { kind: "not-sent" };
  try {
    const claim = deps.claim ? await deps.claim(workspaceId, attempt).catch((error: unknown): RestartClaim => ({ kind: "refused", message: String(error) })) : undefined;
    if (claim?.kind === "claimed-elsewhere") return { kind: "lost", reason: "interrupted", message: `another canvas replica claimed this ${what} first: it may have been sent` };
    if (claim?.kind === "refused") return { kind: "not-sent", message: claim.message.slice(0, MESSAGE_CHARS) };
    // Ended while the claim was on its way: claimed, but not sent (a takeover reads that claim as unknown).
    if (claim && signal.aborted) return { kind: "not-sent" };
    onSent();
    const endsAt = deps.clock.now() + deps.timeoutMs;
    const { response, timedOut } = await sendWithin(deps.clock, { endsAt, signal }, (requestSignal) => send(workspaceId, requestSignal));
    if (!response.ok) {
      if (response.error === "network") return { kind: "lost", reason: "network", message: response.message.slice(0, MESSAGE_CHARS) };
      return timedOut
        ? { kind: "lost", reason: "timeout", message: `no answer within ${Math.round(deps.timeoutMs / 1000)} s` }
        : { kind: "lost", reason: "aborted", message: "the request was aborted" };
    }
    if (GATEWAY_LOST.has(response.status)) return { kind: "lost", reason: "gateway", message: `HTTP ${response.status} from a gateway` };
    return { kind: "answered", status: response.status, json: response.json, text: response.text };
  } finally {
    release();
  }
}

/**
 * Sends one restart and gives its answer a meaning. Never throws, never
 * retries, and always ends `timeoutMs` after sending at the latest.
 */
export async function requestRestart(deps: RestartDeps, workspaceId: string, signal: AbortSignal, onSent: () => void, attempt = 1): Promise<RestartAnswer> {
  const sent = await sendClaimed(deps, "restart", workspaceId, signal, onSent, attempt, (id, requestSignal) => deps.platform.restart(id, requestSignal));
  if (sent.kind !== "answered") return sent;
  const { status } = sent;
  if (status >= 200 && status < 300) return { kind: "accepted", status };
  if (status === 404) return { kind: "gone" };
  if (status === 503 && restartingBody.safeParse(sent.json).success) return { kind: "platform-restarting" };
  return { kind: "failed", status, message: messageOf(sent.json, sent.text, status) };
}
