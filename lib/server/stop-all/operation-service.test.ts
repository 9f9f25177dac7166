import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { workspace } from "../../fleet/testing/rows";
import type { PlatformClient } from "../../platform/client";
import type { Workspace } from "../../platform/workspace";
import { FakePlatform, reply } from "../../platform/testing/fake-platform";
import { targetOf } from "../../stop-all/targets";
import { FakeClock } from "../../time/fake-clock";

vi.mock("server-only", () => ({}));
const { openSqliteJournal } = await import("./journal-sqlite");
const { createServerFleet } = await import("./server-fleet");
const { createOperationService } = await import("./operation-service");

const DEADLINE = 8000;
let dir: string;
let clock: FakeClock;
let rows: Workspace[];

const fleetRows = () => [
  workspace("drains", { activeTasks: 1 }),
  workspace("stuck", { activeTasks: 1 }),
  workspace("idle", { activeTasks: 0 }),
  workspace("sleeping", { activeTasks: 2, status: "hibernated" }),
  workspace("idle-too", { activeTasks: 0 }),
];

/** One canvas server process: its journal (on the shared data dir), platform, fleet view and service. */
function startServer(options: { platform?: FakePlatform; clock?: FakeClock } = {}) {
  const serverClock = options.clock ?? clock;
  const platform = options.platform ?? new FakePlatform(serverClock);
  const client: PlatformClient = {
    listWorkspaces: async () => ({ workspaces: rows.map((row) => ({ ...row })), warnings: [] }),
    postA2A: (id, body, signal) => platform.postA2A(id, body, signal),
    restart: (id, signal) => platform.restart(id, signal),
  };
  const journal = openSqliteJournal(dir);
  const fleet = createServerFleet({ client, clock: serverClock });
  let n = 0;
  const service = createOperationService({ fleetKey: "live", journal, fleet, client, clock: serverClock, options: { deadlineMs: DEADLINE }, newId: () => `op-${serverClock.now()}-${++n}` });
  return { platform, journal, fleet, service, client };
}

/** The fleet as the platform shows it after `id` drained. */
function drain(id: string) {
  rows = rows.map((row) => (row.id === id ? { ...row, activeTasks: 0 } : row));
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "stop-all-journal-"));
  clock = new FakeClock();
  rows = fleetRows();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("starting", () => {
  it("re-checks the confirmed ids against its own rows: 201 with the targets, the rest left out with why", async () => {
    const { service } = startServer();
    const started = await service.start({ targets: ["drains", "stuck", "idle", "sleeping", "gone-1"], reason: " runaway loop " }, "ada@example.com");
    expect(started.status).toBe(201);
    if (!("body" in started) || !started.body || "error" in started) throw new Error("no body");
    const view = started.body as { state: { order: readonly string[] }; leftOut: unknown; actor: string; reason: string };
    expect(view.state.order).toEqual(["drains", "stuck"]);
    expect(view.actor).toBe("ada@example.com");
    expect(view.reason).toBe("runaway loop");
    expect(view.leftOut).toEqual([
      { workspaceId: "idle", why: "idle now (0 active tasks)" },
      { workspaceId: "sleeping", why: "status is hibernated, not online or degraded" },
      { workspaceId: "gone-1", why: "not in the fleet any more (removed)" },
    ]);
  });

  it("a second start while one runs is 409 with the running operation; nothing is sent twice", async () => {
    const { service, platform } = startServer();
    const [first, second] = await Promise.all([service.start({ targets: ["drains", "stuck"] }, "ada"), service.start({ targets: ["stuck"] }, "bob")]);
    expect(first.status).toBe(201);
    expect(second.status).toBe(409);
    expect((second.body as { id: string; actor: string }).actor).toBe("ada");
    expect((second.body as { id: string }).id).toBe((first.body as { id: string }).id);
    await clock.advance(100);
    expect(platform.of("a2a", "stuck").filter((r) => r.method === "ListTasks")).toHaveLength(1);
  });

  it("two servers on one journal (a restart racing a start): the store lets only one begin", async () => {
    const a = startServer();
    const b = startServer({ clock });
    const [one, two] = await Promise.all([a.service.start({ targets: ["stuck"] }, "ada"), b.service.start({ targets: ["stuck"] }, "bob")]);
    expect([one.status, two.status].sort()).toEqual([201, 409]);
  });

  it("422 when nothing confirmed is still a target; 400 for a malformed id or more ids than the fleet", async () => {
    const { service } = startServer();
    const none = await service.start({ targets: ["idle"] }, "ada");
    expect(none).toMatchObject({ status: 422, body: { leftOut: [{ workspaceId: "idle" }] } });
    expect(await service.start({ targets: ["../etc"] }, "ada")).toMatchObject({ status: 400, error: expect.stringContaining("targets[0] is not a workspace id") });
    expect(await service.start({ targets: ["a", "b", "c", "d", "e", "f"] }, "ada")).toMatchObject({ status: 400, error: expect.stringContaining("more than the fleet's 5") });
  });
});

