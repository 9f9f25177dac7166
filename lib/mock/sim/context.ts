import type { Clock } from "../../time/clock";
import type { EventBus } from "./event-bus";
import type { Scheduler } from "./scheduler";

/** What every part of the simulation shares: time, jobs and the event fan-out. */
export interface SimContext {
  clock: Clock;
  scheduler: Scheduler;
  bus: EventBus;
}
