import { createFleetStore, fleetViewOf, type FleetStore } from "../../fleet/store";
import { parsePlatformEvent } from "../../platform/events";
import { parseWorkspaceRows } from "../../platform/parse-rows";
import { FakeClock, flushMicrotasks } from "../../time/fake-clock";
import type { StopAllOptions } from "../options";
import { startStopAll, type StopAllOperation } from "../orchestrator";
import { FakePlatform } from "../../platform/testing/fake-platform";
import { operationAccessors } from "./operation-accessors";

/** A `GET /workspaces` row as the platform sends it (PLATFORM_API.md); `patch` may break it on purpose. */
export function wireRow(id: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    name: id,
    role: "worker",
    tier: 1,
    status: "online",
    active_tasks: 1,
    current_task: "working",
    agent_card: { protocolVersion: "1.0" },
    parent_id: null,
    runtime: "claude-code",
    url: `http://agents.invalid/${id}`,
    x: 0,
    y: 0,
    collapsed: false,
    ...patch,
  };
}

/** A live event message as `GET /ws` sends it; `at` is platform time in ms. */
export function wireEvent(event: string, workspaceId: string, at: number, payload: Record<string, unknown> = {}): Record<string, unknown> {
  return { event, workspace_id: workspaceId, timestamp: new Date(at).toISOString(), payload };
}

/**
 * A Stop All watching the real fleet store, fed as the page feeds it: polls
 * through `parseWorkspaceRows` (sequence taken when the poll is sent) and
 * live events through `parsePlatformEvent`. Requests go to a scripted
 * FakePlatform on a fake clock. For faults in rows and events, where the
 * hand-driven FakeFleet of `stopAllHarness` would skip the parsing and the
 * store's ordering rules.
 */
export function storeHarness(initialRows: unknown[], options: StopAllOptions = {}) {
  const clock = new FakeClock();
  const platform = new FakePlatform(clock);
  const store: FleetStore = createFleetStore();
  let operation: StopAllOperation | undefined;

  /** Sends a poll now; call the result with the rows when its answer lands (possibly after newer events). */
  const sendPoll = () => {
    const pollSeq = store.getState().beginPoll();
    return (rows: unknown[]) => {
      const parsed = parseWorkspaceRows(rows);
      store.getState().applyRows(parsed.workspaces, parsed.warnings, pollSeq);
      return parsed.warnings;
    };
  };
  sendPoll()(initialRows);


  return {
    clock,
    platform,
    store,
    sendPoll,
    /** A poll sent and answered at once; returns the warnings of dropped rows. */
    poll: (rows: unknown[]) => sendPoll()(rows),
    /** One live message, parsed as the event stream does; false when it was skipped as malformed. */
    event(message: unknown): boolean {
      const parsed = parsePlatformEvent(message);
      if (parsed) store.getState().applyEvent(parsed);
      return parsed !== null;
    },
    /** Starts Stop All on the busy workspaces the store shows now (the click). */
    async start(): Promise<StopAllOperation> {
      const targets = store.getState().ids.map((id) => store.getState().workspaces[id]!);
      operation = startStopAll({ targets, client: platform, fleet: fleetViewOf(store), clock, options });
      await flushMicrotasks(50);
      return operation;
    },
    ...operationAccessors(() => operation, clock, platform),
  };
}