describe("running on the server", () => {
  it("restarts the one that did not drain once, at the deadline, marked in the journal before the request leaves", async () => {
    const { service, platform, journal } = startServer();
    const marksAtSend: string[] = [];
    platform.onRestart("stuck", (request) => {
      const id = service.current()!.id;
      const stored = journal.load(id)!;
      marksAtSend.push(...stored.events.filter((e) => e.event.type === "restart-sent").map((e) => ("workspaceId" in e.event ? e.event.workspaceId : "")));
      return reply.http(200, { status: "provisioning" })(request);
    });
    const started = await service.start({ targets: ["drains", "stuck"] }, "ada");
    await clock.advance(1000);
    drain("drains");
    await clock.advance(1500); // the fast poll sees it
    expect(platform.of("restart")).toEqual([]);
    await clock.advance(DEADLINE - 2500 - 1);
    expect(platform.of("restart")).toEqual([]);
    await clock.advance(1);
    expect(platform.of("restart").map((r) => r.workspaceId)).toEqual(["stuck"]);
    expect(marksAtSend).toEqual(["stuck"]);
    await clock.advance(100);
    const view = service.view((started.body as { id: string }).id)!;
    expect(view.state.phase).toBe("finished");
    expect(targetOf(view.state, "drains")?.phase).toEqual({ kind: "settled", outcome: { kind: "drained" } });
    // The journal holds the finished state on its own.
    expect(journal.load(view.id)).toMatchObject({ status: "finished", events: [] });
  });

  it("a server killed 3 s in resumes from the journal: the original deadline, no cancel again, each restart once", async () => {
    const first = startServer();
    const started = await first.service.start({ targets: ["drains", "stuck"] }, "ada");
    await clock.advance(3000);
    const listedBefore = first.platform.of("a2a").length;
    // The process dies: its clock stops, nothing of it runs again. A new one opens the same data dir.
    const later = new FakeClock(clock.now() + 2000);
    const second = startServer({ clock: later });
    await second.service.resume();
    expect(second.service.current()?.id).toBe((started.body as { id: string }).id);
    await later.advance(DEADLINE - 5000 - 1);
    expect(second.platform.of("restart")).toEqual([]);
    await later.advance(1);
    expect(second.platform.of("restart").map((r) => r.workspaceId).sort()).toEqual(["drains", "stuck"]);
    expect(second.platform.of("a2a")).toEqual([]);
    expect(listedBefore).toBeGreaterThan(0);
    await later.advance(100);
    // A third life after the end sends nothing.
    const third = startServer({ clock: new FakeClock(later.now() + 1000) });
    await third.service.resume();
    await clock.advance(20_000);
    expect(third.platform.of("restart")).toEqual([]);
    expect(third.service.current()?.state.phase).toBe("finished");
  });

  it("a page that saw events the dead server never journaled gets a snapshot from the resumed one, not other events under the same numbers", async () => {
    const first = startServer();
    const id = (await first.service.start({ targets: ["drains", "stuck"] }, "ada")).body as { id: string };
    await clock.advance(1000);
    const seenByPage: number[] = [];
    first.service.watch(id.id, undefined, (message) => message.kind === "event" && seenByPage.push(message.event.seq));
    drain("drains");
    await clock.advance(1001); // the drain is seen and streamed; the server dies before its 25 ms batch is written
    const lastSeen = Math.max(0, ...seenByPage);
    const journaled = first.journal.load(id.id)!;
    expect(Math.max(journaled.base.seq, ...journaled.events.map((e) => e.seq))).toBeLessThan(lastSeen);
    const later = new FakeClock(clock.now() + 500);
    const second = startServer({ clock: later });
    await second.service.resume();
    // The resumed server goes on (the deadline, its restarts) before the page comes back.
    await later.advance(DEADLINE);
    const messages: string[] = [];
    second.service.watch(id.id, lastSeen, (message) => messages.push(message.kind));
    expect(messages[0]).toBe("snapshot");
  });

  it("a restart that was sent when the server died is reported unknown after the resume, never sent again", async () => {
    const first = startServer();
    first.platform.onRestart("stuck", reply.hang());
    const started = await first.service.start({ targets: ["stuck"] }, "ada");
    await clock.advance(DEADLINE + 10);
    expect(first.platform.of("restart")).toHaveLength(1);
    const later = new FakeClock(clock.now() + 500);
    const second = startServer({ clock: later });
    await second.service.resume();
    await later.advance(30_000);
    expect(second.platform.of("restart")).toEqual([]);
    const state = second.service.view((started.body as { id: string }).id)!.state;
    expect(targetOf(state, "stuck")?.phase).toMatchObject({ kind: "settled", outcome: { kind: "unknown" } });
  });
});

