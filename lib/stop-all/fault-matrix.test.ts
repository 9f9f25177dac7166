/**
 * The fault matrix of e2e/FAULTS.md, unit side: every platform answer and
 * transport fault on ListTasks, on the cancel and on the restart, then a
 * target that settles while its cancel is in flight, then faults in rows,
 * live events and restarts, each through the real orchestrator on a fake
 * clock.
 *
 * Every case also checks what must never happen (STOP_ALL.md): the
 * operation ends in bounded time, no restart before the deadline, at most
 * one restart per workspace, no request to a non-target (the fleet holds an
 * idle, a hibernated and a paused workspace that know task ids), only the
 * A2A methods of a cancel, and nothing sent after the end.
 *
 * Titles are stable: FAULTS.md names them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createPlatformClient, MAX_BODY_CHARS, type PlatformResponse } from "../platform/client";
import { summarize } from "./report";
import { reply, type FakeHandler, type RecordedRequest } from "../platform/testing/fake-platform";
import { stopAllHarness } from "./testing/harness";
import { storeHarness, wireEvent, wireRow } from "./testing/store-harness";
import { workspace } from "../fleet/testing/workspaces";
import type { StopAllOptions } from "./options";
import type { StopAllOperation } from "./orchestrator";
import type { StopAllState, TargetOutcome } from "./types";
import { targetOf } from "./targets";

const DEADLINE = 8000;
const REQUEST_TIMEOUT = 5000;
const RESTART_TIMEOUT = 10_000;
const TARGET = "ws-target";
const NON_TARGETS = [
  workspace("ws-idle", { activeTasks: 0 }),
  workspace("ws-hibernated", { status: "hibernated", activeTasks: 2 }),
  workspace("ws-paused", { status: "paused", activeTasks: 1 }),
];
/** The only JSON-RPC methods Stop All may send. */
const CANCEL_METHODS = new Set(["ListTasks", "CancelTask", "tasks/cancel"]);

const LIST_ONE_TASK = reply.result({ tasks: [{ id: "t1", status: { state: "TASK_STATE_WORKING" } }] });

/** What must never happen, checked after every case (the operation has had deadline + restart timeout). */
function expectNothingForbidden(requests: readonly RecordedRequest[], state: StopAllState, targets: readonly string[]) {
  const touched = new Set(requests.map((request) => request.workspaceId));
  for (const id of touched) expect(targets, `request to non-target ${id}`).toContain(id);
  expect(requests.filter((request) => request.kind === "list-workspaces")).toEqual([]);
  for (const request of requests.filter((r) => r.kind === "a2a")) {
    expect(CANCEL_METHODS.has(request.method ?? ""), `A2A method ${request.method}`).toBe(true);
    expect(request.at).toBeLessThan(state.deadlineAt);
  }
  const restarts = requests.filter((request) => request.kind === "restart");
  for (const request of restarts) expect(request.at).toBeGreaterThanOrEqual(state.deadlineAt);
  for (const id of targets) expect(restarts.filter((request) => request.workspaceId === id).length).toBeLessThanOrEqual(1);
  expect(state.phase).toBe("finished");
  expect(state.finishedAt! - state.startedAt).toBeLessThanOrEqual(DEADLINE + RESTART_TIMEOUT);
}

// ---------------------------------------------------------------------------
// Every answer × {ListTasks, cancel, restart}
// ---------------------------------------------------------------------------

const RESTARTED = { kind: "restarted", trigger: "deadline" } as const;
const GONE = { kind: "gone", seenIn: "a2a-answer" } as const;
const PLATFORM_RESTARTING = { kind: "platform-restarting", seenIn: "a2a-answer" } as const;
const failed = (status: number) => ({ kind: "restart-failed", status }) as const;
const lost = (reason: string) => ({ kind: "unknown", reason }) as const;

/** What phase 1 comes to when ListTasks gets the answer (the target also has a seen task id, `seen-1`). */
interface ListExpectation {
  says: string;
  listing: Record<string, unknown>;
  headline: Record<string, unknown>;
  /** The seen id is cancelled unless the listing stopped phase 1. */
  cancelsSeenId: boolean;
  outcome?: Record<string, unknown>;
}

/** What phase 1 comes to when the cancel (CancelTask, and tasks/cancel if tried) gets the answer. */
interface CancelExpectation {
  says: string;
  headline: Record<string, unknown>;
  /** JSON-RPC methods sent, in order (ListTasks first). Default: ListTasks, CancelTask. */
  methods?: string[];
  /** Times of the cancels after the click, when they matter (busy retries). */
  cancelsAt?: number[];
  outcome?: Record<string, unknown>;
}

interface RestartExpectation {
  says: string;
  outcome: Record<string, unknown>;
}

interface AnswerRow {
  /** How FAULTS.md names the answer. */
  name: string;
  answer: () => FakeHandler;
  list: ListExpectation;
  cancel: CancelExpectation;
  /** Undefined: does not apply to a restart (JSON-RPC errors, JSON-RPC ids). */
  restart?: RestartExpectation;
  options?: StopAllOptions;
}

