/**
 * Server-Sent Events framing. A platform message is one JSON text; compact
 * JSON has no line breaks and becomes exactly one `data:` line. Should a
 * platform pretty-print, each line gets its own `data:` line, which the
 * browser's EventSource joins back with `\n`, so the text arrives verbatim.
 */
export function sseData(text: string): string {
  return `${text.split(/\r\n|\r|\n/).map((line) => `data: ${line}`).join("\n")}\n\n`;
}

export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, " ")}\n\n`;
}

/** A named event: `EventSource.onmessage` ignores it, `addEventListener(name)` sees it. */
export function sseEvent(name: string, data: string): string {
  return `event: ${name}\n${sseData(data)}`;
}

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
};
