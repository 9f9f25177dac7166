import "server-only";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { systemClock, type Clock } from "../../time/clock";
import { operationEventsResponse } from "./events-response";
import type { OperationJournal } from "./journal";
import { openSqliteJournal } from "./journal-sqlite";
import { createOperationService, type OperationService } from "./operation-service";
import { rehearsalScenario, startRehearsalPlatform } from "./rehearsal-platform";
import { createServerFleet, type ServerFleet } from "./server-fleet";
import { createUpstreamPlatformClient } from "./upstream-client";
import type { UpstreamTransport } from "./upstream-http";

/**
 * Why a canvas server rehearses Stop All when it starts: the first operation
 * after a start ran on cold code (V8 had compiled nothing of the
 * orchestrator, the A2A client, the journal writes or the connection
 * thread's HTTP yet, and its heap was small). At 5,000 workspaces it reached
 * its last cancel 0.5-0.9 s later than the operations after it, over the
 * 1.5 s budget (npm run bench, live rows: "the first operation after the
 * server started (and rehearsed)", which read 2.7 s before it). The rehearsal runs those same paths once, before any
 * operator needs them, against a stand-in platform on loopback.
 */

/** Stand-in workspaces per run: enough calls (two per target) for V8 to optimise the per-call code. */
export const REHEARSAL_SIZE = 2000;
/** Runs of the rehearsal, one after the other. */
export const REHEARSAL_RUNS = 2;
/** The rehearsal operations' deadline: the ignoring tenth is restarted at it, so phase 2 is rehearsed too. */
export const REHEARSAL_DEADLINE_MS = 3000;
/** A rehearsal that has not ended by then is given up (it is only a warm-up). */
export const REHEARSAL_TIMEOUT_MS = 60_000;

export type RehearsalOutcome =
  | { status: "done"; runs: number; workspaces: number; requests: number; ms: number }
  | { status: "cancelled" }
  | { status: "failed"; error: string };

export interface Rehearsal {
  readonly outcome: Promise<RehearsalOutcome>;
  /** Stops it at once (a real operation is starting); `outcome` then resolves as cancelled. */
  cancel(): void;
}

export interface RehearsalDeps {
  /** The transport the real operations use (the connection thread), so its code is the one warmed. */
  transport: UpstreamTransport;
  clock?: Clock;
  size?: number;
  runs?: number;
  /** Calls in flight, as the real operations run (SERVER_MAX_IN_FLIGHT). */
  maxInFlight: number;
  timeoutMs?: number;
}

/** `STOP_ALL_REHEARSAL`: `off` turns the start-up rehearsal off; unset or `on`, it runs. Throws with what to fix. */
export function readRehearsalSetting(env: Record<string, string | undefined>): boolean {
  const raw = env.STOP_ALL_REHEARSAL?.trim().toLowerCase();
  if (!raw || raw === "on") return true;
  if (raw === "off") return false;
  throw new Error(`STOP_ALL_REHEARSAL must be "on" or "off", got ${JSON.stringify(env.STOP_ALL_REHEARSAL?.slice(0, 100))}`);
}