const refusal = (code: number, refusal: string): Pick<AnswerRow, "list" | "cancel"> => ({
  list: {
    says: `listing refused (${code}); the seen id is cancelled; restarted at the deadline`,
    listing: { kind: "refused", code },
    headline: { kind: "delivered", tasks: 1 },
    cancelsSeenId: true,
  },
  cancel: { says: `refused (${refusal}); restarted at the deadline`, headline: { kind: "refused", code, refusal } },
});

const versionMismatch = (code: number): Pick<AnswerRow, "list" | "cancel"> => ({
  list: {
    says: `not supported (${code}); the seen id is cancelled; restarted at the deadline`,
    listing: { kind: "not-supported", code },
    headline: { kind: "delivered", tasks: 1 },
    cancelsSeenId: true,
  },
  cancel: {
    says: "retried once as tasks/cancel, then not understood; restarted at the deadline",
    headline: { kind: "not-understood", methods: ["CancelTask", "tasks/cancel"], codes: [code, code] },
    methods: ["ListTasks", "CancelTask", "tasks/cancel"],
  },
});

/** An answer phase 1 reads as "not delivered" and that does not stop it. */
const notDelivered = (what: string, headline: Record<string, unknown>): Pick<AnswerRow, "list" | "cancel"> => ({
  list: {
    says: `listing ${what}; the seen id is cancelled; restarted at the deadline`,
    listing: headline,
    headline: { kind: "delivered", tasks: 1 },
    cancelsSeenId: true,
  },
  cancel: { says: `${what}: not delivered; restarted at the deadline`, headline },
});

const restartFailed = (status: number): RestartExpectation => ({ says: `restart-failed (${status}), retry offered`, outcome: failed(status) });
const restartLost = (reason: string): RestartExpectation => ({ says: `unknown (${reason}): not re-sent, manual retry offered`, outcome: lost(reason) });
const restartAccepted = (why: string): RestartExpectation => ({ says: `restarted (${why})`, outcome: RESTARTED });

const plainStatus = (status: number, restart: RestartExpectation): AnswerRow => ({
  name: String(status),
  answer: () => (status >= 520 ? reply.text(status, `error code: ${status}`) : reply.http(status, { error: `HTTP ${status}` })),
  ...notDelivered(`HTTP ${status}`, { kind: "http-error", status }),
  restart,
});

/** Real client readings of huge bodies (filled in beforeAll: the body goes through createPlatformClient's cut). */
const huge: { ok?: PlatformResponse & { ok: true }; error?: PlatformResponse & { ok: true } } = {};
const hugeReply = (which: "ok" | "error"): FakeHandler => () => {
  const response = huge[which];
  if (!response) throw new Error("huge bodies are read in beforeAll");
  return { status: response.status, text: response.text };
};

