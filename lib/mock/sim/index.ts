export { createFleetSimulation, DEFAULT_LATENCY_MS, type FleetSimulation, type FleetSimulationOptions } from "./fleet-simulation";
export type { SimAnswer } from "./answer";
export type {
  A2AFault,
  AgentBehaviour,
  CancelBehaviour,
  ChattyBehaviour,
  PlainProxyStatus,
  ProxyAnswer,
  RestartBehaviour,
  RestartFault,
  SimProtocol,
} from "./behaviour";
export { defaultBehaviour } from "./behaviour";
export type { RequestLogEntry } from "./request-log";
export type { Scenario, TaskSpec, WorkspaceSpec } from "./scenario";
export { HEARTBEAT_MS } from "./ambient";
