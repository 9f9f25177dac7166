import { describe, expect, it } from "vitest";
import { matchProxyRoute, proxySegments, UNKNOWN_PATH } from "./route-table";

describe("matchProxyRoute", () => {
  it("allows exactly the one call the browser makes through it: GET /workspaces", () => {
    expect(matchProxyRoute("GET", ["workspaces"])).toEqual({ ok: true, call: { kind: "list", method: "GET", upstreamPath: "workspaces" } });
  });

  it.each([
    ["POST", "a2a"],
    ["POST", "restart"],
    ["GET", "a2a"],
    ["GET", "restart"],
  ])("answers %s /workspaces/:id/%s with 404: Stop All's calls are the server's own", (method, action) => {
    for (const id of ["ws-1", "3f2c9a1e-0b7d-4e55-9c1a-2b8d7e6f5a40"]) {
      expect(matchProxyRoute(method, ["workspaces", id, action])).toEqual({ ok: false, status: 404, error: UNKNOWN_PATH });
    }
  });

  it("says what is forwarded and where Stop All runs", () => {
    expect(UNKNOWN_PATH).toBe("unknown platform path: only GET /workspaces is forwarded; Stop All runs on the canvas server (/api/stop-all)");
  });

  it.each([
    ["..", "dot-dot"],
    ["%2e%2e", "encoded dot-dot"],
    ["a%2Fb", "encoded slash"],
    ["ws-1%00", "encoded NUL"],
    ["ws-1\u0000", "raw NUL"],
    ["", "empty"],
    ["a".repeat(300), "300 characters"],
    ["ws-1?x=1", "query"],
  ])("answers 404 for a hostile id %j (%s) in a former Stop All path, whatever the method", (id) => {
    for (const method of ["GET", "POST"]) {
      expect(matchProxyRoute(method, ["workspaces", id, "a2a"])).toEqual({ ok: false, status: 404, error: UNKNOWN_PATH });
      expect(matchProxyRoute(method, ["workspaces", id, "restart"])).toEqual({ ok: false, status: 404, error: UNKNOWN_PATH });
    }
  });

  it("answers 404 for paths outside the allow-list", () => {
    for (const segments of [
      ["events"],
      ["ws"],
      ["workspaces", ""],
      ["workspaces", "ws-1"],
      ["workspaces", "ws-1", "delete"],
      ["workspaces", "ws-1", "pause"],
      ["workspaces", "ws-1", "a2a", ""],
      ["workspaces", "a", "b", "a2a"],
      ["Workspaces"],
      ["workspaces%2F"],
      ["admin"],
      [""],
      ["_test", "requests"],
    ]) {
      for (const method of ["GET", "POST", "PUT", "DELETE"]) expect(matchProxyRoute(method, segments)).toMatchObject({ ok: false, status: 404 });
    }
  });

  it("answers 405 with Allow for /workspaces and another method", () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "HEAD"]) {
      expect(matchProxyRoute(method, ["workspaces"])).toEqual({ ok: false, status: 405, error: "method not allowed: /workspaces only supports GET", allow: "GET" });
    }
  });
});

describe("proxySegments", () => {
  it("keeps the raw, still encoded segments", () => {
    expect(proxySegments("/api/platform/workspaces/a%2Fb/a2a")).toEqual(["workspaces", "a%2Fb", "a2a"]);
    expect(proxySegments("/api/platform/workspaces")).toEqual(["workspaces"]);
    expect(proxySegments("/elsewhere")).toBeNull();
    expect(proxySegments("/api/platformworkspaces")).toBeNull();
  });
});