const ANSWERS: AnswerRow[] = [
  // JSON-RPC errors over HTTP 200 (no restart row: a restart is not JSON-RPC).
  { name: "JSON-RPC -32001 (task not found)", answer: () => reply.error(-32001, "task not found"), ...refusal(-32001, "task-not-found") },
  { name: "JSON-RPC -32002 (task not cancelable)", answer: () => reply.error(-32002, "task not cancelable"), ...refusal(-32002, "task-not-cancelable") },
  { name: "JSON-RPC -32601 (method not found)", answer: () => reply.error(-32601, "method not found"), ...versionMismatch(-32601) },
  { name: "JSON-RPC -32009 (version not supported)", answer: () => reply.error(-32009, "version not supported"), ...versionMismatch(-32009) },
  { name: "JSON-RPC -32004 (unsupported operation)", answer: () => reply.error(-32004, "unsupported operation"), ...refusal(-32004, "unsupported-operation") },
  { name: "JSON-RPC -32602 (invalid params)", answer: () => reply.error(-32602, "invalid params"), ...refusal(-32602, "invalid-params") },

  // The proxy's own answers (PLATFORM_API.md).
  {
    name: "200 poll-mode queued",
    answer: () => reply.http(200, { status: "queued", delivery_mode: "poll", method: "CancelTask" }),
    ...notDelivered("queued for a polling agent", { kind: "queued-poll" }),
    restart: restartAccepted("a 2xx is accepted"),
  },
  {
    name: "202 queued",
    answer: () => reply.http(202, { queued: true, queue_id: "q-1", queue_depth: 2 }),
    ...notDelivered("queued behind the agent's work", { kind: "queued-busy", queueDepth: 2 }),
    restart: restartAccepted("a 2xx is accepted"),
  },
  {
    name: "503 busy with Retry-After",
    answer: () => reply.http(503, { busy: true, retry_after: 1 }, 1000),
    list: {
      says: "retried after 1 s three times, busy; the seen id is cancelled; restarted at the deadline",
      listing: { kind: "busy", retryAfterMs: 1000 },
      headline: { kind: "delivered", tasks: 1 },
      cancelsSeenId: true,
    },
    cancel: {
      says: "retried after 1 s three times within the deadline, busy: not delivered; restarted at the deadline",
      headline: { kind: "busy", retryAfterMs: 1000 },
      methods: ["ListTasks", "CancelTask", "CancelTask", "CancelTask", "CancelTask"],
      cancelsAt: [0, 1000, 2000, 3000],
    },
    restart: restartFailed(503),
  },
  {
    name: "503 busy without Retry-After",
    answer: () => reply.http(503, { busy: true }),
    list: {
      says: "retried with doubling backoff, busy; the seen id is cancelled; restarted at the deadline",
      listing: { kind: "busy" },
      headline: { kind: "delivered", tasks: 1 },
      cancelsSeenId: true,
    },
    cancel: {
      says: "retried with doubling backoff (250, 500, 1000 ms), busy: not delivered; restarted at the deadline",
      headline: { kind: "busy" },
      methods: ["ListTasks", "CancelTask", "CancelTask", "CancelTask", "CancelTask"],
      cancelsAt: [0, 250, 750, 1750],
    },
    restart: restartFailed(503),
  },
  {
    name: "503 waking",
    answer: () => reply.http(503, { waking: true, retry_after: 15 }, 15_000),
    list: { says: "nothing more sent (no cancel); restarted at the deadline", listing: { kind: "waking" }, headline: { kind: "waking" }, cancelsSeenId: false },
    cancel: { says: "nothing more sent; restarted at the deadline", headline: { kind: "waking" } },
    restart: restartFailed(503),
  },
  {
    name: "503 restarting",
    answer: () => reply.http(503, { restarting: true }),
    list: {
      says: "platform-restarting: no cancel, never restarted",
      listing: { kind: "platform-restarting" },
      headline: { kind: "platform-restarting" },
      cancelsSeenId: false,
      outcome: PLATFORM_RESTARTING,
    },
    cancel: { says: "platform-restarting: never restarted", headline: { kind: "platform-restarting" }, outcome: PLATFORM_RESTARTING },
    restart: { says: "platform-restarting", outcome: { kind: "platform-restarting", seenIn: "restart-answer" } },
  },
  {
    name: "503 platform_unavailable",
    answer: () => reply.http(503, { error: "platform datastore unavailable", code: "platform_unavailable" }),
    ...notDelivered("platform unavailable", { kind: "platform-unavailable" }),
    restart: restartFailed(503),
  },
  plainStatus(400, restartFailed(400)),
  plainStatus(401, restartFailed(401)),
  plainStatus(403, restartFailed(403)),
  {
    name: "404",
    answer: () => reply.http(404, { error: "workspace not found" }),
    list: { says: "gone: no cancel, never restarted", listing: { kind: "gone" }, headline: { kind: "gone" }, cancelsSeenId: false, outcome: GONE },
    cancel: { says: "gone: never restarted", headline: { kind: "gone" }, outcome: GONE },
    restart: { says: "gone", outcome: { kind: "gone", seenIn: "restart-answer" } },
  },
  plainStatus(409, restartFailed(409)),
  plainStatus(429, restartFailed(429)),
  plainStatus(500, restartFailed(500)),
  {
    name: "502",
    answer: () => reply.http(502, { error: "failed to reach workspace agent" }),
    ...notDelivered("unreachable (502)", { kind: "unreachable", status: 502 }),
    restart: restartFailed(502),
  },
  plainStatus(504, restartLost("gateway")),
  plainStatus(520, restartLost("gateway")),
  plainStatus(521, restartFailed(521)),
  plainStatus(522, restartFailed(522)),
  plainStatus(523, restartFailed(523)),
  plainStatus(524, restartLost("gateway")),

  // Transport.
  {
    name: "connection refused",
    answer: () => reply.network("fetch failed: connect ECONNREFUSED"),
    ...notDelivered("network error", { kind: "network-error", message: "fetch failed: connect ECONNREFUSED" }),
    restart: restartLost("network"),
  },
  {
    name: "no answer (request timeout)",
    answer: () => reply.hang(),
    list: { says: `aborted at ${REQUEST_TIMEOUT / 1000} s, no cancel; restarted at the deadline`, listing: { kind: "timeout" }, headline: { kind: "timeout" }, cancelsSeenId: false },
    cancel: { says: `aborted at ${REQUEST_TIMEOUT / 1000} s; restarted at the deadline`, headline: { kind: "timeout" } },
    restart: { says: `unknown (timeout) ${RESTART_TIMEOUT / 1000} s after sending; not re-sent`, outcome: lost("timeout") },
  },
  {
    name: "no answer (request timeout past the deadline)",
    answer: () => reply.hang(),
    options: { requestTimeoutMs: 60_000 },
    // At the deadline the restart takes the target out of phase 1 first: its request is abandoned ("aborted").
    list: { says: "abandoned at the deadline, no cancel; restarted at the deadline", listing: { kind: "aborted" }, headline: { kind: "aborted" }, cancelsSeenId: false },
    cancel: { says: "abandoned at the deadline; restarted at the deadline", headline: { kind: "aborted" } },
  },
  {
    name: "truncated JSON body",
    answer: () => reply.text(200, '{"jsonrpc":"2.0","id":"stop-all-1","result":{"id":"t1","sta'),
    ...notDelivered("unreadable (not-json)", { kind: "bad-body", status: 200, problem: "not-json" }),
    restart: restartAccepted("2xx; the body is not needed"),
  },
  {
    name: "non-JSON body",
    answer: () => reply.text(200, "<html><body><h1>Agent error</h1></body></html>"),
    ...notDelivered("unreadable (not-json)", { kind: "bad-body", status: 200, problem: "not-json" }),
    restart: restartAccepted("2xx; the body is not needed"),
  },
  {
    name: "empty body",
    answer: () => reply.text(200, ""),
    ...notDelivered("unreadable (empty)", { kind: "bad-body", status: 200, problem: "empty" }),
    restart: restartAccepted("2xx; the body is not needed"),
  },
  {
    name: "JSON that is not JSON-RPC",
    answer: () => reply.http(200, { ok: true }),
    ...notDelivered("unreadable (not-json-rpc)", { kind: "bad-body", status: 200, problem: "not-json-rpc" }),
    restart: restartAccepted("2xx; the body is not needed"),
  },
  {
    name: "200 with another JSON-RPC id",
    answer: () => () => ({ status: 200, json: { jsonrpc: "2.0", id: "someone-else", result: { id: "t1", status: { state: "TASK_STATE_CANCELED" } } } }),
    ...notDelivered("for another request (id-mismatch)", { kind: "id-mismatch" }),
  },
  {
    name: "huge body (200, > MAX_BODY_CHARS)",
    answer: () => hugeReply("ok"),
    ...notDelivered("cut and unreadable (truncated)", { kind: "bad-body", status: 200, problem: "truncated" }),
    restart: restartAccepted("2xx; the body is not read"),
  },
  {
    name: "huge error body (500, > MAX_BODY_CHARS)",
    answer: () => hugeReply("error"),
    ...notDelivered("HTTP 500 (detail cut to 200 chars)", { kind: "http-error", status: 500 }),
    restart: restartFailed(500),
  },
];

