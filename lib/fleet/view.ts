import type { WorkspaceStatus } from "../platform/workspace";

/** What Stop All needs to know about one workspace at a given moment. */
export interface WorkspaceSnapshot {
  activeTasks: number;
  status: WorkspaceStatus;
  /** The team lead above it, when the view knows (Stop All sends parents first). */
  parentId?: string | null;
  /** What it works on, when the view knows (the quiet watch names the work that came back). */
  currentTask?: string;
}

/**
 * A read-only window on the fleet store, so lib/ code (Stop All) can watch
 * workspaces without knowing about Zustand or React.
 */
export interface FleetView {
  /** The workspace as the store knows it now; undefined once it is removed. */
  get(workspaceId: string): WorkspaceSnapshot | undefined;
  /** Task ids the canvas has seen for this workspace (from live events), newest last. */
  knownTaskIds(workspaceId: string): readonly string[];
  /**
   * Calls `listener` after every store change with the ids of the
   * workspaces it touched (a live event: one), or undefined when any may
   * have changed (a poll). Returns the unsubscribe function.
   */
  subscribe(listener: (changed: readonly string[] | undefined) => void): () => void;
}