describe("steering and watching", () => {
  it("actions apply today's overrides and are recorded with their actor; other ids are refused", async () => {
    const { service, platform } = startServer();
    const id = ((await service.start({ targets: ["drains", "stuck"] }, "ada")).body as { id: string }).id;
    expect(service.act(id, { action: "keep", workspaceId: "stuck" }, "bob").status).toBe(200);
    expect(service.act(id, { action: "restart-now", workspaceId: "nope" }, "bob")).toMatchObject({ status: 400 });
    expect(service.act("op-unknown", { action: "keep" }, "bob")).toMatchObject({ status: 404 });
    await clock.advance(DEADLINE + 100);
    expect(platform.of("restart").map((r) => r.workspaceId)).toEqual(["drains"]);
    const view = service.view(id)!;
    expect(view.actions).toEqual([{ at: expect.any(Number), actor: "bob", action: "keep", workspaceId: "stuck" }]);
    expect(targetOf(view.state, "stuck")?.phase).toEqual({ kind: "settled", outcome: { kind: "kept" } });
  });

  it("a retry after the end re-opens the operation and restarts the failed one once more", async () => {
    const { service, platform } = startServer();
    platform.onRestart("stuck", reply.http(503, { error: "provisioner not available" }));
    const id = ((await service.start({ targets: ["stuck"] }, "ada")).body as { id: string }).id;
    await clock.advance(DEADLINE + 100);
    expect(service.view(id)!.state.phase).toBe("finished");
    platform.onRestart("stuck", reply.http(200, { status: "provisioning" }));
    expect(service.act(id, { action: "retry" }, "ada").status).toBe(200);
    await clock.advance(100);
    expect(platform.of("restart")).toHaveLength(2);
    expect(targetOf(service.view(id)!.state, "stuck")?.phase).toEqual({ kind: "settled", outcome: { kind: "restarted", trigger: "retry" } });
  });

  it("a watcher gets a snapshot, then every event; one that comes back with its last seq gets only what it missed", async () => {
    const { service } = startServer();
    const id = ((await service.start({ targets: ["drains", "stuck"] }, "ada")).body as { id: string }).id;
    const seen: string[] = [];
    const stop = service.watch(id, undefined, (message) => seen.push(message.kind === "snapshot" ? `snapshot@${message.view.seq}` : `${message.event.seq}:${message.event.event.type}`))!;
    await clock.advance(200);
    stop();
    expect(seen[0]).toBe("snapshot@0");
    expect(seen.slice(1).every((line, i) => line.startsWith(`${i + 1}:`))).toBe(true);
    const lastSeen = Number(seen.at(-1)!.split(":")[0]);
    drain("drains");
    await clock.advance(1500);
    const missed: string[] = [];
    service.watch(id, lastSeen, (message) => missed.push(message.kind === "snapshot" ? "snapshot" : `${message.event.seq}:${message.event.event.type}`));
    expect(missed).toContain(`${lastSeen + 1}:drained`);
    expect(missed).not.toContain("snapshot");
  });

  it("the history lists the newest first with actor, reason and summary", async () => {
    const { service } = startServer();
    await service.start({ targets: ["stuck"], reason: "first" }, "ada");
    await clock.advance(DEADLINE + 100);
    rows = fleetRows();
    await service.start({ targets: ["drains"], reason: "second" }, "bob");
    const recent = service.recent();
    expect(recent.map((entry) => [entry.actor, entry.reason])).toEqual([["bob", "second"], ["ada", "first"]]);
    expect(recent[1]!.summary).toMatch(/1 restarted/);
  });
});
