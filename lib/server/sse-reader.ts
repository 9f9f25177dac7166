/**
 * Test helper: reads an SSE response body incrementally so a test can wait
 * for the next frame (a `data:` event, a named event or a comment).
 */
export function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";

  return {
    /** Resolves with the next complete frame (text up to a blank line), or null at the end of the stream. */
    async next(): Promise<string | null> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          return frame;
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    /** Skips frames until one satisfies `match`; null if the stream ends first. */
    async until(match: (frame: string) => boolean): Promise<string | null> {
      for (;;) {
        const frame = await this.next();
        if (frame === null || match(frame)) return frame;
      }
    },
    cancel: () => reader.cancel(),
  };
}
