import type { Workspace } from "../platform/workspace";
import type { StopAllOperation } from "../stop-all/orchestrator";
import type { StopMode } from "../stop-all/types";
import type { OperationInfo, OperationSummary } from "./wire";

/** `owner`: this page may steer the shown operation. `observer`: another tab's, shown read-only. */
export type HostRole = "none" | "owner" | "observer";

/** What a start asks for besides the targets. */
export interface StartOptions {
  /** Why, in the operator's words (live mode records it with the operation). */
  reason?: string;
  /** `hold`: pause instead of restart (default `stop`). */
  mode?: StopMode;
}

/**
 * What the Stop All views (panel, node badges, overrides, report,
 * timeline) bind to, wherever the operation runs: in the page (mock mode
 * and /preview: lib/stop-all/session.ts, a preview's coordinator) or on the
 * canvas server (live mode: remote-host.ts). `current()` is the shown
 * operation with today's StopAllOperation interface either way.
 */
export interface StopAllHost {
  subscribe(listener: () => void): () => void;
  current(): StopAllOperation | undefined;
  start(workspaces: readonly Workspace[], options?: StartOptions): unknown;
  role?(): HostRole;
  /** A message for the operator (a saved operation that could not be read, a refused start, …). */
  notice?(): string | undefined;
  /** The operation's clock (a preview's fake one, the server's); the page's wall clock when absent. */
  now?(): number;
  /** Live mode: who started the shown operation, why, and what was left out. */
  info?(): OperationInfo | undefined;
  /** Live mode: the confirmation asks for a reason. */
  readonly takesReason?: boolean;
  /** Live mode: the recent operations, newest first, and showing one of them. */
  history?(): Promise<OperationSummary[]>;
  show?(operationId: string): Promise<void>;
}
