import type { StopMode } from "@/lib/stop-all/types";
import { createFleetStore, fleetViewOf, type FleetStore } from "@/lib/fleet/store";
import { createFleetSimulation, type FleetSimulation, type Scenario } from "@/lib/mock/sim";
import { createPlatformClient, type PlatformClient } from "@/lib/platform/client";
import { parsePlatformEvent } from "@/lib/platform/events";
import { createStopAllCoordinator, type StopAllCoordinator } from "@/lib/stop-all/coordinator";
import { FakeClock } from "@/lib/time/fake-clock";
import { nextTask } from "./next-task";
import { simFetch } from "./sim-fetch";

/** Time moves in steps this small, so every answer is handled close to when it is due. */
export const STEP_MS = 50;
/** While an operation runs the canvas re-reads rows about once a second; so does a world. */
const RUNNING_POLL_MS = 1000;
/** How far time moves after an operator action in a finished view, so its requests are answered. */
const ACTION_SETTLE_MS = 1000;

/**
 * One isolated fleet for one preview view: a simulation on its own fake
 * clock, a platform client that asks the simulation directly, a fleet store
 * fed from the simulation's rows and events, and a Stop All coordinator on
 * the same clock. Nothing is shared with the page or other views.
 */
export interface PreviewWorld {
  readonly sim: FleetSimulation;
  readonly clock: FakeClock;
  readonly store: FleetStore;
  readonly coordinator: StopAllCoordinator;
  /** Reads the rows into the store, as the canvas's first poll does. */
  load(): Promise<void>;
  /** Starts a Stop All on the fleet as the store has it now: what confirming does. */
  /** Starts a Stop All (a hold when `mode` says so) on the fleet as the store shows it. */
  startStopAll(mode?: StopMode): void;
  /** Moves time forward in small steps; while an operation runs, rows are re-read every second. */
  advance(ms: number): Promise<void>;
  /** Moves time forward until the operation has finished, for at most `limitMs`. */
  advanceUntilFinished(limitMs: number): Promise<void>;
  /** From now on an operator action (retry, restart now, keep) gets its answers: time moves on a little after each. */
  answerOperatorActions(): void;
  dispose(): void;
}

export interface PreviewWorldOptions {
  scenario: Scenario;
  /** Wall-clock time the world's clock starts at. */
  startAt: number;
}

export function createPreviewWorld({ scenario, startAt }: PreviewWorldOptions): PreviewWorld {
  const clock = new FakeClock(startAt);
  const sim = createFleetSimulation({ scenario, clock });
  const client = createPlatformClient(simFetch(sim), () => clock.now());
  const store = createFleetStore();
  const coordinator = createStopAllCoordinator({ client, fleet: fleetViewOf(store), clock });
  const cleanups = [feedEvents(sim, store)];
  store.getState().setConnection("live");
  const refreshRows = rowReader(client, store);
  const stepper = createStepper(clock, coordinator, refreshRows);
  const advance = (ms: number) => stepper.stepWhile((elapsed) => elapsed < ms);

  return {
    sim,
    clock,
    store,
    coordinator,
    async load() {
      let loaded = false;
      void refreshRows().then(() => {
        loaded = true;
      });
      await stepper.stepWhile(() => !loaded);
    },
    startStopAll(mode = "stop") {
      const { ids, workspaces } = store.getState();
      coordinator.start(ids.flatMap((id) => workspaces[id] ?? []), { mode });
      stepper.pollFromNow();
    },
    advance,
    advanceUntilFinished: (limitMs) => stepper.stepWhile((elapsed) => elapsed < limitMs && coordinator.isRunning()),
    answerOperatorActions() {
      cleanups.push(
        coordinator.subscribe(() => {
          if (!stepper.advancing() && !stepper.stopped()) void advance(ACTION_SETTLE_MS);
        }),
      );
    },
    dispose() {
      stepper.stop();
      for (const cleanup of cleanups.splice(0)) cleanup();
      coordinator.dispose();
      sim.dispose();
    },
  };
}

/** Applies the simulation's live events to the store, as the canvas's event stream does. Returns the unsubscribe function. */
function feedEvents(sim: FleetSimulation, store: FleetStore): () => void {
  return sim.subscribe((message) => {
    const event = parsePlatformEvent(message);
    if (event) store.getState().applyEvent(event);
  });
}

/** One poll of the rows into the store, as the canvas makes it. */
function rowReader(client: PlatformClient, store: FleetStore): () => Promise<void> {
  return async () => {
    const pollSeq = store.getState().beginPoll();
    try {
      const parsed = await client.listWorkspaces();
      store.getState().applyRows(parsed.workspaces, parsed.warnings, pollSeq);
    } catch {
      // The platform could not be read: the store keeps its last rows, as on the canvas.
    }
  };
}

/** Moves a world's clock; once stopped (the world disposed), it steps no more. */
interface Stepper {
  /** Steps while `more(elapsed)` holds. */
  stepWhile(more: (elapsed: number) => boolean): Promise<void>;
  /** The first poll of a running operation is due a poll interval from now. */
  pollFromNow(): void;
  /** True while a `stepWhile` is under way. */
  advancing(): boolean;
  stop(): void;
  stopped(): boolean;
}

/**
 * Time in STEP_MS steps, each followed by a task turn so the answers due in
 * it are handled; while an operation runs, the rows are re-read every
 * RUNNING_POLL_MS.
 */
function createStepper(clock: FakeClock, coordinator: StopAllCoordinator, refreshRows: () => Promise<void>): Stepper {
  let stopped = false;
  let advancing = false;
  let nextPollAt = Infinity;

  const step = async () => {
    await clock.advance(STEP_MS);
    await nextTask();
    if (coordinator.isRunning() && clock.now() >= nextPollAt) {
      nextPollAt = clock.now() + RUNNING_POLL_MS;
      void refreshRows();
    }
  };

  return {
    async stepWhile(more) {
      advancing = true;
      try {
        for (let elapsed = 0; !stopped && more(elapsed); elapsed += STEP_MS) await step();
      } finally {
        advancing = false;
      }
    },
    pollFromNow() {
      nextPollAt = clock.now() + RUNNING_POLL_MS;
    },
    advancing: () => advancing,
    stop() {
      stopped = true;
    },
    stopped: () => stopped,
  };
}