/** Reads an operation's event stream until a progress line says it finished (or the stream ends). */
async function untilFinished(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error("the rehearsal's event stream ended before the operation did");
      buffered += decoder.decode(value, { stream: true });
      const frames = buffered.split("\n\n");
      buffered = frames.pop() ?? "";
      if (frames.some((frame) => frame.startsWith("event: progress\n") && frame.includes('"phase":"finished"'))) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/**
 * One rehearsal operation, end to end as a real one runs: a stand-in
 * platform (rehearsal-platform.ts), a journal of its own in a temporary
 * directory, a fleet view and a service of their own, a start on every
 * workspace, and its event stream read to the end as a watching page reads
 * it. Nothing of it touches the real platform, journal or operations.
 */
async function rehearseOnce(deps: Required<Omit<RehearsalDeps, "timeoutMs">>, signal: AbortSignal): Promise<number> {
  const scenario = rehearsalScenario(deps.size);
  const platform = await startRehearsalPlatform(scenario, deps.clock);
  let dir: string | undefined;
  let journal: OperationJournal | undefined;
  let fleet: ServerFleet | undefined;
  let service: OperationService | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const halt = () => {
    service?.dispose();
    fleet?.close();
    void reader?.cancel().catch(() => {});
    void platform.close();
  };
  signal.addEventListener("abort", halt, { once: true });
  try {
    dir = await mkdtemp(path.join(tmpdir(), "fleet-canvas-rehearsal-"));
    journal = await openSqliteJournal(dir);
    const client = createUpstreamPlatformClient({ platformUrl: platform.url, token: null }, deps.transport);
    fleet = createServerFleet({ client, events: platform.events, clock: deps.clock });
    service = createOperationService({
      fleetKey: platform.url,
      journal,
      fleet,
      client,
      clock: deps.clock,
      options: { deadlineMs: REHEARSAL_DEADLINE_MS, quietMs: 0, maxInFlight: deps.maxInFlight },
      replicaId: "rehearsal",
      singleProcess: true,
    });
    // It renews the lease, as on a real server: a run outlasts LEASE_MS, and a lapsed lease refuses the restarts.
    service.startKeeper();
    signal.throwIfAborted();
    const started = await service.start({ targets: scenario.workspaces.map((workspace) => workspace.id) }, "rehearsal");
    if ("error" in started) throw new Error(`the rehearsal's Stop All did not start (${started.status}: ${started.error})`);
    const id = started.body.id;
    const response = await operationEventsResponse({ service, request: new Request(`http://rehearsal.invalid/api/stop-all/${id}/events`), id, client: "rehearsal", streamsByClient: new Map() });
    if (response.status !== 200 || !response.body) throw new Error(`the rehearsal's event stream answered ${response.status}`);
    reader = response.body.getReader();
    signal.throwIfAborted();
    await untilFinished(reader);
    return platform.requests();
  } finally {
    signal.removeEventListener("abort", halt);
    halt();
    await platform.close();
    await journal?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

/** Starts the rehearsal in the background: `runs` operations on `size` stand-in workspaces each. */
export function startRehearsal(deps: RehearsalDeps): Rehearsal {
  const controller = new AbortController();
  const { timeoutMs = REHEARSAL_TIMEOUT_MS, ...given } = deps;
  const full = { clock: systemClock, size: REHEARSAL_SIZE, runs: REHEARSAL_RUNS, ...given };
  const timer = setTimeout(() => controller.abort(new Error(`it took longer than ${timeoutMs / 1000} s`)), timeoutMs);
  timer.unref();
  let cancelled = false;
  const outcome = (async (): Promise<RehearsalOutcome> => {
    const startedAt = Date.now();
    let requests = 0;
    try {
      for (let run = 0; run < full.runs; run++) requests += await rehearseOnce(full, controller.signal);
      return { status: "done", runs: full.runs, workspaces: full.size, requests, ms: Date.now() - startedAt };
    } catch (error) {
      if (cancelled) return { status: "cancelled" };
      const why = controller.signal.aborted ? controller.signal.reason : error;
      return { status: "failed", error: why instanceof Error ? why.message : String(why) };
    } finally {
      clearTimeout(timer);
    }
  })();
  return {
    outcome,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      controller.abort(new Error("cancelled"));
    },
  };
}

/** While a rehearsal runs, the journal is asked this often whether an operation runs for the fleet. */
export const REHEARSAL_CHECK_MS = 250;

/**
 * Rehearses (`rehearse()`) in the background unless an operation runs for
 * the fleet: one a crash interrupted is carried on at once and has the
 * machine to itself (so has one the journal cannot tell about). The
 * rehearsal is cancelled as soon as an operation starts: here (the
 * returned service's start cancels it before it begins) or anywhere the
 * journal shows it (another replica's, a takeover), checked every
 * REHEARSAL_CHECK_MS.
 */
export async function rehearseWhileIdle(deps: {
  service: OperationService;
  journal: Pick<OperationJournal, "running">;
  fleetKey: string;
  rehearse: () => Rehearsal;
  checkEveryMs?: number;
}): Promise<{ service: OperationService; rehearsal?: Rehearsal }> {
  const { service, journal, fleetKey } = deps;
  const running = await journal.running(fleetKey).catch(() => undefined);
  if (running === undefined || running.length > 0) return { service };
  const rehearsal = deps.rehearse();
  const check = setInterval(() => {
    void journal.running(fleetKey).then(
      (now) => now.length > 0 && rehearsal.cancel(),
      () => rehearsal.cancel(),
    );
  }, deps.checkEveryMs ?? REHEARSAL_CHECK_MS);
  check.unref();
  void rehearsal.outcome.finally(() => clearInterval(check));
  const start: OperationService["start"] = (request, actor) => {
    rehearsal.cancel();
    return service.start(request, actor);
  };
  return { service: { ...service, start }, rehearsal };
}
