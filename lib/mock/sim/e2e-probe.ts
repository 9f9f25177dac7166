/**
 * What an e2e test needs to step the page clock deterministically: which
 * requests the mock is holding on the clock (latency, delays, hangs), by the
 * probe id the app sends in mock mode, and how many events it has sent.
 * A request the app has in flight that is not held here is still being
 * answered in real time, so the test waits before moving the clock again.
 */
export interface TestProbe {
  readonly held: Set<string>;
  eventsSent: number;
}

export const PROBE_HEADER = "x-fleet-probe";

export const createTestProbe = (): TestProbe => ({ held: new Set(), eventsSent: 0 });

/** Marks `request` (anything with headers: a Request, a router's PlatformRequest) as waiting on the clock until `wait` settles. */
export async function holdOnClock<T>(probe: TestProbe, request: { headers: { get(name: string): string | null } }, wait: Promise<T>): Promise<T> {
  const id = request.headers.get(PROBE_HEADER);
  if (id) probe.held.add(id);
  try {
    return await wait;
  } finally {
    if (id) probe.held.delete(id);
  }
}
