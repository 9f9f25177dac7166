import { describe, expect, it, vi } from "vitest";
import type { FetchLike } from "../../../platform/client";
import { FakeClock } from "../../../time/fake-clock";
import { createFleetSimulation, type FleetSimulation } from "../../sim/fleet-simulation";
import type { RequestLogEntry } from "../../sim/request-log";
import { rpc, scenarioOf } from "../../sim/testing/harness";

/**
 * The mock platform's HTTP behaviour as one table, run against every way a
 * request reaches the simulation (the MSW handlers, the in-page transport),
 * so the two cannot drift. What each row expects is what the browser's
 * service worker answered before the in-page transport existed (checked by
 * hand in Chromium), including MSW's path-matching quirks.
 */

/** Hands a simulation to one adapter; returns a fetch that takes same-origin paths as the app sends them. */
export type MountAdapter = (sim: FleetSimulation) => FetchLike;

type ExpectedBody = { json: unknown } | { jsonMatching: unknown } | { text: string };

interface ExpectedResponse {
  status: number;
  statusText: string;
  /** Content-Type, and Retry-After when given; null: absent. */
  contentType: string | null;
  retryAfter?: string | null;
  /** True: Content-Length is the body's UTF-8 length (JSON answers). False: absent. Left out: not checked. */
  lengthHeader?: boolean;
  body: ExpectedBody;
}

export interface PlatformCase {
  name: string;
  arrange?: (sim: FleetSimulation) => void;
  method: string;
  path: string;
  body?: string;
  expect: ExpectedResponse | { rejects: "network-error" };
  /** The request log afterwards, without arrival times. */
  log: Array<Omit<RequestLogEntry, "at">>;
}

const WS = "/api/platform/workspaces";
const GET_TASK = rpc("GetTask", { id: "task-x" }, 1);
const GET_TASK_LOG = { rpcMethod: "GetTask", rpcParams: { id: "task-x" }, rpcId: 1 } as const;
const NOT_FOUND: ExpectedResponse = { status: 404, statusText: "Not Found", contentType: "application/json", lengthHeader: true, body: { json: { error: "not found" } } };
const INVALID_ID: ExpectedResponse = { status: 400, statusText: "Bad Request", contentType: "application/json", lengthHeader: true, body: { json: { error: "invalid workspace id" } } };
const ROWS: ExpectedResponse = {
  status: 200,
  statusText: "OK",
  contentType: "application/json",
  lengthHeader: true,
  body: { jsonMatching: [{ id: "ws-a" }, { id: "wsA" }, { id: "ws-hangs" }] },
};
const TASK_NOT_FOUND: ExpectedResponse = {
  status: 200,
  statusText: "OK",
  contentType: "application/json",
  lengthHeader: true,
  body: { jsonMatching: { jsonrpc: "2.0", id: 1, error: { code: -32001 } } },
};
// MSW's service worker answered an exception in its handler lookup this way (in node MSW said "Unhandled Exception", with no length).
const URI_MALFORMED: ExpectedResponse = {
  status: 500,
  statusText: "Request Handler Error",
  contentType: "application/json",
  lengthHeader: true,
  body: { jsonMatching: { name: "URIError", message: "URI malformed", stack: expect.stringContaining("URIError") } },
};

const fault = (id: string, answer: Parameters<FleetSimulation["setBehaviour"]>[1]) => (sim: FleetSimulation) => sim.setBehaviour(id, answer);

