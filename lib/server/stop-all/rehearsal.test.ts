import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const { readRehearsalSetting, rehearseWhileIdle, startRehearsal } = await import("./rehearsal");
const { createHttpTransport } = await import("./upstream-http");
const { REHEARSAL_IGNORE_EVERY } = await import("./rehearsal-platform");
type UpstreamRequest = import("./upstream-http").UpstreamRequest;
type OperationService = import("./operation-service").OperationService;

// The start-up rehearsal over real HTTP (node:http in this process, as the connection thread runs it), on the real clock.

/** A transport that sends for real and notes every request (URL, JSON-RPC method or `restart`). */
function recordingTransport() {
  const http = createHttpTransport({ maxSockets: 64 });
  const seen: { url: URL; what: string }[] = [];
  let onRequest = () => {};
  const transport = (request: UpstreamRequest) => {
    const what = request.body ? (JSON.parse(request.body) as { method: string }).method : request.url.pathname.split("/").pop()!;
    seen.push({ url: request.url, what });
    onRequest();
    return http(request);
  };
  return { transport, seen, onRequest: (listener: () => void) => (onRequest = listener) };
}

const rehearsalDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith("fleet-canvas-rehearsal-"));
const count = (seen: { what: string }[], what: string) => seen.filter((request) => request.what === what).length;

