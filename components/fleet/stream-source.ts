"use client";

import { batchedEventSource, nextTaskScheduler, type StreamSource, type TaskScheduler } from "@/lib/live/batched-event-source";

let scheduler: TaskScheduler | undefined;

/** The browser's EventSource to `url`, its messages delivered a task at a time (lib/live/batched-event-source.ts). */
export function openStreamSource(url: string): StreamSource {
  scheduler ??= nextTaskScheduler();
  return batchedEventSource(new EventSource(url) as unknown as StreamSource, scheduler);
}
