import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { workspace } from "../../fleet/testing/rows";
import type { PlatformClient } from "../../platform/client";
import type { Workspace } from "../../platform/workspace";
import { FakePlatform, reply } from "../../platform/testing/fake-platform";
import type { OperationView } from "../../stop-all-host/wire";
import { targetOf } from "../../stop-all/targets";
import { FakeClock } from "../../time/fake-clock";

vi.mock("server-only", () => ({}));
const { openSqliteJournal } = await import("./journal-sqlite");
type LiveEventSource = import("./server-fleet").LiveEventSource;
const { createServerFleet } = await import("./server-fleet");
const { createOperationService } = await import("./operation-service");
const { LEASE_MS, RENEW_MS } = await import("./lease");

const DEADLINE = 8000;
let dir: string;
let clock: FakeClock;
let rows: Workspace[];
let replicas = 0;

const fleetRows = () => [
  workspace("drains", { activeTasks: 1 }),
  workspace("stuck", { activeTasks: 1 }),
  workspace("idle", { activeTasks: 0 }),
  workspace("sleeping", { activeTasks: 2, status: "hibernated" }),
  workspace("idle-too", { activeTasks: 0 }),
];

/** One canvas server process (a replica): its own clock, platform calls and service, on the shared journal. */
async function startServer(options: { clock?: FakeClock; singleProcess?: boolean; events?: LiveEventSource } = {}) {
  const serverClock = options.clock ?? clock;
  const platform = new FakePlatform(serverClock);
  const reads = { rows: 0 };
  const client: PlatformClient = {
    listWorkspaces: async () => {
      reads.rows += 1;
      return { workspaces: rows.map((row) => ({ ...row })), warnings: [] };
    },
    postA2A: (id, body, signal) => platform.postA2A(id, body, signal),
    restart: (id, signal) => platform.restart(id, signal),
    pause: (id, signal) => platform.pause(id, signal),
    resume: (id, signal) => platform.resume(id, signal),
  };
  const journal = await openSqliteJournal(dir);
  const fleet = createServerFleet({ client, clock: serverClock, events: options.events });
  let n = 0;
  const replicaId = `replica-${++replicas}`;
  const service = createOperationService({ fleetKey: "live", journal, fleet, client, clock: serverClock, options: { deadlineMs: DEADLINE }, replicaId, singleProcess: options.singleProcess, newId: () => `${replicaId}-op-${++n}` });
  return { platform, journal, fleet, service, client, clock: serverClock, reads };
}

const viewOf = (answer: { body?: unknown }) => answer.body as OperationView;

/** The fleet as the platform shows it after `id` drained. */
function drain(id: string) {
  rows = rows.map((row) => (row.id === id ? { ...row, activeTasks: 0 } : row));
}

