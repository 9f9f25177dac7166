"use client";

import { batchedEventSource, type StreamSource, type TaskScheduler } from "@/lib/live/batched-event-source";
import { createLaterTasks } from "@/lib/time/later-task";

let scheduler: TaskScheduler | undefined;

/** The browser's EventSource to `url`, its messages delivered a task at a time (lib/live/batched-event-source.ts). */
export function openStreamSource(url: string): StreamSource {
  scheduler ??= createLaterTasks();
  return batchedEventSource(new EventSource(url) as unknown as StreamSource, scheduler);
}
