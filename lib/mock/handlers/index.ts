import type { RequestHandler } from "msw";
import type { FleetSimulation } from "../sim/fleet-simulation";
import { a2aHandler } from "./a2a";
import { eventsGateHandler } from "./events";
import { restartHandler } from "./restart";
import { unknownPathHandler } from "./unknown-path";
import { workspacesHandler } from "./workspaces";

export interface PlatformHandlerOptions {
  /**
   * The browser's `sse()` handler for the event stream (lib/mock/handlers/events-sse.ts).
   * Left out in node, where `sse()` cannot be created: the hand-built stream serves instead.
   */
  sseHandler?: RequestHandler;
}

/**
 * Every MSW handler of the mock platform, in matching order, all wrapping
 * one simulation. Node-safe: the browser passes its `sse()` handler in.
 */
export function createPlatformHandlers(sim: FleetSimulation, options: PlatformHandlerOptions = {}): RequestHandler[] {
  return [
    workspacesHandler(sim),
    a2aHandler(sim),
    restartHandler(sim),
    eventsGateHandler(sim, { deferToSse: options.sseHandler !== undefined }),
    ...(options.sseHandler ? [options.sseHandler] : []),
    unknownPathHandler(sim),
  ];
}
