import type { PlatformEventMessage } from "../../platform/events";
import type { KnownWorkspaceStatus } from "../../platform/workspace";

export type EventListener = (message: PlatformEventMessage) => void;

export interface EventBus {
  subscribe(listener: EventListener): () => void;
  emit(event: string, workspaceId: string, payload: Record<string, unknown>): void;
}

/** The status event the platform broadcasts when a workspace enters `status`. */
export function statusEventName(status: KnownWorkspaceStatus): string {
  return `WORKSPACE_${status.toUpperCase()}`;
}

/** Fan-out of platform events in the wire shape, stamped RFC 3339 from the clock. */
export function createEventBus(now: () => number): EventBus {
  const listeners = new Set<EventListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event, workspaceId, payload) {
      if (listeners.size === 0) return;
      const message: PlatformEventMessage = { event, workspace_id: workspaceId, timestamp: new Date(now()).toISOString(), payload };
      for (const listener of [...listeners]) listener(message);
    },
  };
}