/** Moves a replica's clock, running its keeper every RENEW_MS as its process would. */
async function run(server: Awaited<ReturnType<typeof startServer>>, ms: number) {
  for (let left = ms; left > 0; left -= RENEW_MS) {
    await server.clock.advance(Math.min(RENEW_MS, left));
    await server.service.tick();
  }
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "stop-all-journal-"));
  clock = new FakeClock();
  rows = fleetRows();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("starting", () => {
  it("re-checks the confirmed ids against its own rows: 201 with the targets, the rest left out with why", async () => {
    const { service } = await startServer();
    const started = await service.start({ targets: ["drains", "stuck", "idle", "sleeping", "gone-1"], reason: " runaway loop " }, "ada@example.com");
    expect(started.status).toBe(201);
    const view = viewOf(started);
    expect(view.state.order).toEqual(["drains", "stuck"]);
    expect([view.actor, view.reason]).toEqual(["ada@example.com", "runaway loop"]);
    expect(view.leftOut).toEqual([
      { workspaceId: "idle", why: "idle now (0 active tasks)" },
      { workspaceId: "sleeping", why: "status is hibernated, not online or degraded" },
      { workspaceId: "gone-1", why: "not in the fleet any more (removed)" },
    ]);
  });

  it("reads the rows before it re-checks, unless its view is current (event socket open, rows read since it opened)", async () => {
    let socket: Parameters<LiveEventSource["subscribe"]>[0] | undefined;
    const events: LiveEventSource = { subscribe: (listener) => ((socket = listener), () => (socket = undefined)) };
    const server = await startServer({ events });
    socket!.onState("open");
    await vi.waitFor(() => expect(server.fleet.current()).toBe(true));
    expect(server.reads.rows).toBe(1);
    // "stuck" went idle, and the socket said so: the start leaves it out from the view alone.
    socket!.onMessage(JSON.stringify({ event: "TASK_UPDATED", workspace_id: "stuck", timestamp: new Date(server.clock.now()).toISOString(), payload: { active_tasks: 0, current_task: "" } }));
    const started = await server.service.start({ targets: ["drains", "stuck"] }, "ada@example.com");
    expect([started.status, viewOf(started).state.order, server.reads.rows]).toEqual([201, ["drains"], 1]);
    await run(server, DEADLINE + 1000);
    // Closed, the view may have missed events: the next start reads the rows first.
    socket!.onState("closed");
    rows = fleetRows();
    await server.service.start({ targets: ["drains", "stuck"] }, "ada@example.com");
    expect(server.reads.rows).toBeGreaterThan(1);
  });

  it("a second start while one runs is 409 with the running operation; nothing is sent twice", async () => {
    const { service, platform } = await startServer();
    const [first, second] = await Promise.all([service.start({ targets: ["drains", "stuck"] }, "ada"), service.start({ targets: ["stuck"] }, "bob")]);
    expect([first.status, second.status]).toEqual([201, 409]);
    expect(viewOf(second)).toMatchObject({ id: viewOf(first).id, actor: "ada" });
    await clock.advance(100);
    expect(platform.of("a2a", "stuck").filter((r) => r.method === "ListTasks")).toHaveLength(1);
  });

  it("two replicas on one journal press at once: the store lets one begin, the other joins it", async () => {
    const a = await startServer();
    const b = await startServer();
    const [one, two] = await Promise.all([a.service.start({ targets: ["stuck"] }, "ada"), b.service.start({ targets: ["stuck"] }, "bob")]);
    expect([one.status, two.status].sort()).toEqual([201, 409]);
    await run(one.status === 201 ? a : b, DEADLINE + 100);
    expect(a.platform.of("restart").length + b.platform.of("restart").length).toBe(1);
  });

  it("422 when nothing confirmed is still a target; 400 for a malformed id or more ids than the fleet", async () => {
    const { service } = await startServer();
    expect(await service.start({ targets: ["idle"] }, "ada")).toMatchObject({ status: 422, body: { leftOut: [{ workspaceId: "idle" }] } });
    expect(await service.start({ targets: ["../etc"] }, "ada")).toMatchObject({ status: 400, error: expect.stringContaining("targets[0] is not a workspace id") });
    expect(await service.start({ targets: ["a", "b", "c", "d", "e", "f"] }, "ada")).toMatchObject({ status: 400, error: expect.stringContaining("more than the fleet's 5") });
  });
});

describe("one replica", () => {
  it("restarts the one that did not drain once, at the deadline, claimed in the journal before the request leaves", async () => {
    const server = await startServer();
    const claimedAtSend: string[] = [];
    const started = viewOf(await server.service.start({ targets: ["drains", "stuck"] }, "ada"));
    const { lease } = (await server.journal.load(started.id))!;
    server.platform.onRestart("stuck", (request) => {
      // The claim is in the store already: claiming the same attempt again is refused.
      void server.journal.claimRestart(started.id, lease, "stuck", 1, 0).then((result) => claimedAtSend.push(result));
      return reply.http(200, { status: "provisioning" })(request);
    });
    await run(server, 1000);
    drain("drains");
    await run(server, 2000);
    expect(server.platform.of("restart")).toEqual([]);
    await run(server, DEADLINE - 3000 - 1);
    expect(server.platform.of("restart")).toEqual([]);
    await server.clock.advance(1);
    expect(server.platform.of("restart").map((r) => r.workspaceId)).toEqual(["stuck"]);
    await run(server, 100);
    expect(claimedAtSend).toEqual(["claimed-elsewhere"]);
    const view = (await server.service.view(started.id))!;
    expect(view.state.phase).toBe("finished");
    expect(targetOf(view.state, "drains")?.phase).toEqual({ kind: "settled", outcome: { kind: "drained" } });
    expect(await server.journal.load(started.id)).toMatchObject({ status: "finished", events: [] });
  });

  it("a server killed 3 s in: the next process takes it over once the lease lapsed, with the original deadline, no cancel again, each restart once", async () => {
    const first = await startServer();
    const id = viewOf(await first.service.start({ targets: ["drains", "stuck"] }, "ada")).id;
    await run(first, 3000);
    expect(first.platform.of("a2a").length).toBeGreaterThan(0);
    // The process dies: its clock stops, nothing of it runs again. A new one opens the same journal 1 s later.
    const second = await startServer({ clock: new FakeClock(clock.now() + 1000) });
    let waited = 0;
    for (; !second.service.drives(id); waited += RENEW_MS) await run(second, RENEW_MS);
    // Its lease was last renewed at 3 s: taken over at most a lease and a round later.
    expect(1000 + waited).toBeLessThanOrEqual(LEASE_MS + RENEW_MS);
    await second.clock.advance(DEADLINE - (3000 + 1000 + waited) - 1);
    expect(second.platform.of("restart")).toEqual([]);
    await run(second, 1000);
    expect(second.platform.of("restart").map((r) => r.workspaceId).sort()).toEqual(["drains", "stuck"]);
    expect(second.platform.of("a2a")).toEqual([]);
    await run(second, 200);
    const third = await startServer({ clock: new FakeClock(second.clock.now() + 1000) });
    await run(third, 20_000);
    expect(third.platform.of("restart")).toEqual([]);
    expect((await third.service.current())?.state.phase).toBe("finished");
  });

  it("a restart that was sent when the server died is reported unknown after the takeover, never sent again", async () => {
    const first = await startServer();
    first.platform.onRestart("stuck", reply.hang());
    const id = viewOf(await first.service.start({ targets: ["stuck"] }, "ada")).id;
    await run(first, DEADLINE + 100);
    expect(first.platform.of("restart")).toHaveLength(1);
    const second = await startServer({ clock: new FakeClock(first.clock.now() + LEASE_MS + 100) });
    await run(second, 30_000);
    expect(second.platform.of("restart")).toEqual([]);
    expect(targetOf((await second.service.view(id))!.state, "stuck")?.phase).toMatchObject({ kind: "settled", outcome: { kind: "unknown" } });
  });
});

