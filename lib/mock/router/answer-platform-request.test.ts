import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { answerPlatformRequest, ownsPlatformRequest, toResponse, type HttpAnswer, type PlatformRequest } from "./answer-platform-request";
import { statusTextOf } from "./status-text";
import { caseSimulation } from "./testing/platform-cases";

const request = (method: string, path: string, body = ""): PlatformRequest => ({
  method,
  path,
  headers: new Headers(),
  body,
  signal: new AbortController().signal,
});

describe("ownsPlatformRequest", () => {
  it.each([
    ["GET", "/api/platform/workspaces", true],
    ["POST", "/api/platform/anything/at/all", true],
    ["GET", "/api/platform/", true],
    ["POST", "/api/platform/events", true],
    ["HEAD", "/api/platform/events", true],
    ["GET", "/api/platform/events", false],
    ["get", "/api/platform/events/", false],
    ["GET", "/API/PLATFORM/EVENTS", false],
    ["GET", "/api/platform", false],
    ["GET", "/api/platformx", false],
    ["GET", "/", false],
    ["GET", "/_next/static/chunk.js", false],
  ])("%s %s → %s", (method, path, owned) => {
    expect(ownsPlatformRequest(method, path)).toBe(owned);
  });
});

describe("answerPlatformRequest", () => {
  it("leaves what it does not own to the caller, without logging it", async () => {
    const { sim } = caseSimulation();
    expect(await answerPlatformRequest(sim, request("GET", "/api/platform/events"))).toBeUndefined();
    expect(await answerPlatformRequest(sim, request("GET", "/favicon.ico"))).toBeUndefined();
    expect(sim.log.entries()).toEqual([]);
  });

  it("answers an exception in the simulation as MSW did: 500 with the error, the entry left without status", async () => {
    const { sim } = caseSimulation();
    sim.handleRestart = () => {
      throw new Error("simulation bug");
    };
    const answer = await answerPlatformRequest(sim, request("POST", "/api/platform/workspaces/ws-a/restart"));
    expect(answer?.kind).toBe("response");
    const response = toResponse(answer as HttpAnswer);
    expect(response.status).toBe(500);
    expect(response.statusText).toBe("Request Handler Error");
    expect(await response.json()).toMatchObject({ name: "Error", message: "simulation bug" });
    expect(sim.log.entries()).toMatchObject([{ workspaceId: "ws-a", status: null }]);
  });
});

describe("statusTextOf", () => {
  it("gives every status the reason phrase MSW's HttpResponse gives it", () => {
    for (let status = 200; status <= 599; status++) {
      expect(statusTextOf(status), String(status)).toBe(new HttpResponse(null, { status }).statusText);
    }
  });
});
