import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { resetAfterUpgradeAnswer } from "../../lib/server/testing/refused-upgrade";
import { generateBenchFleet } from "./bench-fleet";
import { LIVE_TEAMS_FLEET, checkFleet, fleetByName, team } from "./fleet";
import { startLivePlatform, type LivePlatform } from "./platform-server";
import type { WorkspaceSpec } from "./workspace";

// Pause, resume and their faults on the live test platform, over HTTP and /ws as a canvas sees them.
const TOKEN = "platform-pause-test-token-7e21";
const ONLINE_MS = 60;

const spec = (id: string, extra: Partial<WorkspaceSpec> = {}): WorkspaceSpec => ({ id, name: `${id} name`, role: "worker", version: "1.0", status: "online", tasks: [], agent: "light", x: 0, y: 0, ...extra });

// lead ─┬─ m1 (a real SDK agent, busy) ── g1 (busy)
//       ├─ m2 (paused) ── g2 (online: under a paused member, a pause of lead does not reach it)
//       ├─ m3 (removed) ── g3 (online: likewise)
//       └─ m4 (hibernated)
// solo (no team)
const FLEET: WorkspaceSpec[] = [
  ...team(spec("lead", { tasks: ["lead the team"] }), [
    team(spec("m1", { agent: "sdk", tasks: ["member work"] }), [spec("g1", { tasks: ["grandchild work"] })]),
    team(spec("m2", { status: "paused" }), [spec("g2")]),
    team(spec("m3", { status: "removed" }), [spec("g3")]),
    spec("m4", { status: "hibernated" }),
  ]),
  spec("solo", { tasks: ["solo work"] }),
];

type Row = { id: string; name: string; status: string; active_tasks: number; current_task: string; parent_id: string | null };
type Event = { event: string; workspace_id: string; payload: Record<string, unknown> };

let platform: LivePlatform;
let socket: WebSocket;
let events: Event[] = [];

async function call(method: string, path: string, body?: unknown, base = platform.url): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as unknown };
}

const pause = (id: string) => call("POST", `/workspaces/${id}/pause`);
const resume = (id: string) => call("POST", `/workspaces/${id}/resume`);
const restart = (id: string) => call("POST", `/workspaces/${id}/restart`);
const faults = (id: string, body: unknown) => call("POST", `/_test/workspaces/${id}/faults`, body);

async function rows(base = platform.url): Promise<Map<string, Row>> {
  const { json } = await call("GET", "/workspaces", undefined, base);
  return new Map((json as Row[]).map((row) => [row.id, row]));
}

async function statuses(base = platform.url): Promise<Record<string, string>> {
  return Object.fromEntries([...(await rows(base)).values()].map((row) => [row.id, row.status]));
}

const named = (name: string) => events.filter((event) => event.event === name).map((event) => event.workspace_id);

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  platform = await startLivePlatform({ token: TOKEN, fleet: FLEET, restartDelayMs: ONLINE_MS, heartbeatMs: 0 });
  socket = new WebSocket(`${platform.url.replace("http", "ws")}/ws`, { headers: { authorization: `Bearer ${TOKEN}` } });
  socket.on("message", (data) => events.push(JSON.parse(String(data)) as Event));
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
});

afterAll(async () => {
  socket.close();
  await platform.close();
});

beforeEach(async () => {
  await platform.reset();
  // Let a reset's own events (a workspace said to be back online) land before the test looks at them.
  await sleep(20);
  events = [];
});