describe("one process on the embedded journal", () => {
  it("a restarted server carries the operation on at once (no other process can hold it), and a stalled event loop does not fence it", async () => {
    const first = await startServer({ singleProcess: true });
    const id = viewOf(await first.service.start({ targets: ["drains", "stuck"] }, "ada")).id;
    await run(first, 1000);
    const second = await startServer({ clock: new FakeClock(clock.now() + 200), singleProcess: true });
    await second.service.tick();
    expect(second.service.drives(id)).toBe(true);
    // A 10 s stall (no keeper round, no renewal): still allowed to send, the restart goes out at the deadline.
    second.clock.jump(DEADLINE);
    await second.clock.advance(1);
    expect(second.platform.of("restart").map((r) => r.workspaceId).sort()).toEqual(["drains", "stuck"]);
  });
});

describe("several replicas", () => {
  it("the owner killed 3 s in: another replica takes over within a lease and restarts at the deadline, once", async () => {
    const a = await startServer();
    const b = await startServer({ clock: new FakeClock(clock.now()) });
    const id = viewOf(await a.service.start({ targets: ["drains", "stuck"] }, "ada")).id;
    for (let t = 0; t < 3000; t += RENEW_MS) await Promise.all([run(a, RENEW_MS), run(b, RENEW_MS)]);
    expect(b.service.drives(id)).toBe(false);
    // a is killed. b takes over once a's lease (last renewed at 3 s) lapsed.
    let tookOverAfter = 0;
    while (!b.service.drives(id)) {
      await run(b, RENEW_MS);
      tookOverAfter += RENEW_MS;
    }
    expect(tookOverAfter).toBeLessThanOrEqual(LEASE_MS + RENEW_MS);
    await run(b, DEADLINE - 3000 - tookOverAfter - 1);
    expect(b.platform.of("restart")).toEqual([]);
    await run(b, 1200);
    expect(b.platform.of("restart").map((r) => r.workspaceId).sort()).toEqual(["drains", "stuck"]);
    expect(a.platform.of("restart")).toEqual([]);
  });

  it("fencing: a frozen owner (SIGSTOP) that wakes after the takeover sends nothing; the restarts go out once, from the new owner", async () => {
    const a = await startServer();
    const bClock = new FakeClock(clock.now());
    const b = await startServer({ clock: bClock });
    const id = viewOf(await a.service.start({ targets: ["stuck"] }, "ada")).id;
    // The cancel hangs: a is frozen with it in flight.
    a.platform.onA2A("stuck", reply.hang());
    for (let t = 0; t < 3000; t += RENEW_MS) await Promise.all([run(a, RENEW_MS), run(b, RENEW_MS)]);
    const sentByABeforeFreeze = a.platform.requests.length;
    // a is frozen: its clock stands still; b's goes on past the deadline.
    await run(b, DEADLINE);
    const { lease } = (await b.journal.load(id))!;
    expect(lease.generation).toBe(2);
    expect(lease.owner).not.toBe((await a.journal.load(id))!.info.id.split("-op-")[0]);
    expect(b.platform.of("restart").map((r) => r.workspaceId)).toEqual(["stuck"]);
    // SIGCONT: a's time jumps, its overdue timers fire (the deadline among them), its keeper runs.
    a.clock.jump(DEADLINE);
    await run(a, 2 * RENEW_MS);
    expect(a.platform.requests.slice(sentByABeforeFreeze)).toEqual([]);
    expect(a.service.drives(id)).toBe(false);
    await run(b, 100);
    expect(b.platform.of("restart")).toHaveLength(1);
  });

  it("a driver whose renewals queue keeps its lease (and its fence) while its event writes land: each extends it", async () => {
    const a = await startServer();
    const b = await startServer({ clock: new FakeClock(clock.now()) });
    // Renewals that do not get through (behind a busy pool, they time out).
    a.journal.renewLease = () => Promise.reject(new Error("timeout exceeded when trying to connect"));
    a.platform.onA2A("stuck", reply.hang());
    const id = viewOf(await a.service.start({ targets: ["drains", "stuck"] }, "ada")).id;
    const begunUntil = (await a.journal.load(id))!.lease.until;
    await run(a, 600);
    const { lease } = (await a.journal.load(id))!;
    expect(lease.until).toBeGreaterThan(begunUntil);
    expect(a.service.drives(id)).toBe(true);
    // Past the lease the start gave, but not past the one the writes extended: b must not take over.
    await b.clock.advance(begunUntil - b.clock.now() + 1);
    await b.service.tick();
    expect(b.service.drives(id)).toBe(false);
    expect((await b.journal.load(id))!.lease.generation).toBe(1);
  });

  it("a replica that does not drive it shows it from the journal and queues its operator's action for the driver", async () => {
    const a = await startServer();
    const b = await startServer();
    const id = viewOf(await a.service.start({ targets: ["drains", "stuck"] }, "ada")).id;
    await run(a, 200);
    const seen: string[] = [];
    const stop = (await b.service.watch(id, undefined, (message) => seen.push(message.kind === "snapshot" ? "snapshot" : message.kind === "end" ? "end" : message.event.event.type)))!;
    const acting = b.service.act(id, { action: "keep", workspaceId: "stuck" }, "bob");
    await clock.advance(100);
    await a.service.tick();
    await clock.advance(500);
    expect(await acting).toMatchObject({ status: 200 });
    await clock.advance(500);
    stop();
    expect(seen[0]).toBe("snapshot");
    expect(seen).toContain("kept");
    expect(targetOf((await b.service.view(id))!.state, "stuck")?.phase).toEqual({ kind: "settled", outcome: { kind: "kept" } });
    expect((await a.service.view(id))!.actions).toEqual([expect.objectContaining({ actor: "bob", action: "keep", workspaceId: "stuck" })]);
  });
});

