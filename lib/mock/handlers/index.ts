import type { RequestHandler } from "msw";
import type { FleetSimulation } from "../sim/fleet-simulation";
import { eventsGateHandler } from "./events";
import { platformRouterHandler } from "./platform-router";

export interface PlatformHandlerOptions {
  /**
   * The browser's `sse()` handler for the event stream (lib/mock/handlers/events-sse.ts).
   * Left out in node, where `sse()` cannot be created: the hand-built stream serves instead.
   */
  sseHandler?: RequestHandler;
}

/**
 * Every MSW handler of the mock platform, all wrapping one simulation: the
 * router (every platform path but the event stream), then the stream's gate
 * and, in the browser, its `sse()` handler. Node-safe: the browser passes
 * its `sse()` handler in.
 */
export function createMswHandlers(sim: FleetSimulation, options: PlatformHandlerOptions = {}): RequestHandler[] {
  return [
    platformRouterHandler(sim),
    eventsGateHandler(sim, { deferToSse: options.sseHandler !== undefined }),
    ...(options.sseHandler ? [options.sseHandler] : []),
  ];
}
