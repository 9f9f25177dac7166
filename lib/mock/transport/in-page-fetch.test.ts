import { describe, expect, it, vi } from "vitest";
import type { FetchLike } from "../../platform/client";
import { flushMicrotasks } from "../../time/fake-clock";
import { caseSimulation, describePlatformCases } from "../router/testing/platform-cases";
import type { FleetSimulation } from "../sim/fleet-simulation";
import { rpc } from "../sim/testing/harness";
import { createInPageFetch } from "./in-page-fetch";

const PAGE = "http://canvas.test/?scenario=test";
const refuse: FetchLike = (input) => Promise.reject(new Error(`fell through to the real fetch: ${input}`));

function transport(sim: FleetSimulation | (() => FleetSimulation | undefined), fallback: FetchLike = refuse) {
  return createInPageFetch({ simulation: typeof sim === "function" ? sim : () => sim, baseUrl: () => PAGE, fallback });
}

/** Settles `promise` into a flag, to check it has not settled while only microtasks ran. */
function watch<T>(promise: Promise<T>) {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

describePlatformCases("the in-page transport", (sim) => transport(sim));

describe("the in-page transport", () => {
  const cancelHang = () => ({ method: "POST", body: rpc("CancelTask", { id: "task-ws-hangs-1" }) });

  it("answers with a real Response that knows its URL", async () => {
    const { sim } = caseSimulation();
    const response = await transport(sim)("/api/platform/workspaces?x=1");
    expect(response).toBeInstanceOf(Response);
    expect(response.url).toBe("http://canvas.test/api/platform/workspaces?x=1");
  });

  it("delivers an answer in a later macrotask, never in the task that sent the request", async () => {
    const { sim } = caseSimulation();
    const sent = transport(sim)("/api/platform/workspaces");
    const state = watch(sent);
    await flushMicrotasks(50);
    expect(sim.log.entries()).toHaveLength(1);
    expect(state.settled).toBe(false);
    expect((await sent).status).toBe(200);
  });

  it("hands answers back as `deliver` says, made by `makeResponse`: at once, for a world on a fake clock", async () => {
    const { sim } = caseSimulation();
    const made: number[] = [];
    const send = createInPageFetch({
      simulation: () => sim,
      baseUrl: () => PAGE,
      fallback: refuse,
      deliver: (answer) => answer(),
      makeResponse: (answer) => {
        made.push(answer.status);
        return new Response(answer.body, { status: answer.status, headers: answer.headers });
      },
    });
    const state = watch(send("/api/platform/workspaces"));
    await flushMicrotasks(50);
    expect(state.settled).toBe(true);
    expect(made).toEqual([200]);
  });

  it("delivers a network error in a later macrotask too, as TypeError('Failed to fetch')", async () => {
    const { sim } = caseSimulation();
    sim.setBehaviour("ws-a", { restart: { kind: "connection-refused" } });
    const sent = transport(sim)("/api/platform/workspaces/ws-a/restart", { method: "POST" });
    const state = watch(sent);
    await flushMicrotasks(50);
    expect(state.settled).toBe(false);
    await expect(sent).rejects.toThrow(new TypeError("Failed to fetch"));
  });

  it("an already aborted signal rejects with an AbortError, later, and the simulation never sees the request", async () => {
    const { sim } = caseSimulation();
    const controller = new AbortController();
    controller.abort();
    const sent = transport(sim)("/api/platform/workspaces/ws-a/restart", { method: "POST", signal: controller.signal });
    const state = watch(sent);
    await flushMicrotasks(50);
    expect(state.settled).toBe(false);
    const error: unknown = await sent.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("AbortError");
    expect(sim.log.entries()).toEqual([]);
    expect(sim.behaviourOf("ws-a")).toBeDefined();
  });

  it("an abort while a hang waits rejects with an AbortError and ends the hang on the simulation's side", async () => {
    const { sim, clock } = caseSimulation();
    const baseline = clock.pendingTimers();
    const controller = new AbortController();
    const sent = transport(sim)("/api/platform/workspaces/ws-hangs/a2a", { ...cancelHang(), signal: controller.signal });
    await vi.waitFor(() => expect(clock.pendingTimers()).toBe(baseline + 1));
    controller.abort();
    expect(clock.pendingTimers()).toBe(baseline);
    const error: unknown = await sent.catch((caught: unknown) => caught);
    expect((error as DOMException).name).toBe("AbortError");
    expect(sim.log.entries()).toMatchObject([{ workspaceId: "ws-hangs", rpcMethod: "CancelTask", status: null }]);
  });

  it("rejects with the signal's own reason, as fetch does", async () => {
    const { sim } = caseSimulation();
    const controller = new AbortController();
    const sent = transport(sim)("/api/platform/workspaces/ws-hangs/a2a", { ...cancelHang(), signal: controller.signal });
    controller.abort(new Error("operation over"));
    await expect(sent).rejects.toThrow("operation over");
  });

  it("an abort after the answer arrived changes nothing", async () => {
    const { sim } = caseSimulation();
    const controller = new AbortController();
    const response = await transport(sim)("/api/platform/workspaces", { signal: controller.signal });
    controller.abort();
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveLength(3);
  });

  it("a hang that ends (reset) rejects with TypeError('Failed to fetch')", async () => {
    const { sim } = caseSimulation();
    const sent = transport(sim)("/api/platform/workspaces/ws-hangs/a2a", cancelHang());
    await vi.waitFor(() => expect(sim.log.entries()).toHaveLength(1));
    sim.reset();
    await expect(sent).rejects.toThrow(new TypeError("Failed to fetch"));
  });

  it("reads a body that is not a string", async () => {
    const { sim } = caseSimulation();
    const body = new Blob([rpc("GetTask", { id: "task-x" }, 4)]);
    const response = await transport(sim)("/api/platform/workspaces/ws-a/a2a", { method: "POST", body });
    expect(await response.json()).toMatchObject({ id: 4 });
    expect(sim.log.entries()).toMatchObject([{ rpcMethod: "GetTask", rpcId: 4, status: 200 }]);
  });

  it("asks whichever simulation is running at the time of the request", async () => {
    const first = caseSimulation().sim;
    const second = caseSimulation().sim;
    let running: FleetSimulation | undefined = first;
    const send = transport(() => running);
    await send("/api/platform/workspaces");
    running = second;
    await send("/api/platform/secrets");
    expect(first.log.entries().map((entry) => entry.path)).toEqual(["/api/platform/workspaces"]);
    expect(second.log.entries().map((entry) => entry.path)).toEqual(["/api/platform/secrets"]);
  });

  it.each([
    ["the event stream", "/api/platform/events", undefined],
    ["another origin", "http://elsewhere.test/api/platform/workspaces", undefined],
    ["a path outside the platform", "/_next/static/app.js", undefined],
    ["the base without a slash", "/api/platform", undefined],
    ["a GET with a body (fetch rejects it)", "/api/platform/workspaces", { body: "x" }],
    ["a forbidden method (fetch rejects it)", "/api/platform/workspaces", { method: "TRACE" }],
    ["an invalid header (fetch rejects it)", "/api/platform/workspaces", { headers: { "bad header": "x" } }],
  ])("hands %s to the real fetch, untouched", async (_, input, init?: RequestInit) => {
    const { sim } = caseSimulation();
    const real = new Response("from the real fetch");
    const fallback = vi.fn<FetchLike>(() => Promise.resolve(real));
    expect(await transport(sim, fallback)(input, init)).toBe(real);
    expect(fallback).toHaveBeenCalledWith(input, init);
    expect(sim.log.entries()).toEqual([]);
  });

  it("hands everything to the real fetch while no simulation runs", async () => {
    const real = new Response("from the real fetch");
    const fallback = vi.fn<FetchLike>(() => Promise.resolve(real));
    expect(await transport(() => undefined, fallback)("/api/platform/workspaces")).toBe(real);
    expect(fallback).toHaveBeenCalledOnce();
  });
});