export const platformCases: PlatformCase[] = [
  // GET /workspaces
  { name: "GET /workspaces answers the rows", method: "GET", path: WS, expect: ROWS, log: [{ method: "GET", path: WS, status: 200 }] },
  {
    name: "GET /workspaces answers 503 platform_unavailable while the platform is down",
    arrange: (sim) => sim.setPlatformDown(true),
    method: "GET",
    path: WS,
    expect: { status: 503, statusText: "Service Unavailable", contentType: "application/json", lengthHeader: true, body: { jsonMatching: { code: "platform_unavailable" } } },
    log: [{ method: "GET", path: WS, status: 503 }],
  },
  { name: "one trailing slash still matches (path-to-regexp, not strict)", method: "GET", path: `${WS}/`, expect: ROWS, log: [{ method: "GET", path: `${WS}/`, status: 200 }] },
  { name: "the query is not part of the logged path", method: "GET", path: `${WS}?page=2`, expect: ROWS, log: [{ method: "GET", path: WS, status: 200 }] },
  {
    name: "paths match case-insensitively (path-to-regexp's default)",
    method: "GET",
    path: "/API/Platform/Workspaces",
    expect: ROWS,
    log: [{ method: "GET", path: "/API/Platform/Workspaces", status: 200 }],
  },
  {
    name: "anything before /api/platform matches (MSW's leading *)",
    method: "GET",
    path: `/foo${WS}`,
    expect: ROWS,
    log: [{ method: "GET", path: `/foo${WS}`, status: 200 }],
  },

  // POST /workspaces/:id/a2a
  {
    name: "POST a2a answers the agent's JSON-RPC reply and logs method, params and id",
    method: "POST",
    path: `${WS}/ws-a/a2a`,
    body: rpc("CancelTask", { id: "task-ws-a-1" }, 9),
    expect: {
      status: 200,
      statusText: "OK",
      contentType: "application/json",
      lengthHeader: true,
      body: { jsonMatching: { jsonrpc: "2.0", id: 9, result: { status: { state: "TASK_STATE_CANCELED" } } } },
    },
    log: [{ method: "POST", path: `${WS}/ws-a/a2a`, workspaceId: "ws-a", rpcMethod: "CancelTask", rpcParams: { id: "task-ws-a-1" }, rpcId: 9, status: 200 }],
  },
  {
    name: "POST a2a with a trailing slash",
    method: "POST",
    path: `${WS}/ws-a/a2a/`,
    body: GET_TASK,
    expect: TASK_NOT_FOUND,
    log: [{ method: "POST", path: `${WS}/ws-a/a2a/`, workspaceId: "ws-a", ...GET_TASK_LOG, status: 200 }],
  },
  {
    name: "the id segment is percent-decoded (ws%41 is wsA)",
    method: "POST",
    path: `${WS}/ws%41/a2a`,
    body: GET_TASK,
    expect: TASK_NOT_FOUND,
    log: [{ method: "POST", path: `${WS}/ws%41/a2a`, workspaceId: "wsA", ...GET_TASK_LOG, status: 200 }],
  },
  {
    name: "a body that is not JSON gets the agent's parse error and logs no JSON-RPC fields",
    method: "POST",
    path: `${WS}/ws-a/a2a`,
    body: "{not json",
    expect: { status: 200, statusText: "OK", contentType: "application/json", lengthHeader: true, body: { json: { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } } } },
    log: [{ method: "POST", path: `${WS}/ws-a/a2a`, workspaceId: "ws-a", status: 200 }],
  },
  {
    name: "busy: 503 with Retry-After",
    arrange: fault("ws-a", { faults: [{ answer: { kind: "busy", retryAfterSeconds: 3 } }] }),
    method: "POST",
    path: `${WS}/ws-a/a2a`,
    body: GET_TASK,
    expect: { status: 503, statusText: "Service Unavailable", contentType: "application/json", retryAfter: "3", lengthHeader: true, body: { jsonMatching: { busy: true, retry_after: 3 } } },
    log: [{ method: "POST", path: `${WS}/ws-a/a2a`, workspaceId: "ws-a", ...GET_TASK_LOG, status: 503 }],
  },
  {
    name: "a Cloudflare status comes as text, with no status text and no length",
    arrange: fault("ws-a", { faults: [{ answer: { kind: "status", status: 522 } }] }),
    method: "POST",
    path: `${WS}/ws-a/a2a`,
    body: GET_TASK,
    expect: { status: 522, statusText: "", contentType: "text/plain; charset=UTF-8", retryAfter: null, lengthHeader: false, body: { text: "error code: 522" } },
    log: [{ method: "POST", path: `${WS}/ws-a/a2a`, workspaceId: "ws-a", ...GET_TASK_LOG, status: 522 }],
  },
  {
    name: "an HTML page instead of JSON",
    arrange: fault("ws-a", { faults: [{ answer: { kind: "not-json" } }] }),
    method: "POST",
    path: `${WS}/ws-a/a2a`,
    body: GET_TASK,
    expect: { status: 200, statusText: "OK", contentType: "text/html", lengthHeader: false, body: { text: "<html><body><h1>Agent error</h1></body></html>" } },
    log: [{ method: "POST", path: `${WS}/ws-a/a2a`, workspaceId: "ws-a", ...GET_TASK_LOG, status: 200 }],
  },
  {
    name: "an empty body",
    arrange: fault("ws-a", { faults: [{ answer: { kind: "empty-body" } }] }),
    method: "POST",
    path: `${WS}/ws-a/a2a`,
    body: GET_TASK,
    expect: { status: 200, statusText: "OK", contentType: "application/json", lengthHeader: false, body: { text: "" } },
    log: [{ method: "POST", path: `${WS}/ws-a/a2a`, workspaceId: "ws-a", ...GET_TASK_LOG, status: 200 }],
  },
  {
    name: "a refused connection is a network error and logs no status",
    arrange: fault("ws-a", { faults: [{ answer: { kind: "connection-refused" } }] }),
    method: "POST",
    path: `${WS}/ws-a/a2a`,
    body: GET_TASK,
    expect: { rejects: "network-error" },
    log: [{ method: "POST", path: `${WS}/ws-a/a2a`, workspaceId: "ws-a", ...GET_TASK_LOG, status: null }],
  },
  {
    name: "a valid id the platform does not have: 404 workspace not found",
    method: "POST",
    path: `${WS}/ws-nobody/a2a`,
    body: GET_TASK,
    expect: { status: 404, statusText: "Not Found", contentType: "application/json", lengthHeader: true, body: { json: { error: "workspace not found" } } },
    log: [{ method: "POST", path: `${WS}/ws-nobody/a2a`, workspaceId: "ws-nobody", ...GET_TASK_LOG, status: 404 }],
  },
  {
    name: "an encoded slash decodes into an invalid id: 400 before the simulation",
    method: "POST",
    path: `${WS}/ws%2F..%2Fadmin/a2a`,
    body: GET_TASK,
    expect: INVALID_ID,
    log: [{ method: "POST", path: `${WS}/ws%2F..%2Fadmin/a2a`, workspaceId: "ws/../admin", ...GET_TASK_LOG, status: 400 }],
  },
  {
    name: "a malformed escape in the id: MSW's 500 for an exception in its handler lookup, not logged",
    method: "POST",
    path: `${WS}/%E0%A4%A/a2a`,
    body: GET_TASK,
    expect: URI_MALFORMED,
    log: [],
  },

  // POST /workspaces/:id/restart
  {
    name: "POST restart answers 200 provisioning",
    method: "POST",
    path: `${WS}/ws-a/restart`,
    expect: { status: 200, statusText: "OK", contentType: "application/json", lengthHeader: true, body: { json: { status: "provisioning" } } },
    log: [{ method: "POST", path: `${WS}/ws-a/restart`, workspaceId: "ws-a", status: 200 }],
  },
  {
    name: "a refused restart keeps the platform's status and body",
    arrange: fault("ws-a", { restart: { kind: "fail", status: 409 } }),
    method: "POST",
    path: `${WS}/ws-a/restart/`,
    expect: { status: 409, statusText: "Conflict", contentType: "application/json", lengthHeader: true, body: { json: { error: "cannot restart: parent workspace is paused" } } },
    log: [{ method: "POST", path: `${WS}/ws-a/restart/`, workspaceId: "ws-a", status: 409 }],
  },
  {
    name: "a gateway's text answer to a restart",
    arrange: fault("ws-a", { restart: { kind: "gateway-error", status: 524, restartMs: 1000 } }),
    method: "POST",
    path: `${WS}/ws-a/restart`,
    expect: { status: 524, statusText: "", contentType: "text/plain; charset=UTF-8", lengthHeader: false, body: { text: "error code: 524" } },
    log: [{ method: "POST", path: `${WS}/ws-a/restart`, workspaceId: "ws-a", status: 524 }],
  },
  {
    name: "a restart whose connection is refused",
    arrange: fault("ws-a", { restart: { kind: "connection-refused" } }),
    method: "POST",
    path: `${WS}/ws-a/restart`,
    expect: { rejects: "network-error" },
    log: [{ method: "POST", path: `${WS}/ws-a/restart`, workspaceId: "ws-a", status: null }],
  },
  {
    name: "an id with a space is refused",
    method: "POST",
    path: `${WS}/ws%20a/restart`,
    expect: INVALID_ID,
    log: [{ method: "POST", path: `${WS}/ws%20a/restart`, workspaceId: "ws a", status: 400 }],
  },
  {
    name: "an id with a leading dash is refused",
    method: "POST",
    path: `${WS}/-leading-dash/restart`,
    expect: INVALID_ID,
    log: [{ method: "POST", path: `${WS}/-leading-dash/restart`, workspaceId: "-leading-dash", status: 400 }],
  },
  { name: "a malformed escape in a restart's id", method: "POST", path: `${WS}/%E0%A4%A/restart`, expect: URI_MALFORMED, log: [] },

  // POST /workspaces/:id/pause and /resume
  {
    name: "POST pause answers 200 paused with the count",
    method: "POST",
    path: `${WS}/ws-a/pause`,
    expect: { status: 200, statusText: "OK", contentType: "application/json", lengthHeader: true, body: { json: { status: "paused", paused_count: 1 } } },
    log: [{ method: "POST", path: `${WS}/ws-a/pause`, workspaceId: "ws-a", status: 200 }],
  },
  {
    name: "a pause of an already paused workspace is the platform's 404",
    arrange: (sim) => sim.handlePause("ws-a"),
    method: "POST",
    path: `${WS}/ws-a/pause/`,
    expect: { status: 404, statusText: "Not Found", contentType: "application/json", lengthHeader: true, body: { json: { error: "workspace not found or already paused" } } },
    log: [{ method: "POST", path: `${WS}/ws-a/pause/`, workspaceId: "ws-a", status: 404 }],
  },
  {
    name: "a refused pause keeps the platform's status and body",
    arrange: fault("ws-a", { pause: { kind: "fail", status: 500 } }),
    method: "POST",
    path: `${WS}/ws-a/pause`,
    expect: { status: 500, statusText: "Internal Server Error", contentType: "application/json", lengthHeader: true, body: { json: { error: "lookup failed" } } },
    log: [{ method: "POST", path: `${WS}/ws-a/pause`, workspaceId: "ws-a", status: 500 }],
  },
  {
    name: "a pause whose connection is refused",
    arrange: fault("ws-a", { pause: { kind: "connection-refused" } }),
    method: "POST",
    path: `${WS}/ws-a/pause`,
    expect: { rejects: "network-error" },
    log: [{ method: "POST", path: `${WS}/ws-a/pause`, workspaceId: "ws-a", status: null }],
  },
  {
    name: "POST resume of a paused workspace answers 200 provisioning with the count",
    arrange: (sim) => sim.handlePause("ws-a"),
    method: "POST",
    path: `${WS}/ws-a/resume`,
    expect: { status: 200, statusText: "OK", contentType: "application/json", lengthHeader: true, body: { json: { status: "provisioning", resumed_count: 1 } } },
    log: [{ method: "POST", path: `${WS}/ws-a/resume`, workspaceId: "ws-a", status: 200 }],
  },
  {
    name: "a resume of a workspace that is not paused is the platform's 404",
    method: "POST",
    path: `${WS}/ws-a/resume`,
    expect: { status: 404, statusText: "Not Found", contentType: "application/json", lengthHeader: true, body: { json: { error: "workspace not found or not paused" } } },
    log: [{ method: "POST", path: `${WS}/ws-a/resume`, workspaceId: "ws-a", status: 404 }],
  },
  {
    name: "a resume while the platform is down: 503 provisioner not available",
    arrange: (sim) => {
      sim.handlePause("ws-a");
      sim.setPlatformDown(true);
    },
    method: "POST",
    path: `${WS}/ws-a/resume`,
    expect: { status: 503, statusText: "Service Unavailable", contentType: "application/json", lengthHeader: true, body: { json: { error: "provisioner not available" } } },
    log: [{ method: "POST", path: `${WS}/ws-a/resume`, workspaceId: "ws-a", status: 503 }],
  },
  {
    name: "a gateway's text answer to a resume",
    arrange: (sim) => {
      sim.handlePause("ws-a");
      sim.setBehaviour("ws-a", { resume: { kind: "gateway-error", status: 524 } });
    },
    method: "POST",
    path: `${WS}/ws-a/resume`,
    expect: { status: 524, statusText: "", contentType: "text/plain; charset=UTF-8", lengthHeader: false, body: { text: "error code: 524" } },
    log: [{ method: "POST", path: `${WS}/ws-a/resume`, workspaceId: "ws-a", status: 524 }],
  },
  {
    name: "pause paths match case-insensitively, the id percent-decoded",
    method: "POST",
    path: `${WS}/ws%41/PAUSE`,
    expect: { status: 200, statusText: "OK", contentType: "application/json", lengthHeader: true, body: { json: { status: "paused", paused_count: 1 } } },
    log: [{ method: "POST", path: `${WS}/ws%41/PAUSE`, workspaceId: "wsA", status: 200 }],
  },
  {
    name: "an invalid id on a pause is refused",
    method: "POST",
    path: `${WS}/ws%20a/pause`,
    expect: INVALID_ID,
    log: [{ method: "POST", path: `${WS}/ws%20a/pause`, workspaceId: "ws a", status: 400 }],
  },
  { name: "a malformed escape in a resume's id", method: "POST", path: `${WS}/%E0%A4%A/resume`, expect: URI_MALFORMED, log: [] },

  // Everything else under /api/platform: 404, logged with the request's own method.
  { name: "GET on the a2a path", method: "GET", path: `${WS}/ws-a/a2a`, expect: NOT_FOUND, log: [{ method: "GET", path: `${WS}/ws-a/a2a`, status: 404 }] },
  { name: "PUT on the a2a path", method: "PUT", path: `${WS}/ws-a/a2a`, body: GET_TASK, expect: NOT_FOUND, log: [{ method: "PUT", path: `${WS}/ws-a/a2a`, status: 404 }] },
  { name: "DELETE on the restart path", method: "DELETE", path: `${WS}/ws-a/restart`, expect: NOT_FOUND, log: [{ method: "DELETE", path: `${WS}/ws-a/restart`, status: 404 }] },
  { name: "GET on the pause path", method: "GET", path: `${WS}/ws-a/pause`, expect: NOT_FOUND, log: [{ method: "GET", path: `${WS}/ws-a/pause`, status: 404 }] },
  { name: "PUT on the resume path", method: "PUT", path: `${WS}/ws-a/resume`, expect: NOT_FOUND, log: [{ method: "PUT", path: `${WS}/ws-a/resume`, status: 404 }] },
  { name: "an extra segment after resume", method: "POST", path: `${WS}/ws-a/resume/extra`, expect: NOT_FOUND, log: [{ method: "POST", path: `${WS}/ws-a/resume/extra`, status: 404 }] },
  { name: "POST on /workspaces", method: "POST", path: WS, body: "{}", expect: NOT_FOUND, log: [{ method: "POST", path: WS, status: 404 }] },
  { name: "PATCH on an unknown path", method: "PATCH", path: "/api/platform/whatever", body: "{}", expect: NOT_FOUND, log: [{ method: "PATCH", path: "/api/platform/whatever", status: 404 }] },
  { name: "an unknown path", method: "GET", path: "/api/platform/secrets", expect: NOT_FOUND, log: [{ method: "GET", path: "/api/platform/secrets", status: 404 }] },
  { name: "the bare base with a slash", method: "GET", path: "/api/platform/", expect: NOT_FOUND, log: [{ method: "GET", path: "/api/platform/", status: 404 }] },
  { name: "two trailing slashes", method: "GET", path: `${WS}//`, expect: NOT_FOUND, log: [{ method: "GET", path: `${WS}//`, status: 404 }] },
  { name: "an extra segment after /workspaces", method: "GET", path: `${WS}/extra`, expect: NOT_FOUND, log: [{ method: "GET", path: `${WS}/extra`, status: 404 }] },
  { name: "an extra segment after a2a", method: "POST", path: `${WS}/ws-a/a2a/extra`, body: GET_TASK, expect: NOT_FOUND, log: [{ method: "POST", path: `${WS}/ws-a/a2a/extra`, status: 404 }] },
  { name: "an extra segment before a2a", method: "POST", path: `${WS}/ws-a/x/a2a`, body: GET_TASK, expect: NOT_FOUND, log: [{ method: "POST", path: `${WS}/ws-a/x/a2a`, status: 404 }] },
  { name: "an empty id", method: "POST", path: `${WS}//a2a`, body: GET_TASK, expect: NOT_FOUND, log: [{ method: "POST", path: `${WS}//a2a`, status: 404 }] },
  { name: "two trailing slashes after restart", method: "POST", path: `${WS}/ws-a/restart//`, expect: NOT_FOUND, log: [{ method: "POST", path: `${WS}/ws-a/restart//`, status: 404 }] },
  {
    name: "POST on the events path (only GET belongs to the event stream)",
    method: "POST",
    path: "/api/platform/events",
    body: "{}",
    expect: NOT_FOUND,
    log: [{ method: "POST", path: "/api/platform/events", status: 404 }],
  },
  { name: "a malformed escape anywhere under /api/platform", method: "GET", path: "/api/platform/secrets/%E0%A4%A", expect: URI_MALFORMED, log: [] },
];

