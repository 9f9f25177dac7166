import { describe, expect, it, vi } from "vitest";
import type { OperationView } from "../../stop-all-host/wire";

vi.mock("server-only", () => ({}));
const { createStopAllHandlers, MAX_STREAMS_PER_CLIENT } = await import("./handlers");

const APP = "http://canvas.test:3000/api/stop-all";
const SAME = { "sec-fetch-site": "same-origin" };
const view = { id: "op-1", fleet: "f", actor: "ada", reason: "", startedAt: 0, leftOut: [], actions: [], seq: 0, state: { phase: "cancelling", counts: {} } } as unknown as OperationView;

function handlers(options: { authUserHeader?: string; ok?: boolean } = {}) {
  const calls: { start: unknown[]; act: unknown[] } = { start: [], act: [] };
  const service = {
    start: async (request: unknown, actor: string) => (calls.start.push([request, actor]), { status: 201, body: view }),
    act: async (id: string, request: unknown, actor: string) => (calls.act.push([id, request, actor]), { status: 200, body: view }),
    current: async () => view,
    view: async (id: string) => (id === "op-1" ? view : undefined),
    recent: async () => [],
    watch: async (_id: string, _after: number | undefined, send: (message: unknown) => void) => {
      send({ kind: "snapshot", view });
      return () => {};
    },
  };
  const access = async () =>
    options.ok === false ? { ok: false as const, status: 503, error: "Stop All is unavailable: the Stop All journal cannot be reached (connect ECONNREFUSED)" } : { ok: true as const, service: service as never, authUserHeader: options.authUserHeader };
  return { ...createStopAllHandlers(access), calls };
}

const post = (path: string, body: unknown, headers: Record<string, string> = SAME) =>
  new Request(`${APP}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("/api/stop-all handlers", () => {
  it("starts with the confirmed ids, the reason and the actor from the trusted header", async () => {
    const h = handlers({ authUserHeader: "x-forwarded-email" });
    const answer = await h.start(post("", { targets: ["ws-1"], reason: "loop" }, { ...SAME, "x-forwarded-email": "ada@example.com" }));
    expect(answer.status).toBe(201);
    expect(h.calls.start).toEqual([[{ targets: ["ws-1"], reason: "loop" }, "ada@example.com"]]);
  });

  it("without AUTH_USER_HEADER every actor is anonymous, whatever a client sends", async () => {
    const h = handlers();
    await h.start(post("", { targets: ["ws-1"] }, { ...SAME, "x-forwarded-email": "mallory@example.com" }));
    expect(h.calls.start).toEqual([[{ targets: ["ws-1"] }, "anonymous"]]);
  });

  it.each([
    [{ "sec-fetch-site": "cross-site" }],
    [{ "sec-fetch-site": "same-site" }],
    [{ origin: "https://evil.example" }],
    [{ origin: "null" }],
    [{}],
  ])("refuses a write that is not same-origin (%j): 403, nothing started or steered", async (headers) => {
    const h = handlers();
    expect((await h.start(post("", { targets: ["ws-1"] }, headers))).status).toBe(403);
    expect((await h.act(post("/op-1/actions", { action: "keep" }, headers), "op-1")).status).toBe(403);
    expect([h.calls.start, h.calls.act]).toEqual([[], []]);
  });

  it("refuses a cross-site read of the history, the current operation and an operation's event stream", async () => {
    const h = handlers();
    const read = (path: string) => new Request(`${APP}${path}`, { headers: { "sec-fetch-site": "cross-site" } });
    expect((await h.list(read(""))).status).toBe(403);
    expect((await h.current(read("/current"))).status).toBe(403);
    expect((await h.events(read("/op-1/events"), "op-1")).status).toBe(403);
  });

  it.each([
    ["not JSON", "{", /the body is not valid JSON/],
    ["no targets", {}, /targets/],
    ["an empty list", { targets: [] }, /targets must name at least one workspace/],
    ["a long reason", { targets: ["ws-1"], reason: "x".repeat(501) }, /reason must be at most 500 characters/],
    ["an unknown field", { targets: ["ws-1"], force: true }, /force/],
  ])("a bad start body (%s) is 400 with what to fix", async (_, body, message) => {
    const answer = await handlers().start(post("", body));
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toMatch(message);
  });

  it("a body that is not JSON by its type is 415; an action must be one of the three", async () => {
    const h = handlers();
    expect((await h.start(new Request(APP, { method: "POST", headers: { ...SAME, "content-type": "text/plain" }, body: "{}" }))).status).toBe(415);
    const bad = await h.act(post("/op-1/actions", { action: "delete" }), "op-1");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/action/);
    expect((await h.act(post("/bad id/actions", { action: "keep" }), "bad id")).status).toBe(400);
  });

  it("bounds the event streams one client holds open", async () => {
    const h = handlers({ authUserHeader: "x-forwarded-email" });
    const open = () => h.events(new Request(`${APP}/op-1/events`, { headers: { ...SAME, "x-forwarded-email": "ada@example.com" } }), "op-1");
    const streams = [];
    for (let i = 0; i < MAX_STREAMS_PER_CLIENT; i++) streams.push(await open());
    expect(streams.every((s) => s.status === 200 && s.headers.get("content-type")?.startsWith("text/event-stream"))).toBe(true);
    expect((await open()).status).toBe(429);
    await streams[0]!.body!.cancel();
    expect((await open()).status).toBe(200);
  });

  it("says why when the journal cannot be reached (503)", async () => {
    const answer = await handlers({ ok: false }).start(post("", { targets: ["ws-1"] }));
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { error: string }).error).toMatch(/journal cannot be reached/);
  });
});
