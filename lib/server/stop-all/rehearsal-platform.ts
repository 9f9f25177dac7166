import "server-only";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { answerPlatformRequest } from "../../mock/router/answer-platform-request";
import { createFleetSimulation } from "../../mock/sim/fleet-simulation";
import type { Scenario, WorkspaceSpec } from "../../mock/sim/scenario";
import { PLATFORM_BASE } from "../../platform/paths";
import type { Clock } from "../../time/clock";
import type { LiveEventSource } from "./server-fleet";

/** In the rehearsal fleet, one busy workspace in this many ignores the cancel (restarted at the deadline). */
export const REHEARSAL_IGNORE_EVERY = 10;

/**
 * The rehearsal's fleet: `size` busy A2A 1.0 workspaces (ListTasks, then
 * CancelTask, as most of a real fleet), each with one task. The honouring
 * ones drain 50–250 ms after their cancel; one in REHEARSAL_IGNORE_EVERY
 * ignores it, so the deadline's restarts are rehearsed too.
 */
export function rehearsalScenario(size: number): Scenario {
  const workspaces = Array.from({ length: size }, (_, n): WorkspaceSpec => {
    const ignores = n % REHEARSAL_IGNORE_EVERY === REHEARSAL_IGNORE_EVERY - 1;
    return {
      id: `ws-rehearsal-${n}`,
      name: `rehearsal-${n}`,
      role: "worker",
      x: (n % 50) * 250,
      y: Math.floor(n / 50) * 140,
      card: "1.0",
      tasks: [{ description: `Rehearsal task #${n}` }],
      behaviour: ignores ? { cancel: { kind: "ignore" }, restart: { kind: "ok", restartMs: 200 } } : { cancel: { kind: "honour", drainAfterMs: 50 + ((n * 37) % 201) } },
    };
  });
  return { name: "stop-all-rehearsal", description: "The canvas server's start-up rehearsal of Stop All", seed: 1, latencyMs: 5, workspaces };
}

/** The stand-in platform the rehearsal sends to: the mock platform (lib/mock) served on loopback. */
export interface RehearsalPlatform {
  /** Its PLATFORM_URL (http://127.0.0.1:<port>/api/platform/). */
  readonly url: string;
  /** Its live events, as text, as the shared upstream `/ws` hands them to the server's fleet view. */
  readonly events: LiveEventSource;
  /** Requests it answered. */
  requests(): number;
  /** Stops the simulation, cuts every connection and stops listening. */
  close(): Promise<void>;
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/**
 * Serves a simulation of `scenario` (on `clock`) on 127.0.0.1 at a port the
 * system picks: what the mock platform's router answers, over real HTTP, so
 * the rehearsal's requests take the very path a platform's do.
 */
export async function startRehearsalPlatform(scenario: Scenario, clock: Clock): Promise<RehearsalPlatform> {
  const simulation = createFleetSimulation({ scenario, clock });
  let answered = 0;
  const server = http.createServer((request, response) => {
    const gone = new AbortController();
    response.on("close", () => gone.abort());
    void (async () => {
      const body = await readBody(request);
      const path = new URL(request.url ?? "/", "http://stand-in").pathname;
      const headers = { get: (name: string) => request.headers[name.toLowerCase()]?.toString() ?? null };
      const answer = await answerPlatformRequest(simulation, { method: request.method ?? "GET", path, headers, body, signal: gone.signal });
      answered += 1;
      if (!answer || answer.kind === "network-error") return void response.destroy();
      response.writeHead(answer.status, Object.fromEntries(answer.headers)).end(answer.body ?? undefined);
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, resolve);
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}${PLATFORM_BASE}/`,
    events: {
      subscribe(listener) {
        listener.onState("open");
        return simulation.subscribe((message) => listener.onMessage(JSON.stringify(message)));
      },
    },
    requests: () => answered,
    close() {
      closed ??= new Promise((resolve) => {
        simulation.dispose();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
