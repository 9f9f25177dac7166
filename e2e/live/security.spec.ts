import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { LIVE_APP_URL, LIVE_TOKEN } from "./env";
import { expect, test } from "./fixtures";

const APP_ORIGIN = new URL(LIVE_APP_URL).origin;

/**
 * A page another site would serve: a form POST (a "simple" request, sent
 * without CORS preflight) to restart a workspace, a no-cors fetch that
 * would cancel tasks, an EventSource on the fleet's events, and an iframe
 * of the canvas.
 */
const ATTACKER_PAGE = `<!doctype html><title>another site</title>
<iframe name="sink"></iframe>
<form id="restart" method="POST" action="${LIVE_APP_URL}/api/platform/workspaces/busy-v1/restart" target="sink"></form>
<iframe src="${LIVE_APP_URL}/"></iframe>
<script>
  fetch("${LIVE_APP_URL}/api/platform/workspaces/busy-v1/a2a", { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ListTasks", params: {} }) }).catch(() => {});
  new EventSource("${LIVE_APP_URL}/api/platform/events");
  document.getElementById("restart").submit();
</script>`;

async function serveAttackerPage(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(ATTACKER_PAGE));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test.describe("live mode keeps the platform behind the app", () => {
  test("the browser talks only to the app's origin and never receives the token", async ({ page, request, platform, canvas, stopAll, network }) => {
    await page.goto("/");
    await expect(canvas.connection()).toHaveAccessibleName("Live connection: Live");
    await platform.startTask("busy-v03", "review pull request 42");
    await expect(stopAll.button()).toHaveText("Stop All (2)");
    await stopAll.start();
    await expect(stopAll.summary()).toHaveText(/: 2 drained$/);

    // Reads, events and Stop All's writes all went to the app itself.
    expect(network.foreignRequests(APP_ORIGIN)).toEqual([]);
    expect(network.webSockets).toEqual([]);
    const proxied = network.requests.map((r) => r.url()).filter((url) => url.startsWith(`${APP_ORIGIN}/api/platform/`)).map((url) => new URL(url).pathname);
    expect(proxied).toEqual(expect.arrayContaining(["/api/platform/workspaces", "/api/platform/events", "/api/platform/workspaces/busy-v1/a2a", "/api/platform/workspaces/busy-v03/a2a"]));
    // The log does hold what the browser received (so the search below is not vacuous)…
    expect(await network.occurrences("refactor the billing module")).not.toEqual([]);
    expect(network.eventSourceMessages.some((message) => message.includes('"TASK_UPDATED"'))).toBe(true);
    // …and what came back (headers, bodies, every event-stream message, the DOM) never holds the token.
    expect(await network.occurrences(LIVE_TOKEN)).toEqual([]);

    const html = await request.get("/");
    expect(await html.text()).not.toContain(LIVE_TOKEN);
    const stored = await page.evaluate(() => [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].join("\n"));
    expect(stored).not.toContain(LIVE_TOKEN);
  });

  test("the proxy forwards only the canvas's calls, with the token added server-side", async ({ request, platform }) => {
    const sameOrigin = { origin: APP_ORIGIN, "content-type": "application/json" };
    const rpc = (method: string, params: unknown = {}) => ({ jsonrpc: "2.0", id: 1, method, params });

    // A method outside the allow-list (this one would make the agent work) is refused.
    const send = await request.post("/api/platform/workspaces/busy-v1/a2a", { headers: sameOrigin, data: rpc("SendMessage", { message: { role: "ROLE_USER", parts: [{ text: "hi" }] } }) });
    expect(send.status()).toBe(403);
    // Paths outside the allow-list, and ids that are not ids, never reach the platform.
    expect((await request.get("/api/platform/_test/requests")).status()).toBe(404);
    expect((await request.post("/api/platform/_test/reset", { headers: sameOrigin })).status()).toBe(404);
    expect((await request.post("/api/platform/workspaces/..%2f_test%2freset/restart", { headers: sameOrigin })).status()).toBe(400);
    expect((await request.get("/api/platform/ws")).status()).toBe(404);
    // A write with neither Sec-Fetch-Site nor Origin is refused (CSRF rule).
    expect((await request.post("/api/platform/workspaces/busy-v1/restart")).status()).toBe(403);
    expect(await platform.requests()).toEqual([]);

    // An allowed call is forwarded, with the bearer token the browser never sends.
    const tasks = await platform.tasks("busy-v1");
    const get = await request.post("/api/platform/workspaces/busy-v1/a2a", { headers: sameOrigin, data: rpc("GetTask", { id: tasks[0]!.id }) });
    expect(get.status()).toBe(200);
    expect(await get.json()).toMatchObject({ result: { id: tasks[0]!.id, status: { state: "TASK_STATE_WORKING" } } });
    expect(JSON.stringify(get.headers())).not.toContain(LIVE_TOKEN);
    const forwarded = await platform.requests();
    expect(forwarded.map((r) => [r.method, r.path])).toEqual([["POST", "/workspaces/busy-v1/a2a"]]);
    expect(forwarded[0]!.headers.authorization).toBe(`Bearer ${LIVE_TOKEN}`);
  });

  test("another site can neither drive the proxy, nor read the event stream, nor frame the canvas", async ({ page, request, platform }) => {
    // The security headers every page and route answer carries.
    const headers = (await request.get("/")).headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).toContain("connect-src 'self'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");

    // A page on another origin, in the operator's browser, tries everything at once. It is served
    // from loopback like the app: Chromium blocks a public page's requests to loopback by itself
    // (Local Network Access), which would hide whether the app refuses them.
    const attacker = await serveAttackerPage();
    try {
      // localhost vs 127.0.0.1: cross-site. Another port of 127.0.0.1: same-site, not same-origin.
      for (const origin of [`http://localhost:${attacker.port}`, `http://127.0.0.1:${attacker.port}`]) {
        const answered = (method: string, path: string) =>
          page.waitForResponse((r) => r.request().method() === method && r.url() === `${LIVE_APP_URL}${path}`);
        const writes = Promise.all([answered("POST", "/api/platform/workspaces/busy-v1/restart"), answered("POST", "/api/platform/workspaces/busy-v1/a2a")]);
        const stream = page.waitForRequest(`${LIVE_APP_URL}/api/platform/events`);
        const framed = answered("GET", "/");
        await page.goto(`${origin}/`);
        const [restart, a2a] = await writes;
        expect([restart.status(), a2a.status()], origin).toEqual([403, 403]);
        expect(await restart.request().headerValue("origin")).toBe(origin);
        await stream;
        // The framed canvas got its HTML but the browser would not show it: no app document in any frame.
        expect((await framed).status()).toBe(200);
        await expect.poll(() => page.frames().filter((f) => f.url() === "chrome-error://chromewebdata/").length).toBe(2);
        expect(page.frames().filter((f) => f.url().startsWith(LIVE_APP_URL))).toEqual([]);
      }
    } finally {
      await attacker.close();
    }

    // Nothing reached the platform: no write, no event socket for the foreign EventSource, no read by a framed canvas.
    await page.waitForTimeout(500);
    expect(await platform.requests()).toEqual([]);
  });
});
