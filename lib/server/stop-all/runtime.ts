import "server-only";
import path from "node:path";
import { DEPLOYMENT_STOP_ALL_OPTIONS } from "../../stop-all/deployment-settings";
import { systemClock } from "../../time/clock";
import { serverConfig } from "../config";
import { platformUpstreamEvents } from "../shared-upstream-events";
import { readAuthUserHeader } from "./actor";
import type { StopAllRuntime, StopAllRuntimeAccess } from "./handlers";
import { JournalUnavailableError, type OperationJournal } from "./journal";
import { openSqliteJournal } from "./journal-sqlite";
import { createOperationService } from "./operation-service";
import { readRehearsalSetting, rehearseWhileIdle, startRehearsal, type Rehearsal } from "./rehearsal";
import { createServerFleet } from "./server-fleet";
import { createUpstreamPlatformClient } from "./upstream-client";
import { SERVER_MAX_IN_FLIGHT } from "./upstream-http";
import { createWorkerTransport } from "./upstream-worker";


// On globalThis: `next dev` re-evaluates modules, and a second service would run a second operation.
const KEY = Symbol.for("fleet-canvas.stop-all-runtime");
type Holder = typeof globalThis & { [KEY]?: Promise<StopAllRuntime> };

/** `DATA_DIR` (default `.data/` in the working directory): where the embedded journal lives. */
export function dataDir(env: Record<string, string | undefined> = process.env): string {
  return path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR?.trim() || ".data");
}

/** `DATABASE_URL` (postgres://…) puts the journal on Postgres, for several replicas; otherwise the embedded store. */
async function openJournal(env: Record<string, string | undefined>): Promise<OperationJournal> {
  const url = env.DATABASE_URL?.trim();
  if (!url) return openSqliteJournal(dataDir(env));
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error("DATABASE_URL must be a postgres:// (or postgresql://) URL");
  const { openPostgresJournal } = await import("./journal-postgres");
  return openPostgresJournal(url);
}

async function create(): Promise<StopAllRuntime> {
  const config = serverConfig();
  if (config.mode !== "live") return { ok: false, status: 404, error: "mock mode: Stop All runs in the page, there is no server-owned operation" };
  try {
    const authUserHeader = readAuthUserHeader(process.env);
    const rehearse = readRehearsalSetting(process.env);
    const journal = await openJournal(process.env);
    const transport = createWorkerTransport({ maxSockets: SERVER_MAX_IN_FLIGHT });
    const client = createUpstreamPlatformClient(config, transport);
    const fleet = createServerFleet({ client, events: platformUpstreamEvents(config) ?? undefined, clock: systemClock });
    const service = createOperationService({
      fleetKey: config.platformUrl,
      journal,
      fleet,
      client,
      clock: systemClock,
      options: { ...DEPLOYMENT_STOP_ALL_OPTIONS, maxInFlight: SERVER_MAX_IN_FLIGHT },
      replicaId: `${process.pid}-${crypto.randomUUID()}`,
      singleProcess: journal.kind === "embedded",
    });
    // Leases, takeovers (of what a crash left running, too) and queued actions, from now on.
    service.startKeeper();
    if (!rehearse) return { ok: true, service, authUserHeader };
    // The first operation would otherwise run on cold code: see rehearsal.ts.
    const rehearsed = await rehearseWhileIdle({ service, journal, fleetKey: config.platformUrl, rehearse: () => startRehearsal({ transport, maxInFlight: SERVER_MAX_IN_FLIGHT }) });
    reportRehearsal(rehearsed.rehearsal);
    return { ok: true, service: rehearsed.service, authUserHeader };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof JournalUnavailableError) return { ok: false, status: 503, error: `Stop All is unavailable: ${message}` };
    console.error(`Stop All cannot run on this server: ${message}`);
    return { ok: false, status: 500, error: `Stop All cannot run on this server: ${message}` };
  }
}

/** Says at start-up how the rehearsal went (rehearsal.ts): one line, whatever happened to it. */
function reportRehearsal(rehearsal: Rehearsal | undefined): void {
  if (!rehearsal) return console.info("Stop All rehearsal skipped: an operation is running for this fleet (or the journal cannot say)");
  void rehearsal.outcome.then((outcome) => {
    if (outcome.status === "done") console.info(`Stop All rehearsed: ${outcome.runs} run(s) on ${outcome.workspaces} stand-in workspaces, ${outcome.requests} requests, in ${(outcome.ms / 1000).toFixed(1)} s`);
    else if (outcome.status === "cancelled") console.info("Stop All rehearsal cancelled: an operation started");
    else console.warn(`Stop All rehearsal did not complete (the first operation runs on cold code): ${outcome.error}`);
  });
}

/**
 * The process's Stop All service, made on first use (or at boot, from
 * instrumentation.ts, so an operation a crash interrupted carries on before
 * any browser comes back). A journal that cannot be reached yet is tried
 * again on the next use; a configuration error stays.
 */
export const stopAllRuntime: StopAllRuntimeAccess = async () => {
  const holder = globalThis as Holder;
  holder[KEY] ??= create();
  const runtime = await holder[KEY];
  if (!runtime.ok && runtime.status === 503) holder[KEY] = undefined;
  return runtime;
};