/** One simulation per case: three agents, zero latency, on a fake clock. */
export function caseSimulation(latencyMs = 0) {
  const clock = new FakeClock();
  const scenario = scenarioOf([{ id: "ws-a" }, { id: "wsA" }, { id: "ws-hangs", behaviour: { faults: [{ answer: { kind: "hang" } }] } }]);
  const sim = createFleetSimulation({ scenario: { ...scenario, latencyMs }, clock });
  return { sim, clock };
}

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

async function checkResponse(response: Response, expected: ExpectedResponse) {
  const text = await response.text();
  expect(response.status).toBe(expected.status);
  expect(response.statusText).toBe(expected.statusText);
  expect(response.headers.get("content-type")).toBe(expected.contentType);
  if (expected.retryAfter !== undefined) expect(response.headers.get("retry-after")).toBe(expected.retryAfter);
  if (expected.lengthHeader !== undefined) {
    expect(response.headers.get("content-length")).toBe(expected.lengthHeader ? String(utf8Length(text)) : null);
  }
  const { body } = expected;
  if ("text" in body) expect(text).toBe(body.text);
  else if ("json" in body) expect(JSON.parse(text)).toEqual(body.json);
  else expect(JSON.parse(text)).toMatchObject(body.jsonMatching as object);
}

/** The log as expected, each entry with some arrival time. */
const logged = (entries: Array<Omit<RequestLogEntry, "at">>) => entries.map((entry) => ({ at: expect.any(Number), ...entry }));

