import { HttpResponse } from "msw";
import type { FleetSimulation } from "../sim/fleet-simulation";

const encoder = new TextEncoder();

/** One platform event as one SSE message: a single `data:` line of JSON in the wire shape. */
export function sseFrame(message: unknown): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(message)}\n\n`);
}

/**
 * A Server-Sent Events response fed by the simulation, built by hand. It
 * serves clients that msw's `sse()` does not match (an Accept header other
 * than exactly `text/event-stream`) and every client where `EventSource`
 * does not exist (node tests). It ends on abort, cancel or a drop.
 */
export function eventStreamResponse(sim: FleetSimulation, signal: AbortSignal): Response {
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const unsubscribe = sim.subscribe((message) => controller.enqueue(sseFrame(message)));
      const end = () => {
        stop();
        try {
          controller.close();
        } catch {
          // Already closed or cancelled.
        }
      };
      const stopDrops = sim.eventStream.onDrop(end);
      stop = () => {
        unsubscribe();
        stopDrops();
        signal.removeEventListener("abort", end);
      };
      signal.addEventListener("abort", end, { once: true });
      controller.enqueue(encoder.encode(": connected\n\n"));
    },
    cancel() {
      stop();
    },
  });
  return new HttpResponse(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}
