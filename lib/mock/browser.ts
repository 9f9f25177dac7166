import { setupWorker, type SetupWorker } from "msw/browser";
import type { FetchLike } from "../platform/client";
import { PLATFORM_BASE } from "../platform/paths";
import { systemClock } from "../time/clock";
import { createMockControl, type MockPlatformControl } from "./control";
import { createMswHandlers } from "./handlers";
import { sseEventsHandler } from "./handlers/events-sse";
import { resolveScenario, scenarioNames } from "./scenarios";
import { createFleetSimulation, type FleetSimulation } from "./sim/fleet-simulation";
import { createInPageFetch } from "./transport/in-page-fetch";

type WindowWithMock = Window & { __fleetMock?: MockPlatformControl };

let worker: Promise<SetupWorker> | undefined;
let running: { sim: FleetSimulation; control: MockPlatformControl } | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Starts the service worker once per page; later calls swap handlers instead. */
function startWorker(handlers: ReturnType<typeof createMswHandlers>): Promise<SetupWorker> {
  if (!worker) {
    const created = setupWorker(...handlers);
    worker = created
      .start({
        serviceWorker: { url: "/mockServiceWorker.js" },
        quiet: true,
        onUnhandledRequest(request, print) {
          const { pathname } = new URL(request.url);
          if (pathname.startsWith("/_next") || !pathname.startsWith(PLATFORM_BASE)) return;
          print.warning();
        },
      })
      .then(() => created);
    worker.catch(() => {
      worker = undefined;
    });
    return worker;
  }
  return worker.then((started) => {
    started.resetHandlers(...handlers);
    return started;
  });
}

async function start(requested: string | undefined): Promise<MockPlatformControl> {
  const { scenario, error } = resolveScenario(requested);
  if (running && running.sim.scenario === scenario) return running.control;
  running?.sim.dispose();
  // systemClock: under Playwright's page.clock, Date and timers are fake, so simulated time follows the page clock.
  const sim = createFleetSimulation({ scenario, clock: systemClock });
  await startWorker(createMswHandlers(sim, { sseHandler: sseEventsHandler(sim) }));
  const control: MockPlatformControl = { ...createMockControl(sim, { scenarioNames, scenarioError: error }), fetch: inPagePlatformFetch };
  running = { sim, control };
  (window as WindowWithMock).__fleetMock = control;
  return control;
}

/**
 * The app's platform fetch in mock mode: answers its own `/api/platform/*`
 * requests in the page, from whichever simulation is running now
 * (transport/in-page-fetch.ts); the event stream and anything else go to
 * the real fetch, and so to the service worker.
 */
export const inPagePlatformFetch: FetchLike = createInPageFetch({
  simulation: () => running?.sim,
  baseUrl: () => window.location.href,
  fallback: (input, init) => fetch(input, init),
});

/**
 * Browser entry of the mock platform: simulates `scenario` (unknown names
 * fall back to `default`, and `control.scenarioError` says so), answers
 * `/api/platform/*` from a service worker (the event stream, and requests
 * that do not come through `inPagePlatformFetch`), and exposes the control
 * as `window.__fleetMock` for e2e tests. Calls are serialised; the worker
 * starts once.
 */
export function startMockPlatform(options: { scenario?: string } = {}): Promise<MockPlatformControl> {
  const next = queue.then(() => start(options.scenario));
  queue = next.catch(() => undefined);
  return next;
}