beforeAll(async () => {
  const body = (text: string) => async () => new Response(text, { status: text.startsWith("{") ? 200 : 500 });
  const result = `{"jsonrpc":"2.0","id":"stop-all-2","result":{"id":"t1","status":{"state":"TASK_STATE_CANCELED"},"history":"${"x".repeat(MAX_BODY_CHARS)}"}}`;
  const ok = await createPlatformClient(body(result)).postA2A(TARGET, {});
  const error = await createPlatformClient(body(`<html>${"<p>error</p>".repeat(MAX_BODY_CHARS / 10)}</html>`)).restart(TARGET);
  if (!ok.ok || !error.ok) throw new Error("the huge bodies should read");
  huge.ok = ok;
  huge.error = error;
});

/** Runs one Stop All on TARGET beside the non-targets, to deadline + restart timeout. */
async function runTarget(a2a: FakeHandler, restart: FakeHandler | undefined, options: StopAllOptions | undefined, seenIds: string[]) {
  const h = stopAllHarness([workspace(TARGET), ...NON_TARGETS], options);
  h.fleet.setKnownTaskIds(TARGET, seenIds);
  for (const ws of NON_TARGETS) h.fleet.setKnownTaskIds(ws.id, ["non-target-task"]);
  h.platform.onA2A(TARGET, a2a);
  if (restart) h.platform.onRestart(TARGET, restart);
  await h.start();
  await h.advance(DEADLINE - 1);
  expect(h.restarts(), "no restart before the deadline").toEqual([]);
  await h.advance(1 + RESTART_TIMEOUT);
  const state = h.state();
  expectNothingForbidden(h.platform.requests, state, [TARGET]);
  const sent = h.platform.requests.length;
  await h.advance(60_000);
  expect(h.platform.requests, "nothing sent after the end").toHaveLength(sent);
  expect(h.clock.pendingTimers(), "no timer left behind").toBe(0);
  return { h, state, target: targetOf(state, TARGET)! };
}

const outcomeSays = (outcome: Record<string, unknown> | undefined) => outcome ?? RESTARTED;

describe("fault matrix: ListTasks", () => {
  it.each(ANSWERS.map((row) => [`ListTasks answered ${row.name} → ${row.list.says}`, row] as const))("%s", async (_, row) => {
    const answer = row.answer();
    const a2a: FakeHandler = (request) => (request.method === "ListTasks" ? answer(request) : reply.canceledTask()(request));
    const { h, state, target } = await runTarget(a2a, undefined, row.options, ["seen-1"]);
    expect(target.finding?.listing).toMatchObject(row.list.listing);
    expect(target.finding?.headline).toMatchObject(row.list.headline);
    const cancels = h.platform.of("a2a").filter((request) => request.method !== "ListTasks");
    expect(cancels.map((request) => [request.method, request.params?.id])).toEqual(row.list.cancelsSeenId ? [["CancelTask", "seen-1"]] : []);
    const outcome = outcomeSays(row.list.outcome);
    expect(target.phase).toEqual({ kind: "settled", outcome: expect.objectContaining(outcome) });
    expect(h.restarts()).toHaveLength(outcome.kind === "restarted" ? 1 : 0);
    if (outcome.kind === "restarted") expect(target.times.restartSentAt).toBe(state.deadlineAt);
  });
});

