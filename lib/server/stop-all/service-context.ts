import "server-only";
import type { PlatformClient } from "../../platform/client";
import type { StopAllOptions } from "../../stop-all/options";
import type { Clock } from "../../time/clock";
import type { Driven } from "./driver";
import type { FollowerTail } from "./follower-tail";
import { JournalUnavailableError, type OperationJournal } from "./journal";
import type { ServerFleet } from "./server-fleet";

/** What a start, an action or a read came to, as the route answers it. */
export type ServiceAnswer<T> = { status: number; body: T } | { status: number; error: string; body?: unknown };

export interface OperationServiceDeps {
  /** The fleet this service owns the operation of (one platform per deployment). */
  fleetKey: string;
  journal: OperationJournal;
  fleet: ServerFleet;
  client: PlatformClient;
  clock: Clock;
  options?: StopAllOptions;
  /** This process among the replicas (a new one per process start). */
  replicaId: string;
  /**
   * True when no other process can share the journal (the embedded one: one
   * server per DATA_DIR): what it shows running is a dead process's and is
   * carried on at once, and its fence never runs out on a slow event loop.
   */
  singleProcess?: boolean;
  newId?: () => string;
}

/** What the operation service's parts (starting, steering, the keeper, reading) share. */
export interface ServiceContext {
  readonly deps: OperationServiceDeps;
  readonly journal: OperationJournal;
  readonly clock: Clock;
  readonly newId: () => string;
  /** The operations this replica drives (or hosts after their end), by id. */
  readonly driven: Map<string, Driven>;
  /** The operations other replicas drive, as this replica follows them in the journal, by id. */
  readonly tails: Map<string, Promise<FollowerTail | undefined>>;
}

/** A fresh context: nothing driven or followed yet. */
export function createServiceContext(deps: OperationServiceDeps): ServiceContext {
  return { deps, journal: deps.journal, clock: deps.clock, newId: deps.newId ?? (() => crypto.randomUUID()), driven: new Map(), tails: new Map() };
}

/** Hosts `entry` on this replica; only the fleet's latest operation stays hosted (an older finished one is read from the journal). */
export function adopt(ctx: ServiceContext, entry: Driven): Driven {
  for (const [id, other] of ctx.driven) {
    if (id !== entry.live.id && other.live.operation.getState().phase === "finished") {
      other.stop();
      ctx.driven.delete(id);
    }
  }
  ctx.driven.set(entry.live.id, entry);
  return entry;
}

/** A journal failure as the route answers it: 503, and nothing starts or changes until it is back. */
export const unavailable = (error: unknown): ServiceAnswer<never> => ({
  status: 503,
  error: `${error instanceof JournalUnavailableError ? error.message : `the Stop All journal failed (${error instanceof Error ? error.message : String(error)})`}: no Stop All can start or change until it is back`,
});
