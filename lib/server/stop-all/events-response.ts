import "server-only";
import { jsonError } from "../responses";
import { SSE_HEADERS } from "../sse";
import type { OperationMessage } from "./live-operation";
import type { OperationService } from "./operation-service";
import { operationEventStream } from "./operation-stream";

/** Event streams one client (actor, else forwarded address) may hold open at once. */
export const MAX_STREAMS_PER_CLIENT = 12;

/** The stream's progress line: `{seq, phase, counts}`, and the journal's problem when there is one. */
type Progress = { seq: number; phase: string; counts: unknown; journalProblem?: string };

/** Who a stream counts against: the actor, else the first forwarded address. */
export function streamClient(request: Request, actor: string): string {
  return actor !== "anonymous" ? actor : (request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "anonymous");
}

/**
 * The progress line of one stream: kept up from what the stream sends, and
 * refreshed in the background from the service's view each time it is read
 * (the next line carries what that found, a journal problem included).
 */
function progressLine(service: OperationService, id: string) {
  let last: Progress | undefined;
  return {
    track(message: OperationMessage): void {
      const view = message.kind === "snapshot" ? message.view : undefined;
      if (view) last = { seq: view.seq, phase: view.state.phase, counts: view.state.counts };
      else if (last) last = { ...last, seq: message.kind === "event" ? message.event.seq : last.seq };
    },
    /** The service's view now (the driver's, or the journal's through this replica's tail). */
    async read(): Promise<Progress | Record<string, never>> {
      try {
        const view = await service.view(id);
        if (view) last = { seq: view.seq, phase: view.state.phase, counts: view.state.counts, ...(view.journalProblem ? { journalProblem: view.journalProblem } : {}) };
      } catch (error) {
        // This replica cannot read the journal either: say so on the stream.
        last = { ...(last ?? { seq: 0, phase: "unknown", counts: {} }), journalProblem: error instanceof Error ? error.message : String(error) };
      }
      return last ?? {};
    },
  };
}

/**
 * GET /api/stop-all/:id/events for one client: 429 over
 * MAX_STREAMS_PER_CLIENT open streams, 404 for an unknown operation, else
 * its Server-Sent Events from `Last-Event-ID` (or `?after=`) on, counted in
 * `streamsByClient` until it ends.
 */
export async function operationEventsResponse(deps: { service: OperationService; request: Request; id: string; client: string; streamsByClient: Map<string, number> }): Promise<Response> {
  const { service, request, id, client, streamsByClient } = deps;
  const open = streamsByClient.get(client) ?? 0;
  if (open >= MAX_STREAMS_PER_CLIENT) return jsonError(429, `at most ${MAX_STREAMS_PER_CLIENT} Stop All streams per client; close another tab`, { "retry-after": "10" });
  const lastId = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after");
  const after = lastId !== null && /^\d{1,12}$/.test(lastId) ? Number(lastId) : undefined;
  let unsubscribe: (() => void) | undefined;
  let ended = false;
  const progress = progressLine(service, id);
  const known = await service.view(id).catch(() => undefined);
  if (!known) return jsonError(404, "no such Stop All");
  streamsByClient.set(client, open + 1);
  const subscribe = (send: (message: OperationMessage) => void) => {
    const track = (message: OperationMessage) => {
      progress.track(message);
      send(message);
    };
    void service.watch(id, after, track).then((stop) => {
      if (ended) stop?.();
      else unsubscribe = stop;
    });
    return () => {
      ended = true;
      unsubscribe?.();
    };
  };
  const onEnd = () => {
    unsubscribe?.();
    const left = (streamsByClient.get(client) ?? 1) - 1;
    if (left <= 0) streamsByClient.delete(client);
    else streamsByClient.set(client, left);
  };
  const stream = operationEventStream(subscribe, () => progress.read(), request.signal, onEnd);
  return new Response(stream, { headers: SSE_HEADERS });
}