describe("fault matrix: cancel", () => {
  it.each(ANSWERS.map((row) => [`cancel answered ${row.name} → ${row.cancel.says}`, row] as const))("%s", async (_, row) => {
    const answer = row.answer();
    const a2a: FakeHandler = (request) => (request.method === "ListTasks" ? LIST_ONE_TASK(request) : answer(request));
    const { h, state, target } = await runTarget(a2a, undefined, row.options, []);
    expect(target.finding).toMatchObject({ idSource: "list-tasks", listing: { kind: "listed", taskIds: ["t1"] } });
    expect(target.finding?.headline).toMatchObject(row.cancel.headline);
    expect(h.platform.of("a2a").map((request) => request.method)).toEqual(row.cancel.methods ?? ["ListTasks", "CancelTask"]);
    if (row.cancel.cancelsAt) {
      expect(h.platform.of("a2a").filter((r) => r.method === "CancelTask").map((r) => r.at - state.startedAt)).toEqual(row.cancel.cancelsAt);
    }
    if (row.cancel.headline.kind === "timeout" || row.cancel.headline.kind === "aborted") {
      const cancel = h.platform.of("a2a").find((request) => request.method === "CancelTask")!;
      expect(cancel.signal?.aborted).toBe(true);
      expect(target.times.cancelAnsweredAt, "a timed-out cancel was never answered").toBeUndefined();
    }
    const outcome = outcomeSays(row.cancel.outcome);
    expect(target.phase).toEqual({ kind: "settled", outcome: expect.objectContaining(outcome) });
    expect(h.restarts()).toHaveLength(outcome.kind === "restarted" ? 1 : 0);
    if (outcome.kind === "restarted") expect(target.times.restartSentAt).toBe(state.deadlineAt);
  });

  it("a cancel that never answers is aborted at the request timeout, or at the deadline when that comes first", async () => {
    for (const [options, cutAt] of [
      [{}, REQUEST_TIMEOUT],
      [{ requestTimeoutMs: 60_000 }, DEADLINE],
    ] as const) {
      const h = stopAllHarness([workspace(TARGET)], options);
      h.platform.onA2A(TARGET, (request) => (request.method === "ListTasks" ? LIST_ONE_TASK(request) : { hang: true }));
      await h.start();
      const cancel = h.platform.of("a2a")[1]!;
      await h.advance(cutAt - 1);
      expect(cancel.signal?.aborted).toBe(false);
      await h.advance(1);
      expect(cancel.signal?.aborted).toBe(true);
    }
  });
});

describe("fault matrix: restart", () => {
  const rows = ANSWERS.filter((row) => row.restart !== undefined && row.options === undefined);
  it.each(rows.map((row) => [`restart answered ${row.name} → ${row.restart!.says}`, row] as const))("%s", async (_, row) => {
    const a2a: FakeHandler = (request) => (request.method === "ListTasks" ? LIST_ONE_TASK(request) : reply.canceledTask()(request));
    const { h, state, target } = await runTarget(a2a, row.answer(), undefined, []);
    expect(target.finding?.headline).toMatchObject({ kind: "delivered", tasks: 1 });
    expect(h.restarts()).toHaveLength(1);
    expect(target.times.restartSentAt).toBe(state.deadlineAt);
    expect(target.phase).toEqual({ kind: "settled", outcome: expect.objectContaining(row.restart!.outcome) });
    if (row.restart!.outcome.kind === "restart-failed") {
      const outcome = target.phase.kind === "settled" ? target.phase.outcome : undefined;
      expect(outcome?.kind === "restart-failed" && outcome.message.length).toBeLessThanOrEqual(200);
    }
  });

  it("JSON-RPC errors and JSON-RPC ids do not apply to a restart (n/a rows)", () => {
    const na = ANSWERS.filter((row) => row.restart === undefined).map((row) => row.name);
    expect(na).toEqual([
      "JSON-RPC -32001 (task not found)",
      "JSON-RPC -32002 (task not cancelable)",
      "JSON-RPC -32601 (method not found)",
      "JSON-RPC -32009 (version not supported)",
      "JSON-RPC -32004 (unsupported operation)",
      "JSON-RPC -32602 (invalid params)",
      "no answer (request timeout past the deadline)",
      "200 with another JSON-RPC id",
    ]);
  });
});

// ---------------------------------------------------------------------------
// A target settles while its cancel is in flight
// ---------------------------------------------------------------------------

interface SettleRow {
  /** How FAULTS.md names what happens to the target (1 s after the click, its CancelTask still unanswered). */
  name: string;
  says: string;
  act: (h: ReturnType<typeof stopAllHarness>, op: StopAllOperation) => void;
  /** True: the cancel in flight is abandoned. False: nothing new is sent, but its answer is read. */
  abandons: boolean;
  outcome: TargetOutcome;
  /** When the CancelTask would answer (200, canceled). Default 3 s. */
  answerAtMs?: number;
  options?: StopAllOptions;
}

