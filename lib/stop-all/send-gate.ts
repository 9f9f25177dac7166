import type { PlatformClient, PlatformResponse } from "../platform/client";

/** What a request the gate kept back reads as: never sent, so never answered. */
const NOT_SENT: PlatformResponse = Object.freeze({ ok: false, error: "aborted", message: "not sent: phase 1 is over for this workspace" });

/**
 * The platform client as phase 1 of one target sees it: once `closed`
 * aborts, no new A2A request leaves (further cancels, busy retries,
 * method-name fallbacks, further ListTasks pages, and a request that was
 * still waiting for a free slot all read as aborted), while requests
 * already sent run on to their answer: only their own signal ends them.
 * The request goes out through the same promise: no extra await.
 */
export function gatePlatform(platform: PlatformClient, closed: AbortSignal): PlatformClient {
  return {
    listWorkspaces: (signal) => platform.listWorkspaces(signal),
    postA2A: (workspaceId, body, signal) => (closed.aborted ? Promise.resolve(NOT_SENT) : platform.postA2A(workspaceId, body, signal)),
    restart: (workspaceId, signal) => platform.restart(workspaceId, signal),
    pause: (workspaceId, signal) => platform.pause(workspaceId, signal),
    resume: (workspaceId, signal) => platform.resume(workspaceId, signal),
  };
}
