import type { PlatformEventMessage } from "../../platform/events";
import type { Clock } from "../../time/clock";
import { proxyA2A } from "./a2a-proxy";
import { createAmbient } from "./ambient";
import { jsonSimAnswer, PLATFORM_UNAVAILABLE, type SimAnswer } from "./answer";
import type { AgentBehaviour } from "./behaviour";
import type { SimContext } from "./context";
import { createEventBus } from "./event-bus";
import { createEventStreamSwitch, type EventStreamSwitch } from "./event-stream-switch";
import { createFleetState } from "./fleet-state";
import { pauseWorkspace, resumeWorkspace } from "./pause";
import { createRequestLog, type RequestLog } from "./request-log";
import { restartWorkspace } from "./restart";
import type { Scenario } from "./scenario";
import { createScheduler } from "./scheduler";
import { createTestProbe, type TestProbe } from "./e2e-probe";

export const DEFAULT_LATENCY_MS = 20;

/** A simulated platform with its fleet: what the MSW handlers (and unit tests) talk to. */
export interface FleetSimulation {
  readonly scenario: Scenario;
  readonly clock: Clock;
  /** Network latency the handlers add to every answer, ms. */
  readonly latencyMs: number;
  /** Rows of `GET /workspaces` (removed workspaces left out, the scenario's raw extra rows appended). */
  listRows(): unknown[];
  /** `GET /workspaces` as answered: the rows, or 503 while the platform is down. */
  answerListWorkspaces(): SimAnswer;
  /** `POST /workspaces/:id/a2a`; `body` is the raw request text (or a decoded value). */
  handleA2A(workspaceId: string, body: unknown): SimAnswer;
  /** `POST /workspaces/:id/restart`. */
  handleRestart(workspaceId: string): SimAnswer;
  /** `POST /workspaces/:id/pause`: it and its descendants. */
  handlePause(workspaceId: string): SimAnswer;
  /** `POST /workspaces/:id/resume`: it and its paused descendants. */
  handleResume(workspaceId: string): SimAnswer;
  /** Live events in the wire shape. Returns the unsubscribe function. */
  subscribe(listener: (message: PlatformEventMessage) => void): () => void;
  /** Changes a workspace's behaviour from now on (a new `faults`, `restartFaults`, `pauseFaults` or `resumeFaults` list restarts that attempt count). */
  setBehaviour(workspaceId: string, patch: Partial<AgentBehaviour>): void;
  behaviourOf(workspaceId: string): AgentBehaviour | undefined;
  setPlatformDown(down: boolean): void;
  isPlatformDown(): boolean;
  readonly eventStream: EventStreamSwitch;
  readonly log: RequestLog;
  /** Bookkeeping for e2e clock stepping (see e2e-probe.ts). */
  readonly probe: TestProbe;
  /** Back to the scenario's start: fleet, behaviours, switches and log; open streams are dropped. */
  reset(): void;
  /** Stops all simulated time (used when another simulation replaces this one). */
  dispose(): void;
  /** Aborted at the next reset or dispose: hanging answers end with it. */
  resetSignal(): AbortSignal;
}

export interface FleetSimulationOptions {
  scenario: Scenario;
  clock: Clock;
}

/**
 * Builds a deterministic simulation of `scenario`: every random choice
 * comes from a PRNG seeded by the scenario and workspace id, every delay
 * from the injected clock. Same scenario and clock, same run.
 */
export function createFleetSimulation({ scenario, clock }: FleetSimulationOptions): FleetSimulation {
  const scheduler = createScheduler(clock);
  const bus = createEventBus(() => clock.now());
  const ctx: SimContext = { clock, scheduler, bus };
  const ambient = createAmbient(ctx);
  const log = createRequestLog();
  const probe = createTestProbe();
  const eventStream = createEventStreamSwitch(scenario.eventStream ?? true);
  const fleet = createFleetState(scenario, clock, ambient);
  let resetController = new AbortController();

  /** Ends all simulated time and aborts hanging answers. */
  const stop = () => {
    scheduler.clear();
    ambient.clear();
    resetController.abort();
    resetController = new AbortController();
  };

  fleet.build();

  return {
    probe,
    scenario,
    clock,
    latencyMs: scenario.latencyMs ?? DEFAULT_LATENCY_MS,
    listRows: () => fleet.listRows(),
    answerListWorkspaces: () => (fleet.isPlatformDown() ? PLATFORM_UNAVAILABLE : jsonSimAnswer(200, fleet.listRows())),
    handleA2A: (id, body) => proxyA2A(ctx, fleet, id, body),
    handleRestart: (id) => restartWorkspace(ctx, fleet, id),
    handlePause: (id) => pauseWorkspace(ctx, fleet, id),
    handleResume: (id) => resumeWorkspace(ctx, fleet, id),
    subscribe: (listener) => bus.subscribe(listener),
    setBehaviour(id, patch) {
      const ws = fleet.workspace(id);
      ws.behaviour = { ...ws.behaviour, ...patch };
      if (patch.faults) ws.attempts.clear();
      if (patch.restartFaults) ws.restartAttempts = 0;
      if (patch.pauseFaults) ws.pauseAttempts = 0;
      if (patch.resumeFaults) ws.resumeAttempts = 0;
      ambient.refresh(ws);
    },
    behaviourOf: (id) => fleet.find(id)?.behaviour,
    setPlatformDown: (down) => fleet.setPlatformDown(down),
    isPlatformDown: () => fleet.isPlatformDown(),
    eventStream,
    log,
    reset() {
      stop();
      log.clear();
      eventStream.setAvailable(scenario.eventStream ?? true);
      eventStream.drop();
      fleet.build();
    },
    dispose() {
      stop();
      eventStream.drop();
    },
    resetSignal: () => resetController.signal,
  };
}