describe("pause", () => {
  it("rows carry the team tree as parent_id", async () => {
    const fleet = await rows();
    expect([...fleet.values()].map((row) => [row.id, row.parent_id, row.status])).toEqual([
      ["lead", null, "online"],
      ["m1", "lead", "online"],
      ["g1", "m1", "online"],
      ["m2", "lead", "paused"],
      ["g2", "m2", "online"],
      ["m3", "lead", "removed"],
      ["g3", "m3", "online"],
      ["m4", "lead", "hibernated"],
      ["solo", null, "online"],
    ]);
    expect(fleet.get("m1")?.active_tasks).toBe(1);
  });

  it("pauses the workspace and every descendant not removed or paused, down two levels, lead first", async () => {
    expect(await pause("lead")).toEqual({ status: 200, json: { status: "paused", paused_count: 4 } });
    expect(await statuses()).toEqual({ lead: "paused", m1: "paused", g1: "paused", m2: "paused", g2: "online", m3: "removed", g3: "online", m4: "paused", solo: "online" });
    await until("the WORKSPACE_PAUSED events", () => named("WORKSPACE_PAUSED").length === 4);
    expect(named("WORKSPACE_PAUSED")).toEqual(["lead", "m1", "m4", "g1"]);
    expect(events.find((event) => event.event === "WORKSPACE_PAUSED" && event.workspace_id === "m1")?.payload).toEqual({ name: "m1 name" });

    // Work lost: no tasks, nothing reported, the agent unreachable, no new work delivered.
    const fleet = await rows();
    for (const id of ["lead", "m1", "g1"]) expect([fleet.get(id)?.active_tasks, fleet.get(id)?.current_task]).toEqual([0, ""]);
    expect(fleet.get("solo")?.active_tasks).toBe(1);
    expect((await call("GET", "/_test/workspaces/m1/tasks")).json).toEqual([]);
    expect(await call("POST", "/workspaces/m1/a2a", { jsonrpc: "2.0", id: 1, method: "ListTasks", params: {} })).toEqual({
      status: 503,
      json: { error: "workspace has no URL", status: "paused" },
    });
    expect(await call("POST", "/_test/workspaces/g1/tasks", { text: "a queued message" })).toEqual({ status: 409, json: { error: "workspace is paused" } });
    await expect(platform.startTask("lead", "an idle prompt")).rejects.toThrow(/no running agent/);

    // A paused (formerly hibernated) workspace is not woken by a request.
    expect((await call("POST", "/workspaces/m4/a2a", { jsonrpc: "2.0", id: 1, method: "ListTasks", params: {} })).status).toBe(503);
    await sleep(ONLINE_MS + 40);
    expect((await statuses()).m4).toBe("paused");
    expect(named("WORKSPACE_ONLINE")).toEqual([]);
  });

  it("answers 404 for a workspace missing, removed or already paused", async () => {
    const notFound = { status: 404, json: { error: "workspace not found or already paused" } };
    expect(await pause("nope")).toEqual(notFound);
    expect(await pause("m3")).toEqual(notFound);
    expect(await pause("m2")).toEqual(notFound);
    expect((await pause("lead")).status).toBe(200);
    expect(await pause("lead")).toEqual(notFound);
    expect(await pause("g1")).toEqual(notFound);
  });

  it("pausing a member leaves its lead alone", async () => {
    expect(await pause("m1")).toEqual({ status: 200, json: { status: "paused", paused_count: 2 } });
    expect(await statuses()).toMatchObject({ lead: "online", m1: "paused", g1: "paused" });
  });

  it("cuts a restart under way short: it never comes online", async () => {
    expect((await restart("solo")).status).toBe(200);
    expect((await pause("solo")).json).toEqual({ status: "paused", paused_count: 1 });
    await sleep(ONLINE_MS + 60);
    expect((await statuses()).solo).toBe("paused");
    expect(named("WORKSPACE_ONLINE")).toEqual([]);
    expect(named("WORKSPACE_PROVISIONING")).toEqual(["solo"]);
  });
});

describe("resume", () => {
  it("answers 404 for a workspace missing, removed or not paused", async () => {
    const notFound = { status: 404, json: { error: "workspace not found or not paused" } };
    expect(await resume("nope")).toEqual(notFound);
    expect(await resume("m3")).toEqual(notFound);
    expect(await resume("solo")).toEqual(notFound);
  });

  it("answers 409 naming the nearest paused ancestor", async () => {
    expect(await resume("g2")).toEqual(notFoundOrNotPaused());
    await pause("lead");
    expect(await resume("g1")).toEqual({ status: 409, json: { error: 'parent workspace "m1 name" is paused — resume it first' } });
    expect(await resume("m2")).toEqual({ status: 409, json: { error: 'parent workspace "lead name" is paused — resume it first' } });
    expect((await statuses()).g1).toBe("paused");
  });

  it("re-provisions the workspace and every paused descendant: all provisioning (lead first), then online and idle", async () => {
    await pause("lead");
    events = [];
    expect(await resume("lead")).toEqual({ status: 200, json: { status: "provisioning", resumed_count: 5 } });
    expect(await statuses()).toMatchObject({ lead: "provisioning", m1: "provisioning", g1: "provisioning", m2: "provisioning", m4: "provisioning", g2: "online", m3: "removed" });
    await until("every WORKSPACE_ONLINE", () => named("WORKSPACE_ONLINE").length === 5);
    expect(named("WORKSPACE_PROVISIONING")).toEqual(["lead", "m1", "m2", "m4", "g1"]);
    const order = events.filter((event) => event.event === "WORKSPACE_PROVISIONING" || event.event === "WORKSPACE_ONLINE").map((event) => event.event);
    expect(order).toEqual([...Array(5).fill("WORKSPACE_PROVISIONING"), ...Array(5).fill("WORKSPACE_ONLINE")]);
    expect(new Set(named("WORKSPACE_ONLINE"))).toEqual(new Set(["lead", "m1", "m2", "m4", "g1"]));
    const fleet = await rows();
    for (const id of ["lead", "m1", "g1", "m2", "m4"]) expect([id, fleet.get(id)?.status, fleet.get(id)?.active_tasks, fleet.get(id)?.current_task]).toEqual([id, "online", 0, ""]);
    // Back up, it takes work again.
    expect((await call("POST", "/_test/workspaces/m1/tasks", { text: "new work" })).status).toBe(201);
  });

  it("resumes a sub-tree once its lead is back", async () => {
    await pause("lead");
    expect((await resume("lead")).status).toBe(200);
    expect((await pause("m1")).json).toEqual({ status: "paused", paused_count: 2 });
    await until("lead online", async () => (await statuses()).lead === "online");
    expect(await resume("m1")).toEqual({ status: 200, json: { status: "provisioning", resumed_count: 2 } });
  });
});

