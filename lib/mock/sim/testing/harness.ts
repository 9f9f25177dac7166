import type { PlatformEventMessage } from "../../../platform/events";
import { FakeClock } from "../../../time/fake-clock";
import type { AgentBehaviour } from "../behaviour";
import { createFleetSimulation, type FleetSimulation } from "../fleet-simulation";
import type { Scenario, WorkspaceSpec } from "../scenario";

/** Test helpers: a simulation on a fake clock with every event recorded. */
export interface SimHarness {
  sim: FleetSimulation;
  clock: FakeClock;
  events: PlatformEventMessage[];
  /** Events of one kind for one workspace. */
  eventsOf(name: string, workspaceId: string): PlatformEventMessage[];
  /** The row of `id` in `GET /workspaces`, or undefined once gone. */
  row(id: string): Record<string, unknown> | undefined;
}

export function startSim(scenario: Scenario, clock = new FakeClock()): SimHarness {
  const sim = createFleetSimulation({ scenario, clock });
  const events: PlatformEventMessage[] = [];
  sim.subscribe((message) => events.push(message));
  return {
    sim,
    clock,
    events,
    eventsOf: (name, id) => events.filter((e) => e.event === name && e.workspace_id === id),
    row: (id) => sim.listRows().find((row) => (row as Record<string, unknown>).id === id) as Record<string, unknown> | undefined,
  };
}

/** A one-workspace-per-entry scenario, each busy with one long task unless `tasks` says otherwise. */
export function scenarioOf(workspaces: Array<Partial<WorkspaceSpec> & { id: string; behaviour?: Partial<AgentBehaviour> }>): Scenario {
  return {
    name: "test",
    description: "unit test fleet",
    workspaces: workspaces.map((ws, index) => ({
      name: ws.id,
      x: index * 250,
      y: 0,
      tasks: [{ description: `Long job of ${ws.id}` }],
      ...ws,
    })),
  };
}

let nextId = 1;

/** A JSON-RPC 2.0 request body as the canvas sends it (raw text, like HTTP). */
export function rpc(method: string, params: unknown = {}, id: string | number = nextId++): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method, params });
}

/** The decoded JSON body of an answer. */
export function bodyOf(answer: { body?: unknown }): Record<string, unknown> {
  return answer.body as Record<string, unknown>;
}
