import type { IncomingHttpHeaders } from "node:http";

/** One request as the platform received it (in `full` mode, headers include the bearer token). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * `full`: every header and the whole body, for the e2e specs (they check
 * the bearer token). `light`: method, path, time and the body's first
 * 2 KB; of the headers only the e2e test client's marker, so a benchmark's
 * thousands of calls stay cheap.
 */
export type RequestLogMode = "full" | "light";

/** The header that marks a spec's own calls (e2e/live/fixtures.ts). */
const TEST_CLIENT_HEADER = "x-e2e-test-client";
const LIGHT_BODY_CHARS = 2048;
const NO_HEADERS: IncomingHttpHeaders = Object.freeze({}) as IncomingHttpHeaders;
const CAPACITY: Record<RequestLogMode, number> = { full: 20_000, light: 100_000 };

/**
 * The platform's request log: a ring of the latest requests (the oldest
 * are dropped past its capacity, so memory is bounded however long the
 * platform runs).
 */
export class RequestLog {
  readonly capacity: number;
  private ring: RecordedRequest[] = [];
  private start = 0;
  private droppedCount = 0;

  constructor(readonly mode: RequestLogMode) {
    this.capacity = CAPACITY[mode];
  }

  /** Fleets above this many workspaces log in `light` mode unless told otherwise. */
  static readonly FULL_UP_TO = 200;

  add(method: string, path: string, headers: IncomingHttpHeaders, body: string): void {
    const entry: RecordedRequest =
      this.mode === "full"
        ? { method, path, headers, body, at: Date.now() }
        : { method, path, headers: headers[TEST_CLIENT_HEADER] === undefined ? NO_HEADERS : { [TEST_CLIENT_HEADER]: headers[TEST_CLIENT_HEADER] }, body: body.slice(0, LIGHT_BODY_CHARS), at: Date.now() };
    if (this.ring.length < this.capacity) {
      this.ring.push(entry);
      return;
    }
    this.ring[this.start] = entry;
    this.start = (this.start + 1) % this.capacity;
    this.droppedCount += 1;
  }

  /** Oldest first. */
  entries(): RecordedRequest[] {
    return [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
  }

  get size(): number {
    return this.ring.length;
  }

  /** Requests dropped to keep the log within its capacity since the last clear. */
  get dropped(): number {
    return this.droppedCount;
  }

  clear(): void {
    this.ring = [];
    this.start = 0;
    this.droppedCount = 0;
  }
}