function notFoundOrNotPaused() {
  return { status: 404, json: { error: "workspace not found or not paused" } };
}

describe("restart under a paused lead", () => {
  it("answers 409 for any descendant of a paused workspace, and restarts again once it is resumed", async () => {
    const conflict = { status: 409, json: { error: "cannot restart: parent workspace is paused" } };
    expect(await restart("g2")).toEqual(conflict); // m2 is paused in the spec
    await pause("lead");
    expect(await restart("m1")).toEqual(conflict);
    expect(await restart("g1")).toEqual(conflict);
    expect(await restart("g3")).toEqual(conflict); // its lead is removed, its lead's lead is paused
    expect(await restart("m3")).toEqual({ status: 404, json: { error: "workspace not found" } });
    expect((await restart("solo")).status).toBe(200);
    await until("solo provisioning", () => named("WORKSPACE_PROVISIONING").length > 0);
    expect(named("WORKSPACE_PROVISIONING")).toEqual(["solo"]);
    await resume("lead");
    expect((await restart("m1")).status).toBe(200);
  });
});

describe("forced answers", () => {
  it("forces the next K pause answers, then the real one applies", async () => {
    expect(await faults("solo", { pause: { status: 500, times: 2 } })).toEqual({
      status: 200,
      json: { pause: { status: 500, body: { error: "lookup failed" }, remaining: 2 }, resume: null },
    });
    expect(await pause("solo")).toEqual({ status: 500, json: { error: "lookup failed" } });
    expect((await call("GET", "/_test/workspaces/solo/faults")).json).toMatchObject({ pause: { remaining: 1 } });
    expect(await pause("solo")).toEqual({ status: 500, json: { error: "lookup failed" } });
    expect((await statuses()).solo).toBe("online");
    expect(await pause("solo")).toEqual({ status: 200, json: { status: "paused", paused_count: 1 } });
    expect((await call("GET", "/_test/workspaces/solo/faults")).json).toEqual({ pause: null, resume: null });
  });

  it("forces every resume answer until cleared, with the default or a given body", async () => {
    await pause("lead");
    expect((await faults("lead", { resume: { status: 503 } })).json).toEqual({ pause: null, resume: { status: 503, body: { error: "provisioner not available" }, remaining: null } });
    for (let attempt = 0; attempt < 3; attempt++) expect(await resume("lead")).toEqual({ status: 503, json: { error: "provisioner not available" } });
    expect((await statuses()).lead).toBe("paused");
    expect((await faults("lead", { resume: { status: 502, body: { error: "bad gateway" }, times: 1 } })).status).toBe(200);
    expect(await resume("lead")).toEqual({ status: 502, json: { error: "bad gateway" } });
    expect((await faults("lead", { resume: null })).json).toEqual({ pause: null, resume: null });
    expect((await resume("lead")).json).toEqual({ status: "provisioning", resumed_count: 5 });
  });

  it("forces a resume 409 naming the workspace's lead, and a pause of an already paused one", async () => {
    await faults("m1", { resume: { status: 409 }, pause: { status: 200, times: 1 } });
    expect(await resume("m1")).toEqual({ status: 409, json: { error: 'parent workspace "lead name" is paused — resume it first' } });
    expect(await pause("m1")).toEqual({ status: 200, json: { status: "paused", paused_count: 1 } });
    expect((await statuses()).m1).toBe("online"); // forced: nothing paused
  });

  it("rejects a body it cannot use, and a reset clears the faults", async () => {
    for (const body of ["[]", { pause: 500 }, { pause: { status: 99 } }, { pause: { status: 500, times: 0 } }, { restart: { status: 500 } }, { pause: { status: 500, body: "x" } }]) {
      const answer = await faults("solo", body);
      expect([JSON.stringify(body), answer]).toEqual([JSON.stringify(body), { status: 400, json: { error: expect.any(String) } }]);
    }
    expect((await faults("nope", { pause: { status: 500 } })).status).toBe(404);
    await faults("solo", { pause: { status: 500 } });
    await platform.reset();
    expect((await call("GET", "/_test/workspaces/solo/faults")).json).toEqual({ pause: null, resume: null });
  });
});

