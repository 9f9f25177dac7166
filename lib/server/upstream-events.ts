import "server-only";
import { systemClock } from "../time/clock";
import { withDefaults } from "./defaults";
import { UpstreamHub } from "./upstream-hub";
import type { UpstreamEvents, UpstreamEventsConfig } from "./upstream-types";
import { defaultSocketFactory } from "./ws-connect";

export { backoffDelay, type UpstreamEvents, type UpstreamEventsConfig, type UpstreamListener, type UpstreamOpen, type UpstreamSettings, type UpstreamState } from "./upstream-types";

const DEFAULTS = {
  pingMs: 15_000,
  connectTimeoutMs: 5_000,
  backoff: { initialMs: 500, maxMs: 15_000 },
  maxMessageBytes: 1024 * 1024,
  idleCloseMs: 30_000,
};

/**
 * Makes a hub for one platform socket. It connects on first demand
 * (`subscribe` or `ensureOpen`), not here. Server code normally wants the
 * process-wide one instead: `sharedUpstreamEvents` / `platformUpstreamEvents`.
 */
export function createUpstreamEvents(config: UpstreamEventsConfig): UpstreamEvents {
  const defaults = {
    ...DEFAULTS,
    createSocket: defaultSocketFactory,
    timers: systemClock,
    random: Math.random,
    reportError: (error: unknown) => console.error("upstream events listener failed:", error),
  };
  return new UpstreamHub(withDefaults(defaults, config));
}