describe("replicas: what the browsers see and steer", () => {
  it("a retry on a replica that does not host the finished operation re-opens it there: one restart, the journal ends it again", async () => {
    const a = await startServer();
    const b = await startServer();
    a.platform.onRestart("stuck", reply.http(503, { error: "provisioner not available" }));
    const id = viewOf(await a.service.start({ targets: ["stuck"] }, "ada")).id;
    await run(a, DEADLINE + 100);
    expect((await b.service.view(id))!.state.phase).toBe("finished");
    expect((await b.service.act(id, { action: "retry" }, "bob")).status).toBe(200);
    await run(b, 100);
    expect(b.platform.of("restart")).toHaveLength(1);
    expect(targetOf((await b.service.view(id))!.state, "stuck")?.phase).toEqual({ kind: "settled", outcome: { kind: "restarted", trigger: "retry" } });
    expect(await b.journal.load(id)).toMatchObject({ status: "finished", lease: { generation: 2 } });
    // The fleet is free again: a new start is not a 409.
    rows = fleetRows();
    expect((await a.service.start({ targets: ["drains"] }, "ada")).status).toBe(201);
  });

  it("streams on a replica that follows an operation end when it takes the operation over, so browsers reconnect to its driver", async () => {
    const a = await startServer();
    const b = await startServer({ clock: new FakeClock(clock.now()) });
    const id = viewOf(await a.service.start({ targets: ["stuck"] }, "ada")).id;
    await run(a, 200);
    const seen: string[] = [];
    await b.service.watch(id, undefined, (message) => seen.push(message.kind));
    // a dies; b takes over.
    while (!b.service.drives(id)) await run(b, RENEW_MS);
    expect(seen[0]).toBe("snapshot");
    expect(seen.at(-1)).toBe("end");
    // Reconnected, the stream now comes from the driver.
    const again: string[] = [];
    await b.service.watch(id, undefined, (message) => again.push(message.kind));
    expect(again[0]).toBe("snapshot");
  });
});