/** Every row of the table, and the flows a row cannot hold (hangs, aborts), through one adapter. */
export function describePlatformCases(adapter: string, mount: MountAdapter): void {
  describe(`the mock platform's HTTP behaviour, through ${adapter}`, () => {
    it.each(platformCases)("$method $path: $name", async (row) => {
      const { sim } = caseSimulation();
      row.arrange?.(sim);
      const send = mount(sim);
      const sent = send(row.path, { method: row.method, ...(row.body !== undefined ? { body: row.body } : {}) });
      if ("rejects" in row.expect) await expect(sent).rejects.toThrow(TypeError);
      else await checkResponse(await sent, row.expect);
      expect(sim.log.entries()).toEqual(logged(row.log));
    });

    it("answers after the scenario's latency plus the agent's delay, on the simulation's clock, held under its probe id", async () => {
      const { sim, clock } = caseSimulation(20);
      sim.setBehaviour("ws-a", { answerDelayMs: 30 });
      const send = mount(sim);
      const baseline = clock.pendingTimers();
      let answered = false;
      const pending = send(`${WS}/ws-a/a2a`, { method: "POST", body: GET_TASK, headers: { "x-fleet-probe": "7" } }).then((response) => {
        answered = true;
        return response;
      });
      await vi.waitFor(() => expect([...sim.probe.held]).toEqual(["7"]));
      expect(clock.pendingTimers()).toBe(baseline + 1);
      await clock.advance(49);
      expect(answered).toBe(false);
      expect(sim.log.entries()[0]?.status).toBeNull();
      await clock.advance(1);
      await checkResponse(await pending, TASK_NOT_FOUND);
      expect(sim.probe.held.size).toBe(0);
      expect(sim.log.entries()[0]?.status).toBe(200);
    });

    const hang = rpc("CancelTask", { id: "task-ws-hangs-1" });

    it("a hang ends when the request is aborted; the log keeps no status and the hang's timer is gone", async () => {
      const { sim, clock } = caseSimulation();
      const send = mount(sim);
      const baseline = clock.pendingTimers();
      const controller = new AbortController();
      const pending = send(`${WS}/ws-hangs/a2a`, { method: "POST", body: hang, signal: controller.signal });
      await vi.waitFor(() => expect(clock.pendingTimers()).toBeGreaterThan(baseline));
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
      await vi.waitFor(() => expect(clock.pendingTimers()).toBe(baseline));
      expect(sim.log.entries()).toEqual(
        logged([{ method: "POST", path: `${WS}/ws-hangs/a2a`, workspaceId: "ws-hangs", rpcMethod: "CancelTask", rpcParams: { id: "task-ws-hangs-1" }, rpcId: expect.any(Number), status: null }]),
      );
    });

    it("a pause whose answer hangs has happened all the same; the abort ends it, the log keeps no status", async () => {
      const { sim } = caseSimulation();
      sim.setBehaviour("ws-a", { pause: { kind: "hang" } });
      const send = mount(sim);
      const controller = new AbortController();
      const pending = send(`${WS}/ws-a/pause`, { method: "POST", signal: controller.signal });
      await vi.waitFor(() => expect(sim.log.entries()).toHaveLength(1));
      expect(sim.listRows()).toContainEqual(expect.objectContaining({ id: "ws-a", status: "paused" }));
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
      expect(sim.log.entries()).toEqual(logged([{ method: "POST", path: `${WS}/ws-a/pause`, workspaceId: "ws-a", status: null }]));
    });

    it("a hang also ends on reset, as a network error", async () => {
      const { sim } = caseSimulation();
      const send = mount(sim);
      const pending = send(`${WS}/ws-hangs/a2a`, { method: "POST", body: hang });
      await vi.waitFor(() => expect(sim.log.entries()).toHaveLength(1));
      sim.reset();
      await expect(pending).rejects.toThrow(TypeError);
    });
  });
}
