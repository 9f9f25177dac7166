import { z } from "zod";
import type { StopAllState } from "./types";

/** The part of `localStorage` this module uses (injected, so tests use a Map). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

export const OPERATION_KEY = "fleet-canvas:stop-all";
const RESTART_PREFIX = "fleet-canvas:stop-all:restart-sent:";

const targetSchema = z.looseObject({
  workspaceId: z.string(),
  name: z.string(),
  phase: z.looseObject({ kind: z.enum(["cancelling", "watching", "restarting", "settled"]) }),
  restartAttempts: z.number(),
  times: z.looseObject({}),
});

const storedSchema = z.object({
  version: z.literal(1),
  state: z.looseObject({
    phase: z.enum(["cancelling", "watching", "restarting", "finished"]),
    startedAt: z.number(),
    deadlineAt: z.number(),
    deadlinePassed: z.boolean(),
    finishedAt: z.number().optional(),
    order: z.array(z.string()),
    targets: z.record(z.string(), targetSchema),
  }),
});

export type LoadedOperation = { kind: "none" } | { kind: "found"; state: StopAllState } | { kind: "unreadable"; message: string };

const restartKey = (startedAt: number, workspaceId: string) => `${RESTART_PREFIX}${startedAt}:${workspaceId}`;

/**
 * Where the browser keeps the current Stop All, so a reload can resume it
 * and other tabs can show it. The full snapshot is written often; a restart
 * about to be sent is also marked on its own key at once, so even a
 * snapshot written a moment too early cannot make a reload send it twice.
 */
export function createOperationStore(storage: StorageLike) {
  return {
    save(state: StopAllState): void {
      storage.setItem(OPERATION_KEY, JSON.stringify({ version: 1, state }));
    },

    /** Must be called before the restart request leaves. */
    markRestartSent(startedAt: number, workspaceId: string, at: number): void {
      storage.setItem(restartKey(startedAt, workspaceId), String(at));
    },

    load(): LoadedOperation {
      const text = storage.getItem(OPERATION_KEY);
      if (text === null) return { kind: "none" };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { kind: "unreadable", message: "the saved Stop All is not valid JSON" };
      }
      const parsed = storedSchema.safeParse(json);
      if (!parsed.success) return { kind: "unreadable", message: `the saved Stop All has an unexpected shape (${parsed.error.issues[0]?.path.join(".") ?? "?"})` };
      const state = parsed.data.state as unknown as StopAllState;
      return { kind: "found", state: withRestartMarks(state, storage) };
    },

    /** Forgets the stored operation and its restart marks (before a new one starts). */
    clear(): void {
      storage.removeItem(OPERATION_KEY);
      const stale: string[] = [];
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key?.startsWith(RESTART_PREFIX)) stale.push(key);
      }
      for (const key of stale) storage.removeItem(key);
    },
  };
}

export type OperationStore = ReturnType<typeof createOperationStore>;

/** A target whose restart was marked sent, but whose snapshot does not say so yet, counts as sent. */
function withRestartMarks(state: StopAllState, storage: StorageLike): StopAllState {
  let targets: Record<string, StopAllState["targets"][string]> | undefined;
  for (const id of state.order) {
    const target = state.targets[id];
    if (!target || target.times.restartSentAt !== undefined) continue;
    const mark = storage.getItem(restartKey(state.startedAt, id));
    if (mark === null) continue;
    const at = Number(mark);
    targets ??= { ...state.targets };
    const phase = target.phase.kind === "restarting" ? target.phase : ({ kind: "restarting", trigger: "deadline" } as const);
    targets[id] = target.phase.kind === "settled" ? target : { ...target, phase, times: { ...target.times, restartSentAt: Number.isFinite(at) ? at : state.deadlineAt } };
  }
  return targets ? { ...state, targets } : state;
}