const SETTLES: SettleRow[] = [
  {
    name: "drains",
    says: "nothing new sent; the answer is read: cancel delivered, answered at 3 s; drained",
    act: (h) => h.fleet.set(TARGET, { activeTasks: 0 }),
    abandons: false,
    outcome: { kind: "drained" },
  },
  {
    name: "is kept by the operator",
    says: "nothing new sent; the answer is read: cancel delivered, answered at 3 s; kept",
    act: (_, op) => op.keep(TARGET),
    abandons: false,
    outcome: { kind: "kept" },
  },
  {
    name: "is removed",
    says: "the cancel is abandoned (the workspace is gone); gone, never restarted",
    act: (h) => h.fleet.remove(TARGET),
    abandons: true,
    outcome: { kind: "gone", seenIn: "store" },
  },
  {
    name: "is provisioning (the platform restarts it)",
    says: "the cancel is abandoned (its container is torn down); platform-restarting, never restarted",
    act: (h) => h.fleet.set(TARGET, { status: "provisioning" }),
    abandons: true,
    outcome: { kind: "platform-restarting", seenIn: "store" },
  },
  {
    name: "is restarted now by the operator",
    says: "the cancel is abandoned (the restart tears the container down); restarted at 1 s",
    act: (_, op) => op.restartNow(TARGET),
    abandons: true,
    outcome: { kind: "restarted", trigger: "operator" },
  },
  {
    name: "reaches the deadline",
    says: "the cancel (answer due at 9 s) is abandoned by the restart; restarted at the deadline",
    act: () => {},
    abandons: true,
    outcome: RESTARTED,
    answerAtMs: 9000,
    options: { requestTimeoutMs: 60_000 },
  },
];

describe("fault matrix: a target settles while its cancel is in flight", () => {
  it.each(SETTLES.map((row) => [`a target that ${row.name} while its cancel is in flight → ${row.says}`, row] as const))("%s", async (_, row) => {
    const h = stopAllHarness([workspace(TARGET), ...NON_TARGETS], row.options);
    for (const ws of NON_TARGETS) h.fleet.setKnownTaskIds(ws.id, ["non-target-task"]);
    const cancelAnswer = reply.after(row.answerAtMs ?? 3000, reply.canceledTask());
    h.platform.onA2A(TARGET, (request) => (request.method === "ListTasks" ? LIST_ONE_TASK(request) : cancelAnswer(request)));
    const op = await h.start();
    await h.advance(1000);
    row.act(h, op);
    await h.advance(DEADLINE - 1000 + RESTART_TIMEOUT);
    const state = h.state();
    const target = targetOf(state, TARGET)!;

    expect(h.platform.of("a2a").map((request) => request.method)).toEqual(["ListTasks", "CancelTask"]);
    expect(h.platform.of("a2a")[1]!.signal?.aborted).toBe(row.abandons);
    if (row.abandons) {
      expect(target.finding?.headline).toEqual({ kind: "aborted" });
      expect(target.times.cancelAnsweredAt).toBeUndefined();
    } else {
      expect(target.finding?.headline).toEqual({ kind: "delivered", tasks: 1, of: 1 });
      expect(target.finding?.cancels[0]?.result).toMatchObject({ kind: "delivered", taskState: "canceled" });
      expect(target.times.cancelAnsweredAt).toBe(state.startedAt + 3000);
    }
    expect(target.phase).toEqual({ kind: "settled", outcome: row.outcome });
    const restarts = h.restarts(TARGET);
    expect(restarts).toHaveLength(row.outcome.kind === "restarted" ? 1 : 0);
    // The operator's restart is the one allowed before the deadline.
    const operatorRestart = row.outcome.kind === "restarted" && row.outcome.trigger === "operator";
    if (operatorRestart) expect(restarts[0]!.at - state.startedAt).toBe(1000);
    expectNothingForbidden(operatorRestart ? h.platform.of("a2a") : h.platform.requests, state, [TARGET]);
    const sent = h.platform.requests.length;
    await h.advance(60_000);
    expect(h.platform.requests, "nothing sent after the end").toHaveLength(sent);
    expect(h.clock.pendingTimers(), "no timer left behind").toBe(0);
  });
});

// ---------------------------------------------------------------------------
// Rows: the store as polls feed it
// ---------------------------------------------------------------------------

/** Two busy targets (one that will misbehave, one control) and an idle non-target. */
function rowsFleet() {
  return [wireRow(TARGET), wireRow("ws-control"), wireRow("ws-idle", { active_tasks: 0, current_task: "" })];
}

async function runRows(midOperation: (h: ReturnType<typeof storeHarness>) => void) {
  const h = storeHarness(rowsFleet());
  await h.start();
  expect(h.state().order).toEqual([TARGET, "ws-control"]);
  await h.advance(2000);
  midOperation(h);
  await h.advance(DEADLINE - 2000 + RESTART_TIMEOUT);
  expectNothingForbidden(h.platform.requests, h.state(), [TARGET, "ws-control"]);
  expect(h.outcome("ws-control")).toEqual(RESTARTED);
  return h;
}

