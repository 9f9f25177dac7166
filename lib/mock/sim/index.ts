export { createFleetSimulation, DEFAULT_LATENCY_MS, type FleetSimulation, type FleetSimulationOptions } from "./fleet-simulation";
export type { SimAnswer } from "./answer";
export type {
  A2AFault,
  AgentBehaviour,
  AttemptFault,
  CancelBehaviour,
  ChattyBehaviour,
  HoldBehaviour,
  PauseBehaviour,
  PauseFault,
  PlainProxyStatus,
  ProxyAnswer,
  RestartBehaviour,
  RestartFault,
  ResumeBehaviour,
  ResumeFault,
  SimProtocol,
} from "./behaviour";
export { defaultBehaviour } from "./behaviour";
export type { RequestLogEntry } from "./request-log";
export type { Scenario, TaskSpec, WorkspaceSpec } from "./scenario";
export { HEARTBEAT_MS } from "./ambient";