describe("the start-up rehearsal of Stop All", () => {
  it("runs whole operations against a stand-in on loopback: every target listed and cancelled, the ignoring ones restarted at the deadline", async () => {
    const before = rehearsalDirs();
    const recorded = recordingTransport();
    const rehearsal = startRehearsal({ transport: recorded.transport, size: 40, runs: 2, maxInFlight: 64 });
    const outcome = await rehearsal.outcome;

    expect(outcome).toMatchObject({ status: "done", runs: 2, workspaces: 40 });
    if (outcome.status !== "done") return;
    expect(outcome.requests).toBe(recorded.seen.length);
    expect(new Set(recorded.seen.map((request) => request.url.host)).size).toBe(2);
    for (const { url } of recorded.seen) {
      expect(url.hostname).toBe("127.0.0.1");
      expect(url.pathname.startsWith("/api/platform/")).toBe(true);
    }
    expect(count(recorded.seen, "ListTasks")).toBe(80);
    expect(count(recorded.seen, "CancelTask")).toBe(80);
    expect(count(recorded.seen, "restart")).toBe(2 * (40 / REHEARSAL_IGNORE_EVERY));
    // Its journals lived in temporary directories, removed again.
    expect(rehearsalDirs()).toEqual(before);
  }, 20_000);

  it("a cancel stops it at once: no request after it, and nothing left behind", async () => {
    const before = rehearsalDirs();
    const recorded = recordingTransport();
    const rehearsal = startRehearsal({ transport: recorded.transport, size: 200, runs: 2, maxInFlight: 8 });
    let sentAtCancel = -1;
    recorded.onRequest(() => {
      if (recorded.seen.length === 20) {
        rehearsal.cancel();
        sentAtCancel = recorded.seen.length;
      }
    });

    await expect(rehearsal.outcome).resolves.toEqual({ status: "cancelled" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentAtCancel).toBe(20);
    expect(recorded.seen.length).toBe(sentAtCancel);
    expect(count(recorded.seen, "restart")).toBe(0);
    expect(rehearsalDirs()).toEqual(before);
  }, 20_000);

  it("one that takes too long is given up, and says why", async () => {
    const recorded = recordingTransport();
    const rehearsal = startRehearsal({ transport: recorded.transport, size: 40, runs: 1, maxInFlight: 64, timeoutMs: 300 });
    await expect(rehearsal.outcome).resolves.toEqual({ status: "failed", error: "it took longer than 0.3 s" });
  }, 20_000);

  it("a platform that cannot be reached fails it with the reason, and a cancel after the end changes nothing", async () => {
    const rehearsal = startRehearsal({ transport: () => Promise.reject(new Error("connect ECONNREFUSED")), size: 10, runs: 1, maxInFlight: 8 });
    const outcome = await rehearsal.outcome;
    expect(outcome.status).toBe("failed");
    if (outcome.status === "failed") expect(outcome.error).toMatch(/did not start \(503: the platform's workspaces cannot be read: .*ECONNREFUSED/);
    rehearsal.cancel();
    await expect(rehearsal.outcome).resolves.toBe(outcome);
  });
});

describe("rehearsing only while no operation runs", () => {
  type Rehearsal = import("./rehearsal").Rehearsal;
  type Running = { id: string; lease: never }[];
  const operation = [{ id: "op-1" }] as Running;

  /** A rehearsal that runs until cancelled, noting the order of cancels and starts in `order`. */
  function fakes(running: () => Promise<Running>) {
    const order: string[] = [];
    let rehearsals = 0;
    let ended: (outcome: { status: "cancelled" }) => void = () => {};
    const rehearsal: Rehearsal = { outcome: new Promise((resolve) => (ended = resolve)), cancel: () => (order.push("cancel"), ended({ status: "cancelled" })) };
    const service = { start: async () => (order.push("start"), { status: 201, body: {} }), current: async () => undefined } as unknown as OperationService;
    const deps = { service, journal: { running: () => running() }, fleetKey: "http://platform/", rehearse: () => (rehearsals++, rehearsal), checkEveryMs: 20 };
    return { order, deps, service, rehearsal, rehearsals: () => rehearsals };
  }

  it("a real start cancels the rehearsal before it begins; the rest of the service is the same", async () => {
    const f = fakes(async () => []);
    const { service, rehearsal } = await rehearseWhileIdle(f.deps);
    expect(rehearsal).toBe(f.rehearsal);

    await service.start({ targets: ["ws-1"] }, "anonymous");
    expect(f.order).toEqual(["cancel", "start"]);
    expect(service.current).toBe(f.service.current);
  });

  it("an operation the journal shows (another replica's, a takeover) cancels it within a check", async () => {
    let now: Running = [];
    const f = fakes(async () => now);
    await rehearseWhileIdle(f.deps);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(f.order).toEqual([]);

    now = operation;
    await expect(f.rehearsal.outcome).resolves.toEqual({ status: "cancelled" });
    expect(f.order).toEqual(["cancel"]);
  });

  it("a journal that stops answering cancels it too", async () => {
    let reachable = true;
    const f = fakes(async () => (reachable ? [] : Promise.reject(new Error("journal down"))));
    await rehearseWhileIdle(f.deps);
    reachable = false;
    await expect(f.rehearsal.outcome).resolves.toEqual({ status: "cancelled" });
  });

  it("none starts while an operation runs (it is carried on alone), or when the journal cannot say", async () => {
    for (const running of [async () => operation, () => Promise.reject(new Error("journal down"))]) {
      const f = fakes(running);
      const { service, rehearsal } = await rehearseWhileIdle(f.deps);
      expect(rehearsal).toBeUndefined();
      expect(service).toBe(f.service);
      expect(f.rehearsals()).toBe(0);
    }
  });
});

describe("STOP_ALL_REHEARSAL", () => {
  it("is on unless it says off", () => {
    expect(readRehearsalSetting({})).toBe(true);
    expect(readRehearsalSetting({ STOP_ALL_REHEARSAL: " " })).toBe(true);
    expect(readRehearsalSetting({ STOP_ALL_REHEARSAL: "on" })).toBe(true);
    expect(readRehearsalSetting({ STOP_ALL_REHEARSAL: "OFF" })).toBe(false);
  });

  it("anything else is refused with what to write", () => {
    expect(() => readRehearsalSetting({ STOP_ALL_REHEARSAL: "no" })).toThrow('STOP_ALL_REHEARSAL must be "on" or "off", got "no"');
  });
});