describe("fault matrix: rows", () => {
  it("a row with a missing or mistyped field at the click is dropped with a warning and is not a target", async () => {
    const h = storeHarness([
      wireRow(TARGET),
      wireRow("ws-no-name", { name: undefined }),
      wireRow("ws-numeric-status", { status: 3 }),
      wireRow("ws-negative-tasks", { active_tasks: -1 }),
      wireRow("ws-string-tasks", { active_tasks: "2" }),
      wireRow("ws-nan-tasks", { active_tasks: Number.NaN }),
      wireRow("../escape"),
      "not a row",
    ]);
    expect(h.store.getState().ids).toEqual([TARGET]);
    expect(h.store.getState().warnings).toHaveLength(7);
    await h.start();
    await h.advance(DEADLINE + RESTART_TIMEOUT);
    expectNothingForbidden(h.platform.requests, h.state(), [TARGET]);
    expect(h.state().order).toEqual([TARGET]);
  });

  it("duplicate ids: the first row counts, one target, one restart", async () => {
    const h = storeHarness([wireRow(TARGET), wireRow(TARGET, { active_tasks: 0, name: "impostor" })]);
    await h.start();
    expect(h.state().order).toEqual([TARGET]);
    await h.advance(2000);
    h.poll([wireRow(TARGET), wireRow(TARGET, { active_tasks: 0 })]);
    await h.advance(DEADLINE - 2000 + RESTART_TIMEOUT);
    expectNothingForbidden(h.platform.requests, h.state(), [TARGET]);
    expect(h.restarts(TARGET)).toHaveLength(1);
  });

  it("a busy workspace that appears mid-operation is not a target: no request, ever", async () => {
    await runRows((h) => {
      h.poll([...rowsFleet(), wireRow("ws-appears", { active_tasks: 3 })]);
    });
  });

  it("a target that disappears from the rows mid-operation → gone; no restart", async () => {
    const h = await runRows((h) => {
      h.poll([wireRow("ws-control"), wireRow("ws-idle", { active_tasks: 0 })]);
    });
    expect(h.outcome(TARGET)).toEqual({ kind: "gone", seenIn: "store" });
    expect(h.restarts(TARGET)).toEqual([]);
  });

  it("a target removed by a WORKSPACE_REMOVED event mid-operation → gone; a stale poll does not bring it back", async () => {
    const h = await runRows((h) => {
      const stalePoll = h.sendPoll();
      h.event(wireEvent("WORKSPACE_REMOVED", TARGET, h.clock.now()));
      stalePoll(rowsFleet());
    });
    expect(h.outcome(TARGET)).toEqual({ kind: "gone", seenIn: "store" });
    expect(h.restarts(TARGET)).toEqual([]);
  });

  /*
   * A target whose row turns malformed mid-operation is dropped from the
   * poll with a warning; the store keeps its last known state (it did not go
   * away), so it is restarted at the deadline like any undrained target.
   */
  it.each([
    ["active_tasks negative", { active_tasks: -1 }],
    ["active_tasks non-numeric", { active_tasks: "3" }],
    ["a required field missing", { name: undefined }],
  ] as const)("a target whose row turns malformed mid-operation (%s) is not gone: restarted at the deadline", async (_, patch) => {
    const h = await runRows((h) => {
      const warnings = h.poll([wireRow(TARGET, patch), wireRow("ws-control"), wireRow("ws-idle", { active_tasks: 0 })]);
      expect(warnings.map((warning) => warning.id)).toEqual([TARGET]);
    });
    expect(h.outcome(TARGET)).toEqual(RESTARTED);
  });

  it("a non-target row turning malformed mid-operation changes nothing", async () => {
    const h = await runRows((h) => {
      h.poll([wireRow(TARGET), wireRow("ws-control"), wireRow("ws-idle", { active_tasks: "lots" })]);
    });
    expect(h.outcome(TARGET)).toEqual(RESTARTED);
  });
});

// ---------------------------------------------------------------------------
// Live events
// ---------------------------------------------------------------------------

/** Live messages the event stream must skip, each broken in its own way. */
const malformedEvents = (at: number): unknown[] => [
  "{oops",
  "null",
  wireEvent("TASK_UPDATED", TARGET, at, { active_tasks: -1 }),
  wireEvent("TASK_UPDATED", TARGET, at, { active_tasks: "0" }),
  wireEvent("WORKSPACE_HEARTBEAT", TARGET, at, {}),
  wireEvent("TASK_UPDATED", "../ws-target", at, { active_tasks: 0 }),
  { ...wireEvent("TASK_UPDATED", TARGET, at, { active_tasks: 0 }), timestamp: "yesterday" },
  wireEvent("SOMETHING_ELSE", TARGET, at, { active_tasks: 0 }),
  { event: "TASK_UPDATED", payload: { active_tasks: 0 } },
];

