import type { FetchLike } from "../platform/client";
import type { AgentBehaviour } from "./sim/behaviour";
import type { FleetSimulation } from "./sim/fleet-simulation";
import type { RequestLogEntry } from "./sim/request-log";

export type {
  A2AFault,
  AgentBehaviour,
  CancelBehaviour,
  ChattyBehaviour,
  HoldBehaviour,
  PauseBehaviour,
  PauseFault,
  ProxyAnswer,
  RestartBehaviour,
  RestartFault,
  ResumeBehaviour,
  ResumeFault,
} from "./sim/behaviour";
export type { RequestLogEntry } from "./sim/request-log";

/**
 * The running mock platform, as `window.__fleetMock` exposes it to e2e
 * tests and the scenario picker. Every value crossing it is plain data.
 */
export interface MockPlatformControl {
  scenario: string;
  scenarioNames: string[];
  /** Set when the requested scenario was unknown and `default` runs instead. */
  scenarioError?: string;
  /** Every request the app made, oldest first (copies). */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /**
   * Changes one agent's behaviour from now on (`pause`, `pauseFaults`,
   * `resume`, `resumeFaults` included); throws for an id the scenario does
   * not have.
   */
  setBehaviour(workspaceId: string, patch: Partial<AgentBehaviour>): void;
  /** While down, `GET /workspaces` (and the proxy) answer 503 platform_unavailable. */
  setPlatformDown(down: boolean): void;
  /** Off: open streams drop and new ones get 503. On: streams can connect again. */
  setEventStream(available: boolean): void;
  /** Cuts every open event stream now (the client should reconnect). */
  dropEventStream(): void;
  /** Back to the scenario's start: fleet, behaviours, switches, request log. */
  reset(): void;
  /** For e2e clock stepping: probe ids of requests held on the clock, and events sent so far. */
  probe(): { held: string[]; eventsSent: number };
  /**
   * In the browser: the in-page transport the app's own platform requests
   * take (no service worker), so a tool or a benchmark can send as the app
   * does. A plain `fetch` from the page goes through the service worker.
   */
  fetch?: FetchLike;
}

/** Wraps a simulation in the control surface (no browser APIs: usable from node tests). */
export function createMockControl(
  sim: FleetSimulation,
  info: { scenarioNames: string[]; scenarioError?: string },
): MockPlatformControl {
  return {
    scenario: sim.scenario.name,
    scenarioNames: [...info.scenarioNames],
    ...(info.scenarioError ? { scenarioError: info.scenarioError } : {}),
    requests: () => sim.log.entries(),
    clearRequests: () => sim.log.clear(),
    setBehaviour: (workspaceId, patch) => sim.setBehaviour(workspaceId, patch),
    setPlatformDown: (down) => sim.setPlatformDown(down),
    setEventStream: (available) => sim.eventStream.setAvailable(available),
    dropEventStream: () => sim.eventStream.drop(),
    reset: () => sim.reset(),
    probe: () => ({ held: [...sim.probe.held], eventsSent: sim.probe.eventsSent }),
  };
}
