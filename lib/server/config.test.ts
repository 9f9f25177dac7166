import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const { parseServerConfig } = await import("./config");

describe("parseServerConfig", () => {
  it("is mock mode without PLATFORM_URL", () => {
    expect(parseServerConfig({})).toEqual({ mode: "mock" });
    expect(parseServerConfig({ PLATFORM_URL: "  ", PLATFORM_TOKEN: "secret-token" })).toEqual({ mode: "mock" });
  });

  it("normalises a live URL to end with a slash and keeps the token", () => {
    expect(parseServerConfig({ PLATFORM_URL: " https://platform.example/api ", PLATFORM_TOKEN: "tok_123\n" })).toEqual({
      mode: "live",
      platformUrl: "https://platform.example/api/",
      token: "tok_123",
    });
    expect(parseServerConfig({ PLATFORM_URL: "http://127.0.0.1:8080" })).toEqual({ mode: "live", platformUrl: "http://127.0.0.1:8080/", token: null });
  });

  it.each([
    ["not a url", /absolute http\(s\) URL/],
    ["localhost:8080", /must use http: or https:/],
    ["ftp://platform.example", /must use http: or https:/],
    ["javascript:alert(1)", /must use http: or https:/],
    ["ws://platform.example", /must use http: or https:/],
    ["https://user:pw@platform.example", /must not contain user:password/],
    ["https://platform.example/?a=1", /query string or fragment/],
    ["https://platform.example/#x", /query string or fragment/],
  ])("refuses PLATFORM_URL %j with a clear message", (url, message) => {
    expect(() => parseServerConfig({ PLATFORM_URL: url })).toThrow(message);
  });

  it("refuses a token that cannot go into a header, without printing it", () => {
    for (const token of ["has space", "line\nbreak", "tab\tx", "ünïcode"]) {
      let message = "";
      try {
        parseServerConfig({ PLATFORM_URL: "http://127.0.0.1:1", PLATFORM_TOKEN: token });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/PLATFORM_TOKEN must be printable ASCII/);
      expect(message).not.toContain(token);
    }
  });

  it("does not print credentials from a URL", () => {
    expect(() => parseServerConfig({ PLATFORM_URL: "https://admin:hunter2@platform.example" })).toThrow(/^((?!hunter2).)*$/);
  });
});