describe("metrics", () => {
  it("counts pause and resume calls per workspace and keeps their order, time and answer", async () => {
    const startedAt = Date.now();
    await faults("solo", { pause: { status: 500, times: 1 } });
    await pause("solo");
    await pause("lead");
    await pause("lead");
    await resume("g1");
    await resume("lead");
    await pause("nope"); // no such workspace: not recorded
    const metrics = platform.metrics();
    expect(metrics.totals).toMatchObject({ pauses: 3, resumes: 2, paused: 2, pausedTwice: 1, resumed: 2, resumedTwice: 0 });
    expect(metrics.lifecycle.map(({ workspaceId, action, status, count }) => [workspaceId, action, status, count])).toEqual([
      ["solo", "pause", 500, 0],
      ["lead", "pause", 200, 4],
      ["lead", "pause", 404, 0],
      ["g1", "resume", 409, 0],
      ["lead", "resume", 200, 5],
    ]);
    const ats = metrics.lifecycle.map((entry) => entry.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(ats[0]).toBeGreaterThanOrEqual(startedAt);
    expect(metrics.workspaces.lead?.pauses).toEqual([ats[1], ats[2]]);
    expect(metrics.workspaces.lead?.resumes).toEqual([ats[4]]);
    expect(metrics.workspaces.g1).toMatchObject({ pauses: [], resumes: [ats[3]] });
    // The members a cascade reached were not called.
    expect(metrics.workspaces.m1).toBeUndefined();
    expect(metrics.totals.otherWorkspaceCalls).toBe(0);

    // The same document over HTTP, and emptied by a metrics reset.
    const document = (await call("GET", "/_test/metrics")).json as ReturnType<LivePlatform["metrics"]>;
    expect(document.lifecycle).toHaveLength(5);
    expect(document.workspaces.lead?.pauses).toHaveLength(2);
    await call("POST", "/_test/metrics/reset");
    expect((await call("GET", "/_test/metrics")).json).toMatchObject({ lifecycle: [], totals: { pauses: 0, resumes: 0 } });
  });

  it("latency.pause and latency.resume delay the answers, not the pause", async () => {
    await call("POST", "/_test/fleet", { latency: { pause: 150, resume: 150 } });
    events = [];
    const started = Date.now();
    const answer = pause("solo");
    await until("WORKSPACE_PAUSED", () => named("WORKSPACE_PAUSED").includes("solo"));
    expect(Date.now() - started).toBeLessThan(150);
    expect((await answer).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    const resumed = Date.now();
    expect((await resume("solo")).status).toBe(200);
    expect(Date.now() - resumed).toBeGreaterThanOrEqual(145);
    expect((await call("GET", "/_test/fleet")).json).toMatchObject({ latency: { pause: 150, resume: 150, restart: 0 } });
    await call("POST", "/_test/fleet", { latency: { pause: 0, resume: 0 } });
  });
});

describe("team trees in fleet definitions", () => {
  it("team() sets each member's parentId, sub-teams keep theirs", () => {
    const tree = team(spec("a"), [spec("b"), team(spec("c"), [spec("d")])]);
    expect(tree.map((each) => [each.id, each.parentId])).toEqual([
      ["a", undefined],
      ["b", "a"],
      ["c", "a"],
      ["d", "c"],
    ]);
    expect(() => checkFleet([spec("x", { parentId: "y" })], "t")).toThrow(/no workspace of the fleet/);
    expect(() => checkFleet([spec("x", { parentId: "y" }), spec("y", { parentId: "x" })], "t")).toThrow(/cycle/);
    expect(() => checkFleet([spec("x"), spec("x")], "t")).toThrow(/duplicate/);
  });

  it("named fleets: e2e-teams, and bench-N-teams in teams of 50 (the plain bench fleets unchanged)", () => {
    expect(fleetByName("e2e-teams")).toEqual(LIVE_TEAMS_FLEET);
    expect(LIVE_TEAMS_FLEET.filter((each) => each.parentId).map((each) => [each.id, each.parentId])).toEqual([
      ["member-v1", "lead-v1"],
      ["member-idle-v1", "lead-v1"],
      ["sublead-v1", "lead-v1"],
      ["submember-v1", "sublead-v1"],
    ]);
    const teams = fleetByName("bench-120-drain-teams")!;
    expect(teams).toHaveLength(120);
    expect([teams[0]!.parentId, teams[1]!.parentId, teams[49]!.parentId, teams[50]!.parentId, teams[119]!.parentId]).toEqual([
      undefined,
      "ws-bench-0000",
      "ws-bench-0000",
      undefined,
      "ws-bench-0100",
    ]);
    const withoutTeams = teams.map((each) => {
      const copy = { ...each };
      delete copy.parentId;
      return copy;
    });
    expect(withoutTeams).toEqual(fleetByName("bench-120-drain"));
    expect(generateBenchFleet(120).some((each) => each.parentId !== undefined)).toBe(false);
  });

  it("POST /_test/fleet loads a fleet of the caller's own with a team tree, or says what is wrong", async () => {
    const other = await startLivePlatform({ token: TOKEN, fleet: [spec("x")], heartbeatMs: 0 });
    const load = (body: unknown) => call("POST", "/_test/fleet", body, other.url);
    try {
      const bad = await load({ workspaces: [{ id: "a" }, { id: "b", parentId: "zz" }] });
      expect(bad).toEqual({ status: 400, json: { error: expect.stringMatching(/"zz", which is no workspace/) } });
      expect(await load({ workspaces: [{ id: "a", colour: "red" }] })).toEqual({ status: 400, json: { error: expect.stringMatching(/unknown key "colour"/) } });
      expect(await load({ workspaces: [{ id: "a", status: "asleep" }] })).toEqual({ status: 400, json: { error: expect.stringMatching(/status must be one of/) } });
      expect((await load({ workspaces: [] })).status).toBe(400);
      expect((await load({ fleet: "e2e", workspaces: [{ id: "a" }] })).status).toBe(400);
      expect(await statuses(other.url)).toEqual({ x: "online" });

      const loaded = await load({
        workspaces: [
          { id: "t-lead", agent: "light", tasks: ["plan"] },
          { id: "t-member", agent: "light", parentId: "t-lead", tasks: ["build"] },
          { id: "t-sdk", parentId: "t-member", version: "0.3" },
        ],
      });
      expect(loaded).toMatchObject({ status: 200, json: { name: "custom", workspaces: 3, busy: 2 } });
      expect([...(await rows(other.url)).values()].map((row) => [row.id, row.name, row.parent_id])).toEqual([
        ["t-lead", "t-lead", null],
        ["t-member", "t-member", "t-lead"],
        ["t-sdk", "t-sdk", "t-member"],
      ]);
      expect((await call("POST", "/workspaces/t-lead/pause", undefined, other.url)).json).toEqual({ status: "paused", paused_count: 3 });
      // A reset, and a load of the current fleet, go back to the custom fleet's specs.
      await other.reset();
      expect(await statuses(other.url)).toEqual({ "t-lead": "online", "t-member": "online", "t-sdk": "online" });
      expect((await load({})).json).toMatchObject({ name: "custom", workspaces: 3 });
    } finally {
      await other.close();
    }
  });
});

describe("the /ws upgrade", () => {
  it("shrugs off a client that resets a refused upgrade (no uncaught ECONNRESET)", async () => {
    expect(await resetAfterUpgradeAnswer(platform.url, "/ws", { authorization: "Bearer wrong" })).toBe("HTTP/1.1 401 Unauthorized");
    expect(await resetAfterUpgradeAnswer(platform.url, "/elsewhere")).toBe("HTTP/1.1 404 Not Found");
    // An uncaught reset shows as an unhandled error of this file; give the last one a turn to arrive.
    await sleep(50);
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });
});
