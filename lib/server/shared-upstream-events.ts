import "server-only";
import { createHash } from "node:crypto";
import type { ServerConfig } from "./config";
import { createUpstreamEvents, type UpstreamEvents, type UpstreamEventsConfig } from "./upstream-events";

// On globalThis, not in a module variable: `next dev` re-evaluates modules on
// edits, which would otherwise leave a second socket behind (STACK_NOTES).
const REGISTRY = Symbol.for("fleet-canvas.upstream-events");
type Holder = typeof globalThis & { [REGISTRY]?: Map<string, UpstreamEvents> };

/**
 * The process-wide hub for one platform socket and token: every browser
 * event stream and any server-side consumer get the same instance, hence
 * one upstream `/ws` per server process. The first call for a URL and token
 * creates it with its `config`; later calls get that hub and their other
 * options are ignored.
 */
export function sharedUpstreamEvents(config: UpstreamEventsConfig): UpstreamEvents {
  const holder = globalThis as Holder;
  const hubs = (holder[REGISTRY] ??= new Map());
  const key = `${config.url} ${fingerprint(config.token)}`;
  let hub = hubs.get(key);
  if (!hub) {
    hub = createUpstreamEvents(config);
    hubs.set(key, hub);
  }
  return hub;
}

/**
 * The shared hub for this server's platform (`null` in mock mode): what the
 * events route relays and what server-side code subscribes to, e.g.
 * `platformUpstreamEvents(serverConfig())?.subscribe({ onMessage, onState })`.
 */
export function platformUpstreamEvents(config: ServerConfig): UpstreamEvents | null {
  if (config.mode !== "live") return null;
  return sharedUpstreamEvents({ url: platformSocketUrl(config.platformUrl), token: config.token });
}

/** `https://host/base/` → `wss://host/base/ws` (the platform's event socket). */
export function platformSocketUrl(platformUrl: string): string {
  const url = new URL("ws", platformUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/** Hubs are told apart by token too (a tokenless config must not reuse a signed-in socket), without keeping it in the key. */
function fingerprint(token: string | null): string {
  return token === null ? "-" : createHash("sha256").update(token).digest("hex");
}
