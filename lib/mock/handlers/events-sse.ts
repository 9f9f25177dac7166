import { sse } from "msw";
import { EVENTS_PATH } from "../../platform/paths";
import type { FleetSimulation } from "../sim/fleet-simulation";

// msw's internal per-client emitter (msw 2.15, src/core/sse.ts): it reports
// "close" and "error" when the page's EventSource goes away.
const CLIENT_EMITTER = Symbol.for("kClientEmitter");
type ClientEmitter = { on?: (type: string, listener: () => void) => void };

/**
 * BROWSER ONLY: msw's `sse()` throws where there is no global EventSource
 * (node, jsdom). Streams every simulation event as one `data:` line of JSON
 * in the wire shape; a drop closes the stream so the client reconnects.
 */
export function sseEventsHandler(sim: FleetSimulation) {
  return sse(`*${EVENTS_PATH}`, ({ client }) => {
    const unsubscribe = sim.subscribe((message) => {
      sim.probe.eventsSent += 1;
      client.send({ data: message });
    });
    const stopDrops = sim.eventStream.onDrop(() => {
      stop();
      client.close();
    });
    function stop() {
      unsubscribe();
      stopDrops();
    }
    const emitter = (client as unknown as Record<symbol, ClientEmitter | undefined>)[CLIENT_EMITTER];
    emitter?.on?.("close", stop);
    emitter?.on?.("error", stop);
  });
}