describe("stop and hold on the server", () => {
  it("pauses instead of restarting; Resume held is 409 while it runs, then resumes once, recorded, and a second press sends nothing", async () => {
    const a = await startServer();
    const b = await startServer();
    const started = await a.service.start({ targets: ["drains", "stuck"], mode: "hold" }, "ada");
    const id = viewOf(started).id;
    expect((await a.service.act(id, { action: "resume-held" }, "ada")).status).toBe(409);
    drain("drains");
    await a.fleet.refresh();
    await run(a, DEADLINE + 100);
    const held = (await a.service.view(id))!.state;
    expect(held.phase).toBe("finished");
    expect(a.platform.of("pause").map((r) => r.workspaceId).sort()).toEqual(["drains", "stuck"]);
    expect(a.platform.of("restart")).toEqual([]);
    // Resumed from a replica that does not host the finished operation: re-opened there under its lease, ended again.
    expect((await b.service.act(id, { action: "resume-held" }, "bob")).status).toBe(200);
    await run(b, 100);
    expect(b.platform.of("resume").map((r) => r.workspaceId).sort()).toEqual(["drains", "stuck"]);
    const resumed = (await b.service.view(id))!;
    expect(resumed.state.phase).toBe("finished");
    expect(resumed.actions).toEqual([expect.objectContaining({ action: "resume-held", actor: "bob" })]);
    expect(await b.journal.load(id)).toMatchObject({ status: "finished" });
    expect((await b.service.act(id, { action: "resume-held" }, "bob")).status).toBe(200);
    await run(b, 100);
    expect(a.platform.of("resume").length + b.platform.of("resume").length).toBe(2);
  });
});

describe("steering and watching", () => {
  it("a retry after the end re-opens the operation and restarts the failed one once more", async () => {
    const server = await startServer();
    server.platform.onRestart("stuck", reply.http(503, { error: "provisioner not available" }));
    const id = viewOf(await server.service.start({ targets: ["stuck"] }, "ada")).id;
    await run(server, DEADLINE + 100);
    expect((await server.service.view(id))!.state.phase).toBe("finished");
    server.platform.onRestart("stuck", reply.http(200, { status: "provisioning" }));
    expect((await server.service.act(id, { action: "retry" }, "ada")).status).toBe(200);
    await run(server, 100);
    expect(server.platform.of("restart")).toHaveLength(2);
    expect(targetOf((await server.service.view(id))!.state, "stuck")?.phase).toEqual({ kind: "settled", outcome: { kind: "restarted", trigger: "retry" } });
  });

  it("a watcher gets a snapshot, then every event; one that comes back with its last seq gets only what it missed", async () => {
    const server = await startServer();
    const id = viewOf(await server.service.start({ targets: ["drains", "stuck"] }, "ada")).id;
    const seen: string[] = [];
    const stop = (await server.service.watch(id, undefined, (message) => seen.push(message.kind === "snapshot" ? `snapshot@${message.view.seq}` : message.kind === "end" ? "end" : `${message.event.seq}:${message.event.event.type}`)))!;
    await clock.advance(200);
    stop();
    expect(seen[0]).toBe("snapshot@0");
    expect(seen.slice(1).every((line, i) => line.startsWith(`${i + 1}:`))).toBe(true);
    const lastSeen = Number(seen.at(-1)!.split(":")[0]);
    drain("drains");
    await run(server, 1500);
    const missed: string[] = [];
    await server.service.watch(id, lastSeen, (message) => missed.push(message.kind === "snapshot" ? "snapshot" : message.kind === "end" ? "end" : `${message.event.seq}:${message.event.event.type}`));
    expect(missed).toContain(`${lastSeen + 1}:drained`);
    expect(missed).not.toContain("snapshot");
  });

  it("the history lists the newest first with actor, reason and summary", async () => {
    const server = await startServer();
    await server.service.start({ targets: ["stuck"], reason: "first" }, "ada");
    await run(server, DEADLINE + 100);
    rows = fleetRows();
    await server.service.start({ targets: ["drains"], reason: "second" }, "bob");
    const recent = await server.service.recent();
    expect(recent.map((entry) => [entry.actor, entry.reason])).toEqual([["bob", "second"], ["ada", "first"]]);
    expect(recent[1]!.summary).toMatch(/1 restarted/);
  });
});
