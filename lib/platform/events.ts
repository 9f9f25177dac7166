import { z } from "zod";
import { isValidWorkspaceId } from "./ids";
import type { KnownWorkspaceStatus } from "./workspace";

/** A platform event after parsing: only the kinds the canvas acts on. */
export type PlatformEvent =
  | { kind: "tasks"; workspaceId: string; at: number; activeTasks: number; currentTask?: string; taskId?: string }
  | { kind: "status"; workspaceId: string; at: number; status: KnownWorkspaceStatus }
  | { kind: "removed"; workspaceId: string; at: number };

/** The wire shape: `{"event", "workspace_id", "timestamp", "payload"}`. */
export interface PlatformEventMessage {
  event: string;
  workspace_id: string;
  timestamp: string;
  payload: Record<string, unknown>;
}

const STATUS_EVENTS: Record<string, KnownWorkspaceStatus> = {
  WORKSPACE_ONLINE: "online",
  WORKSPACE_OFFLINE: "offline",
  WORKSPACE_DEGRADED: "degraded",
  WORKSPACE_PAUSED: "paused",
  WORKSPACE_PROVISIONING: "provisioning",
  WORKSPACE_HIBERNATED: "hibernated",
  WORKSPACE_FAILED: "failed",
};

const messageSchema = z.object({
  event: z.string(),
  workspace_id: z.string().refine(isValidWorkspaceId),
  timestamp: z.string(),
  payload: z.record(z.string(), z.unknown()).catch({}),
});

const taskPayload = z.object({
  active_tasks: z.number().int().nonnegative(),
  current_task: z.string().optional().catch(undefined),
  task_id: z.string().min(1).max(256).optional().catch(undefined),
});

/**
 * Parses one event message (already JSON-decoded or as text). Returns null
 * for anything malformed or irrelevant: a bad message is skipped, never
 * thrown, because one broken event must not stop the stream.
 */
export function parsePlatformEvent(input: unknown): PlatformEvent | null {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      return null;
    }
  }
  const message = messageSchema.safeParse(value);
  if (!message.success) return null;
  const { event, workspace_id: workspaceId, timestamp, payload } = message.data;
  const at = Date.parse(timestamp);
  if (!Number.isFinite(at)) return null;

  if (event === "TASK_UPDATED" || event === "WORKSPACE_HEARTBEAT") {
    const tasks = taskPayload.safeParse(payload);
    if (!tasks.success) return null;
    return {
      kind: "tasks",
      workspaceId,
      at,
      activeTasks: tasks.data.active_tasks,
      // A heartbeat says nothing about the current task; only TASK_UPDATED does.
      currentTask: event === "TASK_UPDATED" ? tasks.data.current_task ?? "" : undefined,
      taskId: tasks.data.task_id,
    };
  }
  if (event === "WORKSPACE_REMOVED") return { kind: "removed", workspaceId, at };
  const status = STATUS_EVENTS[event];
  if (status) return { kind: "status", workspaceId, at, status };
  return null;
}
