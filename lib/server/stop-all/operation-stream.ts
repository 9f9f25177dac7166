import "server-only";
import { systemClock } from "../../time/clock";
import { createFrameBatch } from "../frame-batch";
import type { OperationMessage } from "./live-operation";
import { sseComment } from "../sse";

export const STREAM_PING_MS = 15_000;
/** Bytes a browser may leave unread before its stream is dropped (it reconnects with Last-Event-ID). */
export const MAX_UNREAD_BYTES = 4 * 1024 * 1024;
/** A small progress line at most this often, beside the events: a reader can check its fold against it. */
export const PROGRESS_MS = 500;

function frame(message: Exclude<OperationMessage, { kind: "end" }>): string {
  if (message.kind === "snapshot") return `id: ${message.view.seq}\nevent: snapshot\ndata: ${JSON.stringify(message.view)}\n\n`;
  return `id: ${message.event.seq}\nevent: op\ndata: ${JSON.stringify(message.event)}\n\n`;
}

/**
 * One browser's Server-Sent Events stream of one operation: `snapshot`
 * (the whole view, `id` = its seq), then an `op` event per operation event
 * (`id` = its seq, so EventSource's Last-Event-ID resumes without loss), a
 * throttled `progress` (`{seq, phase, counts}`), and a ping comment.
 * `subscribe` is called with the sink once the stream starts; its returned
 * function is called when the stream ends.
 */
export function operationEventStream(
  subscribe: (send: (message: OperationMessage) => void) => () => void,
  progress: () => unknown | Promise<unknown>,
  signal: AbortSignal,
  onEnd: () => void = () => {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let unsubscribe: (() => void) | undefined;
  let ping: ReturnType<typeof setInterval> | undefined;
  let progressTimer: ReturnType<typeof setInterval> | undefined;
  let ended = false;
  let controller: ReadableStreamDefaultController<Uint8Array>;
  // Frames leave in chunks of FRAME_BATCH_MS (frame-batch.ts says why).
  const batch = createFrameBatch({
    timers: systemClock,
    send(text) {
      controller.enqueue(encoder.encode(text));
      if (-(controller.desiredSize ?? 0) > MAX_UNREAD_BYTES) end();
    },
  });

  // Ends the response: the browser's EventSource reconnects (after `retry`) with its Last-Event-ID.
  const end = () => {
    if (ended) return;
    batch.cancel();
    ended = true;
    unsubscribe?.();
    clearInterval(ping);
    clearInterval(progressTimer);
    onEnd();
    try {
      controller.close();
    } catch {
      // the reader already cancelled it
    }
  };
  const push = (text: string) => {
    if (!ended) batch.push(text);
  };
  const send = (message: OperationMessage) => {
    if (message.kind === "end") {
      // What was written before the end still reaches the browser.
      batch.flush();
      return end();
    }
    push(frame(message));
  };
  // Every PROGRESS_MS, events or not: a journal problem (Postgres down) shows even when nothing happens.
  const sendProgress = async () => {
    const line = await Promise.resolve(progress()).catch(() => undefined);
    if (line !== undefined) push(`event: progress\ndata: ${JSON.stringify(line)}\n\n`);
  };

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        push(`retry: 2000\n${sseComment("connected")}`);
        unsubscribe = subscribe(send);
        ping = setInterval(() => push(sseComment("ping")), STREAM_PING_MS);
        progressTimer = setInterval(() => void sendProgress(), PROGRESS_MS);
        signal.addEventListener("abort", end, { once: true });
        if (signal.aborted) end();
      },
      cancel: end,
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
  );
}
