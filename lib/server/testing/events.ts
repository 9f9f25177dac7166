/** Shared fixtures for the event bridge and hub tests. */
export const TOKEN = "tok-ws-7c1d-secret";
export const EVENTS = "http://canvas.test:3000/api/platform/events";

/** Hub timings that keep real-socket tests fast. */
export const HUB_FAST = { pingMs: 60_000, backoff: { initialMs: 20, maxMs: 80 }, connectTimeoutMs: 1_000, idleCloseMs: 60_000 };
/** Browser-stream timings that keep real-socket tests fast. */
export const BRIDGE_FAST = { pingMs: 60_000, giveUpAfterMs: 2_000 };

/** One platform event as the platform sends it. */
export const heartbeat = (workspace: string, active: number) =>
  JSON.stringify({ event: "WORKSPACE_HEARTBEAT", workspace_id: workspace, timestamp: "2026-01-01T00:00:00Z", payload: { active_tasks: active } });
