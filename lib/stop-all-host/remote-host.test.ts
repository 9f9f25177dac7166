import { describe, expect, it } from "vitest";
import { workspace } from "../fleet/testing/rows";
import type { StopAllEvent, StopAllState } from "../stop-all/types";
import { initialState } from "../stop-all/transitions";
import { FakeClock, flushMicrotasks } from "../time/fake-clock";
import type { EventSourceLike } from "./operation-stream-client";
import { createRemoteHost } from "./remote-host";
import type { OperationView } from "./wire";

class FakeEventSource implements EventSourceLike {
  readyState = 1;
  onerror: ((event: unknown) => void) | null = null;
  closed = false;
  private readonly handlers = new Map<string, ((event: { data: string }) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: { data: string }) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  emit(type: string, data: unknown) {
    for (const handler of this.handlers.get(type) ?? []) handler({ data: JSON.stringify(data) });
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
}

const T0 = 1_700_000_000_000;
const state = (): StopAllState => initialState([{ workspaceId: "ws-a", name: "A", protocol: "1.0" }, { workspaceId: "ws-b", name: "B", protocol: "1.0" }], T0, T0 + 8000);
const view = (overrides: Partial<OperationView> = {}): OperationView => ({ id: "op-1", fleet: "f", actor: "ada@example.com", reason: "runaway", startedAt: T0, leftOut: [], actions: [], seq: 0, state: state(), serverNow: T0 + 500, ...overrides });
const drained = (workspaceId: string, at = T0 + 1000): StopAllEvent => ({ type: "drained", workspaceId, at });

function harness(answers: Record<string, (init?: RequestInit) => Response>) {
  const clock = new FakeClock(T0);
  const sent: { path: string; body?: unknown }[] = [];
  const sources: FakeEventSource[] = [];
  const host = createRemoteHost({
    clock,
    createEventSource: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    fetch: async (path, init) => {
      sent.push({ path, ...(typeof init?.body === "string" ? { body: JSON.parse(init.body) } : {}) });
      const answer = answers[`${init?.method ?? "GET"} ${path}`];
      return answer ? answer(init) : Response.json({ error: "no Stop All yet" }, { status: 404 });
    },
  });
  return { clock, host, sent, sources };
}

const busy = [workspace("ws-a", { activeTasks: 1 }), workspace("ws-b", { activeTasks: 2 }), workspace("ws-idle")];

describe("the remote host", () => {
  it("starts on the server with the busy ids and the reason, then folds the stream's events with the core's reducer", async () => {
    const { host, sent, sources } = harness({ "POST /api/stop-all": () => Response.json(view(), { status: 201 }) });
    const result = await host.start(busy, { reason: "  runaway  " });
    expect(result).toMatchObject({ kind: "started" });
    expect(sent).toEqual([{ path: "/api/stop-all", body: { targets: ["ws-a", "ws-b"], reason: "runaway" } }]);
    expect(sources[0]!.url).toBe("/api/stop-all/op-1/events?after=0");
    sources[0]!.emit("op", { seq: 1, event: drained("ws-a") });
    sources[0]!.emit("op", { seq: 1, event: drained("ws-a") }); // a duplicate is ignored
    expect(host.current()!.getState().counts.settled).toBe(1);
    expect(host.info()).toMatchObject({ actor: "ada@example.com", reason: "runaway" });
    // The countdown reads the server's clock.
    expect(host.now!()).toBe(T0 + 500);
  });

  it("a second operator's start joins the running operation (409)", async () => {
    const { host } = harness({ "POST /api/stop-all": () => Response.json({ error: "a Stop All is already running for this fleet", operation: view({ actor: "bob" }) }, { status: 409 }) });
    const result = await host.start(busy);
    expect(result).toMatchObject({ kind: "joined" });
    expect(host.info()?.actor).toBe("bob");
    expect(host.notice!()).toBeUndefined();
  });

  it("a refused start says why, with what was left out", async () => {
    const { host } = harness({ "POST /api/stop-all": () => Response.json({ error: "none of the confirmed workspaces is still busy", operation: { leftOut: [{ workspaceId: "ws-a", why: "idle now (0 active tasks)" }] } }, { status: 422 }) });
    expect(await host.start(busy)).toEqual({ kind: "refused" });
    expect(host.notice!()).toBe("Nothing was stopped: 422: none of the confirmed workspaces is still busy; left out: ws-a (idle now (0 active tasks))");
    expect(host.current()).toBeUndefined();
  });

  it("a gap in the events re-opens the stream from the last event folded in", async () => {
    const { host, sources, clock } = harness({ "POST /api/stop-all": () => Response.json(view(), { status: 201 }) });
    await host.start(busy);
    sources[0]!.emit("op", { seq: 1, event: drained("ws-a") });
    sources[0]!.emit("op", { seq: 3, event: drained("ws-b") });
    expect(sources[0]!.closed).toBe(true);
    await clock.advance(0);
    expect(sources[1]!.url).toBe("/api/stop-all/op-1/events?after=1");
    sources[1]!.emit("snapshot", view({ seq: 3, state: { ...state(), phase: "finished" } }));
    expect(host.current()!.getState().phase).toBe("finished");
  });

  it("overrides go to the server as actions; a refusal becomes a notice", async () => {
    const { host, sent } = harness({
      "POST /api/stop-all": () => Response.json(view(), { status: 201 }),
      "POST /api/stop-all/op-1/actions": (init) => (JSON.parse(String(init?.body)).action === "keep" ? Response.json(view({ seq: 0 })) : Response.json({ error: "only the fleet's latest Stop All can be steered" }, { status: 409 })),
    });
    await host.start(busy);
    host.current()!.keep("ws-b");
    host.current()!.restartNow();
    await flushMicrotasks();
    expect(sent.filter((r) => r.path.endsWith("/actions")).map((r) => r.body)).toEqual([{ action: "keep", workspaceId: "ws-b" }, { action: "restart-now" }]);
    expect(host.notice!()).toBe("The server refused that (409: only the fleet's latest Stop All can be steered)");
  });

  it("finds an operation someone else started, and shows nothing when there is none", async () => {
    let current: Response | undefined = undefined;
    const { host, clock, sources } = harness({ "GET /api/stop-all/current": () => current ?? Response.json({ error: "no Stop All yet" }, { status: 404 }) });
    await host.init();
    expect(host.current()).toBeUndefined();
    current = Response.json(view({ actor: "bob" }));
    await clock.advance(3000);
    expect(host.info()?.actor).toBe("bob");
    expect(sources).toHaveLength(1);
    host.dispose();
  });

  it("an action's answer older than the events already folded in does not take the state back", async () => {
    const { host, sources } = harness({
      "POST /api/stop-all": () => Response.json(view(), { status: 201 }),
      "POST /api/stop-all/op-1/actions": () => Response.json(view({ seq: 1, actions: [{ at: T0 + 900, actor: "bob", action: "keep" }] })),
    });
    await host.start(busy);
    sources[0]!.emit("op", { seq: 1, event: drained("ws-a") });
    sources[0]!.emit("op", { seq: 2, event: drained("ws-b") });
    expect(host.current()!.getState().phase).toBe("finished");
    host.current()!.keep();
    await flushMicrotasks();
    expect(host.current()!.getState().phase).toBe("finished");
    expect(host.info()!.actions).toHaveLength(1);
  });

  it("the stream's progress says when the journal cannot be reached; the notice goes once it can", async () => {
    const { host, sources } = harness({ "POST /api/stop-all": () => Response.json(view(), { status: 201 }) });
    await host.start(busy);
    sources[0]!.emit("progress", { seq: 0, phase: "cancelling", journalProblem: "the Stop All journal cannot be reached (connect ECONNREFUSED)" });
    expect(host.notice()).toBe(
      "Stop All journal problem: the Stop All journal cannot be reached (connect ECONNREFUSED). No restart is sent that cannot be claimed in the journal; those fail, and can be retried once it is back.",
    );
    sources[0]!.emit("progress", { seq: 0, phase: "cancelling" });
    expect(host.notice()).toBeUndefined();
  });
});
