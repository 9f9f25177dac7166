import { describe, expect, it } from "vitest";
import { crossSiteReadRefusal, crossSiteRefusal } from "./same-origin";

const post = (headers: Record<string, string>) => new Request("http://canvas.local:3000/api/platform/workspaces/ws-1/restart", { method: "POST", headers });

describe("crossSiteRefusal", () => {
  it("accepts Sec-Fetch-Site: same-origin", () => {
    expect(crossSiteRefusal(post({ "sec-fetch-site": "same-origin" }))).toBeNull();
  });

  it.each(["cross-site", "same-site", "none", "weird"])("refuses Sec-Fetch-Site: %s even with a matching Origin", (site) => {
    expect(crossSiteRefusal(post({ "sec-fetch-site": site, origin: "http://canvas.local:3000" }))).toMatch(/cross-site request refused/);
  });

  it("falls back to Origin when Sec-Fetch-Site is absent", () => {
    expect(crossSiteRefusal(post({ origin: "http://canvas.local:3000" }))).toBeNull();
    expect(crossSiteRefusal(post({ origin: "http://CANVAS.local:3000" }))).toBeNull();
    expect(crossSiteRefusal(post({ origin: "https://proxy.example", "x-forwarded-host": "proxy.example" }))).toBeNull();
  });

  it.each([
    ["https://evil.example", /not this app's origin/],
    ["http://canvas.local:3001", /not this app's origin/],
    ["http://canvas.local.evil.example:3000", /not this app's origin/],
    ["null", /Origin is null/],
    ["file://", /not an http\(s\) origin/],
    ["garbage", /not an http\(s\) origin/],
  ])("refuses Origin %s", (origin, reason) => {
    expect(crossSiteRefusal(post({ origin }))).toMatch(reason);
  });

  it("refuses a request with neither header and never echoes header values", () => {
    expect(crossSiteRefusal(post({}))).toMatch(/neither Sec-Fetch-Site nor Origin/);
    expect(crossSiteRefusal(post({ origin: "https://evil.example" }))).not.toContain("evil");
  });
});

describe("crossSiteReadRefusal", () => {
  const get = (headers: Record<string, string>) => new Request("http://canvas.local:3000/api/platform/events", { headers });
  it("lets the app, typed URLs and tools read", () => {
    const cases: Record<string, string>[] = [{ "sec-fetch-site": "same-origin" }, { "sec-fetch-site": "none" }, {}];
    for (const headers of cases) expect(crossSiteReadRefusal(get(headers))).toBeNull();
  });
  it.each(["cross-site", "same-site"])("refuses Sec-Fetch-Site: %s", (site) => {
    expect(crossSiteReadRefusal(get({ "sec-fetch-site": site }))).toBe(`cross-site read refused: Sec-Fetch-Site is ${site}`);
  });
});
