import type { FleetView, WorkspaceSnapshot } from "../view";

/** An in-memory FleetView that tests change by hand; each change notifies like the store. */
export class FakeFleet implements FleetView {
  private readonly rows = new Map<string, WorkspaceSnapshot>();
  private readonly taskIds = new Map<string, string[]>();
  private readonly listeners = new Set<(changed: readonly string[] | undefined) => void>();

  constructor(rows: Record<string, WorkspaceSnapshot> = {}) {
    for (const [id, row] of Object.entries(rows)) this.rows.set(id, row);
  }

  get(workspaceId: string): WorkspaceSnapshot | undefined {
    return this.rows.get(workspaceId);
  }

  knownTaskIds(workspaceId: string): readonly string[] {
    return this.taskIds.get(workspaceId) ?? [];
  }

  subscribe(listener: (changed: readonly string[] | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Changes a row (or adds it) and notifies. */
  set(workspaceId: string, row: Partial<WorkspaceSnapshot>): void {
    const current = this.rows.get(workspaceId) ?? { activeTasks: 0, status: "online" };
    this.rows.set(workspaceId, { ...current, ...row });
    this.notify([workspaceId]);
  }

  remove(workspaceId: string): void {
    this.rows.delete(workspaceId);
    this.notify([workspaceId]);
  }

  setKnownTaskIds(workspaceId: string, ids: string[]): void {
    this.taskIds.set(workspaceId, ids);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  /** Tells the listeners; without `changed`, like a poll: any workspace may have changed. */
  notify(changed?: readonly string[]): void {
    for (const listener of [...this.listeners]) listener(changed);
  }
}