describe("fault matrix: live events", () => {
  it("no live events at all (stream dropped): a poll showing active_tasks 0 is the drain", async () => {
    const h = await runRows((h) => {
      h.poll([wireRow(TARGET, { active_tasks: 0, current_task: "" }), wireRow("ws-control"), wireRow("ws-idle", { active_tasks: 0 })]);
    });
    expect(h.outcome(TARGET)).toEqual({ kind: "drained" });
    expect(targetOf(h.state(), TARGET)!.times.drainedAt).toBe(h.state().startedAt + 2000);
    expect(h.restarts(TARGET)).toEqual([]);
  });

  it("an old poll answer (active_tasks 0) landing after a newer event (active_tasks 2) is not a drain", async () => {
    const h = await runRows((h) => {
      const oldPoll = h.sendPoll();
      h.event(wireEvent("TASK_UPDATED", TARGET, h.clock.now(), { active_tasks: 2, current_task: "still going" }));
      oldPoll([wireRow(TARGET, { active_tasks: 0, current_task: "" }), wireRow("ws-control"), wireRow("ws-idle", { active_tasks: 0 })]);
    });
    expect(h.outcome(TARGET)).toEqual(RESTARTED);
  });

  it("an old poll answer (active_tasks 1) landing after the drain event does not undo the drain", async () => {
    const h = await runRows((h) => {
      const oldPoll = h.sendPoll();
      h.event(wireEvent("TASK_UPDATED", TARGET, h.clock.now(), { active_tasks: 0, current_task: "" }));
      oldPoll(rowsFleet());
    });
    expect(h.outcome(TARGET)).toEqual({ kind: "drained" });
    expect(h.restarts(TARGET)).toEqual([]);
  });

  it("out-of-order events: an older 'active_tasks 0' arriving after a newer 'active_tasks 1' is not a drain", async () => {
    const h = await runRows((h) => {
      const now = h.clock.now();
      h.event(wireEvent("TASK_UPDATED", TARGET, now, { active_tasks: 1, current_task: "newer" }));
      h.event(wireEvent("WORKSPACE_HEARTBEAT", TARGET, now - 1500, { active_tasks: 0 }));
    });
    expect(h.outcome(TARGET)).toEqual(RESTARTED);
  });

  it("duplicated events: the drain counts once, at the first one; a repeated removal is harmless", async () => {
    const h = await runRows((h) => {
      const at = h.clock.now();
      for (let i = 0; i < 3; i++) h.event(wireEvent("TASK_UPDATED", TARGET, at, { active_tasks: 0, current_task: "" }));
      h.event(wireEvent("WORKSPACE_REMOVED", "ws-idle", at));
      h.event(wireEvent("WORKSPACE_REMOVED", "ws-idle", at));
    });
    expect(h.outcome(TARGET)).toEqual({ kind: "drained" });
    expect(targetOf(h.state(), TARGET)!.times.drainedAt).toBe(h.state().startedAt + 2000);
  });

  it("malformed messages are skipped and change nothing; the next good event still drains", async () => {
    const h = storeHarness(rowsFleet());
    await h.start();
    const at = h.clock.now();
    for (const message of malformedEvents(at)) expect(h.event(message)).toBe(false);
    await h.advance(1000);
    expect(targetOf(h.state(), TARGET)!.phase.kind).toBe("watching");
    expect(h.event(wireEvent("TASK_UPDATED", TARGET, at + 1000, { active_tasks: 0 }))).toBe(true);
    await h.settle();
    expect(h.outcome(TARGET)).toEqual({ kind: "drained" });
    await h.advance(DEADLINE + RESTART_TIMEOUT);
    expectNothingForbidden(h.platform.requests, h.state(), [TARGET, "ws-control"]);
  });

  it("a WORKSPACE_PROVISIONING event for a target → platform-restarting; no restart", async () => {
    const h = await runRows((h) => {
      h.event(wireEvent("WORKSPACE_PROVISIONING", TARGET, h.clock.now()));
    });
    expect(h.outcome(TARGET)).toEqual({ kind: "platform-restarting", seenIn: "store" });
    expect(h.restarts(TARGET)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Restart
// ---------------------------------------------------------------------------

describe("fault matrix: restart outcomes across targets", () => {
  it("one restart fails while the others succeed: each gets its own outcome, one restart each, retry only the failed one", async () => {
    const ids = ["ws-restart-ok-1", "ws-restart-fails-500", "ws-restart-ok-2"];
    const h = stopAllHarness([...ids.map((id) => workspace(id)), ...NON_TARGETS]);
    h.platform.onRestart("ws-restart-fails-500", reply.http(500, { error: "failed to restart workspace" }));
    const op = await h.start();
    await h.advance(DEADLINE + RESTART_TIMEOUT);
    expectNothingForbidden(h.platform.requests, h.state(), ids);
    expect(ids.map((id) => h.outcome(id))).toEqual([RESTARTED, { kind: "restart-failed", status: 500, message: "failed to restart workspace" }, RESTARTED]);
    expect(summarize(h.state())).toMatch(/: 2 restarted, 1 restart failed$/);
    h.platform.onRestart("ws-restart-fails-500", reply.http(200, { status: "provisioning" }));
    op.retryRestart();
    await h.settle();
    expect(ids.map((id) => h.restarts(id).length)).toEqual([1, 2, 1]);
    expect(h.outcome("ws-restart-fails-500")).toEqual({ kind: "restarted", trigger: "retry" });
  });

  it("a lost restart answer → unknown; a blanket retry skips it, the operator's named retry sends exactly one more", async () => {
    const h = stopAllHarness([workspace(TARGET), ...NON_TARGETS]);
    h.platform.onRestart(TARGET, reply.hang());
    const op = await h.start();
    await h.advance(DEADLINE + RESTART_TIMEOUT);
    expect(h.outcome(TARGET)).toMatchObject({ kind: "unknown", reason: "timeout" });
    expect(h.restarts(TARGET)).toHaveLength(1);
    op.retryRestart();
    op.restartNow(TARGET);
    await h.advance(60_000);
    expect(h.restarts(TARGET)).toHaveLength(1);
    h.platform.onRestart(TARGET, reply.http(200, { status: "provisioning" }));
    op.retryRestart(TARGET);
    op.retryRestart(TARGET);
    await h.settle();
    expect(h.restarts(TARGET)).toHaveLength(2);
    expect(h.outcome(TARGET)).toEqual({ kind: "restarted", trigger: "retry" });
  });
});
