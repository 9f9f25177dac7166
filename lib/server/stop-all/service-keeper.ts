import "server-only";
import type { TimerHandle } from "../../time/clock";
import { drive } from "./driver";
import { foldStored } from "./fold";
import type { OperationJournal } from "./journal";
import { hasLapsed, LEASE_MS, RENEW_MS } from "./lease";
import { adopt, type ServiceContext } from "./service-context";
import { applyQueued } from "./service-steer";

/**
 * One round of the keeper: renew what this replica drives (and apply what
 * was queued for it), take over what lapsed, and close the tails nobody
 * watches any more.
 */
export async function keeperRound(ctx: ServiceContext): Promise<void> {
  const { driven, journal, clock } = ctx;
  for (const [id, entry] of [...driven]) {
    const renewed = await entry.renew();
    if (renewed === false) driven.delete(id);
    else if (renewed === true) await applyQueued(ctx, id);
  }
  let running: Awaited<ReturnType<OperationJournal["running"]>>;
  try {
    running = await journal.running(ctx.deps.fleetKey);
  } catch {
    return;
  }
  for (const { id, lease } of running) {
    const mine = driven.get(id);
    if (mine && (mine.lease().owner !== lease.owner || mine.lease().generation !== lease.generation)) {
      // Hosted here finished, re-opened by another replica since: theirs now (and ours to take over if they die).
      mine.stop();
      driven.delete(id);
    }
    // One process per embedded journal: what it shows running is a dead process's, carried on at once.
    const lapsed = ctx.deps.singleProcess === true || hasLapsed(lease.until, clock.now());
    if (driven.has(id) || !lapsed) continue;
    await takeOver(ctx, id).catch(() => {});
  }
  await closeIdleTails(ctx);
}

async function closeIdleTails(ctx: ServiceContext): Promise<void> {
  for (const [id, pending] of [...ctx.tails]) {
    const tail = await pending;
    if (!tail?.watching() && !ctx.driven.has(id)) {
      tail?.close();
      ctx.tails.delete(id);
    }
  }
}

/** Takes a lapsed operation over (if the journal lets this replica) and carries it on from the journal. */
async function takeOver(ctx: ServiceContext, id: string): Promise<void> {
  const { journal, deps } = ctx;
  const now = ctx.clock.now();
  const lease = await journal.takeOver(id, deps.replicaId, deps.singleProcess ? Number.MAX_SAFE_INTEGER : now, now + LEASE_MS);
  if (!lease) return;
  // The fleet first: before its rows load, every target would look removed.
  await deps.fleet.refresh().catch(() => {});
  const stored = await journal.load(id);
  if (!stored) return;
  const { state, seq } = foldStored(stored);
  adopt(ctx, drive({ ...deps, info: stored.info, lease, grantedAt: now, from: { saved: state, seq } }));
  const tail = await ctx.tails.get(id);
  ctx.tails.delete(id);
  // Streams watching it here move to the driver's live events.
  tail?.close();
}

/** The keeper's loop: a round every RENEW_MS, and each change notice passed to its tail (queued actions applied at once). */
export function createKeeper(ctx: ServiceContext): { start(): void; stop(): void } {
  let timer: TimerHandle | undefined;
  let stopped = false;
  let unsubscribe = () => {};
  return {
    start(): void {
      unsubscribe = ctx.journal.onChange((change) => {
        void ctx.tails.get(change.operationId)?.then((tail) => tail?.changed(change.kind));
        if (change.kind === "action") void applyQueued(ctx, change.operationId);
      });
      const loop = () => {
        timer = undefined;
        if (stopped) return unsubscribe();
        void keeperRound(ctx).finally(() => {
          if (!stopped) timer = ctx.clock.setTimeout(loop, RENEW_MS);
        });
      };
      loop();
    },
    stop(): void {
      stopped = true;
      if (timer !== undefined) ctx.clock.clearTimeout(timer);
      unsubscribe();
    },
  };
}
