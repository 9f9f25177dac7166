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

const PREFIX = "fleet-canvas:stop-all";

/** A fleet's name as storage keys and lock names carry it: without ":", so no fleet's names run into another's. */
export const fleetSegment = (fleet: string) => encodeURIComponent(fleet);

/** Where the Stop All of `fleet` is stored. */
export const operationKey = (fleet: string) => `${PREFIX}:${fleetSegment(fleet)}`;

/** Where builds before operations were kept per fleet stored the one operation of the browser, whatever its fleet. */
export const LEGACY_OPERATION_KEY = PREFIX;

/** One stored operation's keys: the snapshot and its restart marks. */
interface Slot {
  key: string;
  restartPrefix: string;
}

const slotOf = (fleet: string): Slot => ({ key: operationKey(fleet), restartPrefix: `${operationKey(fleet)}:restart-sent:` });
const LEGACY_SLOT: Slot = { key: LEGACY_OPERATION_KEY, restartPrefix: `${PREFIX}:restart-sent:` };

const targetSchema = z.looseObject({
  workspaceId: z.string(),
  name: z.string(),
  phase: z.looseObject({ kind: z.enum(["cancelling", "watching", "restarting", "holding", "settled"]) }),
  restartAttempts: z.number(),
  times: z.looseObject({}),
});

const stateFields = {
  phase: z.enum(["cancelling", "watching", "restarting", "resuming", "finished"]),
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

const restartKey = (slot: Slot, startedAt: number, workspaceId: string) => `${slot.restartPrefix}${startedAt}:${workspaceId}`;

export interface OperationStoreOptions {
  /** The fleet the operation belongs to: its scenario in mock mode, the one platform in live mode. */
  fleet: string;
  /** The tab that writes through this store (absent: records carry no owner). */
  owner?: string;
  /**
   * True for the one fleet that older builds' records (one per browser, not
   * per fleet) belonged to: when this fleet has no record of its own, the old
   * record is read as its own (and cleared with it), so an upgrade in the
   * middle of an operation loses nothing. Every other fleet ignores it.
   */
  legacy?: boolean;
}

/**
 * Where the browser keeps a fleet's current Stop All, so a reload can resume
 * it and other tabs of the same fleet can show it; other fleets never see it.
 * The full snapshot is written often; a restart about to be sent is also
 * marked on its own key at once, so even a snapshot written a moment too
 * early cannot make a reload send it twice. `owner` names the tab that writes
 * through this store; every snapshot it saves carries it, so other tabs know
 * whose operation it is.
 */
export function createOperationStore(storage: StorageLike, options: OperationStoreOptions) {
  const { fleet, owner, legacy = false } = options;
  const own = slotOf(fleet);
  // Read in this order; only `own` is written.
  const slots = legacy ? [own, LEGACY_SLOT] : [own];
  return {
    fleet,
    owner,
    legacy,
    /** The keys whose changes can change what `load` gives (for `storage` events). */
    keys: slots.map((slot) => slot.key) as readonly string[],

    save(state: StopAllState): void {
      storage.setItem(own.key, JSON.stringify({ version: 2, owner, state }));
    },

    /** Must be called before the restart (a hold: pause) request leaves. */
    markRestartSent(startedAt: number, workspaceId: string, at: number): void {
      storage.setItem(restartKey(own, startedAt, workspaceId), String(at));
    },

    load(): LoadedOperation {
      const slot = slots.find((candidate) => storage.getItem(candidate.key) !== null);
      return slot ? parseStored(storage.getItem(slot.key)!, (startedAt, id) => restartMark(storage, slots, startedAt, id)) : { kind: "none" };
    },

    /** Forgets the stored operation and its restart marks (before a new one starts). */
    clear(): void {
      const stale: string[] = [];
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key !== null && slots.some((slot) => key.startsWith(slot.restartPrefix))) stale.push(key);
      }
      for (const key of [...slots.map((slot) => slot.key), ...stale]) storage.removeItem(key);
    },
  };
}

/** The first restart mark of any slot for this target, or null. */
function restartMark(storage: StorageLike, slots: readonly Slot[], startedAt: number, workspaceId: string): string | null {
  for (const slot of slots) {
    const mark = storage.getItem(restartKey(slot, startedAt, workspaceId));
    if (mark !== null) return mark;
  }
  return null;
}

/** A stored record, checked: the operation with its restart marks applied, or why it cannot be read. */
function parseStored(text: string, markOf: (startedAt: number, workspaceId: string) => string | null): LoadedOperation {
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
  const found = { kind: "found" as const, state: withRestartMarks(state, markOf) };
  return parsed.data.version === 2 && parsed.data.owner !== undefined ? { ...found, owner: parsed.data.owner } : found;
}

export type OperationStore = ReturnType<typeof createOperationStore>;

/**
 * A target whose restart (a hold: pause) was marked sent, but whose
 * snapshot does not say so yet, counts as sent. Counts are recomputed, never trusted.
 */
function withRestartMarks(state: StopAllState, markOf: (startedAt: number, workspaceId: string) => string | null): StopAllState {
  const hold = state.mode === "hold";
  const targets = state.targets.map((target) => {
    const sentAt = hold ? target.times.pauseSentAt : target.times.restartSentAt;
    if (sentAt !== undefined || target.phase.kind === "settled") return target;
    const mark = markOf(state.startedAt, target.workspaceId);
    if (mark === null) return target;
    const at = Number.isFinite(Number(mark)) ? Number(mark) : state.deadlineAt;
    if (hold) {
      const phase = target.phase.kind === "holding" ? target.phase : ({ kind: "holding", trigger: "deadline" } as const);
      return { ...target, phase, times: { ...target.times, pauseSentAt: at } };
    }
    const phase = target.phase.kind === "restarting" ? target.phase : ({ kind: "restarting", trigger: "deadline" } as const);
    return { ...target, phase, times: { ...target.times, restartSentAt: at } };
  });
  return { ...state, targets, counts: countPhases(targets) };
}
