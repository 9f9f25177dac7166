import { describe, expect, it } from "vitest";
import { matchProxyRoute, proxySegments } from "./route-table";

const a2a = (id: string) => matchProxyRoute("POST", ["workspaces", id, "a2a"]);

describe("matchProxyRoute", () => {
  it("allows exactly the three calls the canvas makes", () => {
    expect(matchProxyRoute("GET", ["workspaces"])).toEqual({ ok: true, call: { kind: "list", method: "GET", upstreamPath: "workspaces" } });
    expect(a2a("ws-1")).toEqual({ ok: true, call: { kind: "a2a", method: "POST", upstreamPath: "workspaces/ws-1/a2a", workspaceId: "ws-1" } });
    expect(matchProxyRoute("POST", ["workspaces", "3f2c9a1e-0b7d-4e55-9c1a-2b8d7e6f5a40", "restart"])).toMatchObject({
      ok: true,
      call: { kind: "restart", upstreamPath: "workspaces/3f2c9a1e-0b7d-4e55-9c1a-2b8d7e6f5a40/restart" },
    });
  });

  it.each([
    ["..", "dot-dot"],
    [".", "dot"],
    ["%2e%2e", "encoded dot-dot"],
    ["%2E%2E", "upper-case encoded dot-dot"],
    ["a%2Fb", "encoded slash"],
    ["a%5Cb", "encoded backslash"],
    ["ws-1%00", "encoded NUL"],
    ["ws-1\u0000", "raw NUL"],
    ["ws 1", "space"],
    ["ws-1%20", "encoded space"],
    ["wś-1", "unicode"],
    ["%C3%A9", "encoded unicode"],
    ["ｗｓ１", "full-width letters"],
    ["", "empty"],
    ["-ws", "leading dash"],
    ["_ws", "leading underscore"],
    ["a".repeat(129), "129 characters"],
    ["ws-1?x=1", "query"],
    ["ws-1#frag", "fragment"],
    ["ws-1;x", "matrix parameter"],
    ["ws\\1", "backslash"],
  ])("refuses hostile id %j (%s) with 400 before it reaches a path", (id) => {
    expect(a2a(id)).toEqual({ ok: false, status: 400, error: expect.stringContaining("invalid workspace id") });
  });

  it("accepts a 128-character id and refuses extra path segments", () => {
    expect(a2a("a".repeat(128)).ok).toBe(true);
    expect(matchProxyRoute("POST", ["workspaces", "a", "b", "a2a"])).toMatchObject({ ok: false, status: 404 });
    expect(matchProxyRoute("POST", ["workspaces", "ws-1", "a2a", ""])).toMatchObject({ ok: false, status: 404 });
  });

  it("answers 404 for paths outside the allow-list", () => {
    for (const segments of [["events"], ["workspaces", ""], ["workspaces", "ws-1"], ["workspaces", "ws-1", "delete"], ["admin"], [""], ["workspaces", "ws-1", "A2A"]]) {
      expect(matchProxyRoute("POST", segments)).toMatchObject({ ok: false, status: 404 });
    }
  });

  it("answers 405 with Allow for a known path and the wrong method", () => {
    expect(matchProxyRoute("POST", ["workspaces"])).toMatchObject({ ok: false, status: 405, allow: "GET" });
    expect(matchProxyRoute("GET", ["workspaces", "ws-1", "a2a"])).toMatchObject({ ok: false, status: 405, allow: "POST" });
    expect(matchProxyRoute("GET", ["workspaces", "ws-1", "restart"])).toMatchObject({ ok: false, status: 405, allow: "POST" });
  });
});

describe("proxySegments", () => {
  it("keeps the raw, still encoded segments", () => {
    expect(proxySegments("/api/platform/workspaces/a%2Fb/a2a")).toEqual(["workspaces", "a%2Fb", "a2a"]);
    expect(proxySegments("/elsewhere")).toBeNull();
  });
});
