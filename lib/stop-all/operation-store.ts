import { z } from "zod";
import { countPhases } from "./targets";
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

const stateFields = {
  phase: z.enum(["cancelling", "watching", "restarting", "finished"]),
  startedAt: z.number(),
  deadlineAt: z.number(),
  deadlinePassed: z.boolean(),
  finishedAt: z.number().optional(),
  order: z.array(z.string()),
};

/** Version 2 keeps the targets as an array in `order`'s order (StopAllState.targets). */
const storedSchema = z.discriminatedUnion("version", [
  z.object({ version: z.literal(2), owner: z.string().optional(), state: z.looseObject({ ...stateFields, targets: z.array(targetSchema) }) }),
  // Written by the build before: targets keyed by workspace id. Still read, so an upgrade mid-operation loses nothing.
  z.object({ version: z.literal(1), state: z.looseObject({ ...stateFields, targets: z.record(z.string(), targetSchema) }) }),
]);
type StoredTarget = z.infer<typeof targetSchema>;

/** The stored targets in `order`'s order, or the first id that has no target of its own. */
function targetsInOrder(order: readonly string[], targets: readonly StoredTarget[] | Record<string, StoredTarget>): StoredTarget[] | { missing: string } {
  const inOrder: StoredTarget[] = [];
  for (const [position, id] of order.entries()) {
    const target = Array.isArray(targets) ? targets[position] : Object.hasOwn(targets, id) ? (targets as Record<string, StoredTarget>)[id] : undefined;
    if (target?.workspaceId !== id) return { missing: id };
    inOrder.push(target);
  }
  return Array.isArray(targets) && targets.length !== order.length ? { missing: "(a target not in the order)" } : inOrder;
}

/** `owner`: the tab whose store last saved it (absent in records from before owners were kept). */
export type LoadedOperation = { kind: "none" } | { kind: "found"; state: StopAllState; owner?: string } | { kind: "unreadable"; message: string };

const restartKey = (startedAt: number, workspaceId: string) => `${RESTART_PREFIX}${startedAt}:${workspaceId}`;

/**
 * Where the browser keeps the current Stop All, so a reload can resume it
 * and other tabs can show it. The full snapshot is written often; a restart
 * about to be sent is also marked on its own key at once, so even a
 * snapshot written a moment too early cannot make a reload send it twice.
 * `owner` names the tab that writes through this store; every snapshot it
 * saves carries it, so other tabs know whose operation it is.
 */
export function createOperationStore(storage: StorageLike, options: { owner?: string } = {}) {
  const { owner } = options;
  return {
    owner,

    save(state: StopAllState): void {
      storage.setItem(OPERATION_KEY, JSON.stringify({ version: 2, owner, state }));
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
      const { order } = parsed.data.state;
      const targets = targetsInOrder(order, parsed.data.state.targets);
      if ("missing" in targets) return { kind: "unreadable", message: `the saved Stop All has no target for ${targets.missing}` };
      const state = { ...parsed.data.state, targets } as unknown as StopAllState;
      const found = { kind: "found" as const, state: withRestartMarks(state, storage) };
      return parsed.data.version === 2 && parsed.data.owner !== undefined ? { ...found, owner: parsed.data.owner } : found;
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

/** A target whose restart was marked sent, but whose snapshot does not say so yet, counts as sent. Counts are recomputed, never trusted. */
function withRestartMarks(state: StopAllState, storage: StorageLike): StopAllState {
  const targets = state.targets.map((target) => {
    if (target.times.restartSentAt !== undefined || target.phase.kind === "settled") return target;
    const mark = storage.getItem(restartKey(state.startedAt, target.workspaceId));
    if (mark === null) return target;
    const at = Number(mark);
    const phase = target.phase.kind === "restarting" ? target.phase : ({ kind: "restarting", trigger: "deadline" } as const);
    return { ...target, phase, times: { ...target.times, restartSentAt: Number.isFinite(at) ? at : state.deadlineAt } };
  });
  return { ...state, targets, counts: countPhases(targets) };
}
