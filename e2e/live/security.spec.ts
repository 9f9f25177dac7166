import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIRequestContext } from "@playwright/test";
import { LIVE_APP_URL, LIVE_TOKEN } from "./env";
import { expect, test } from "./fixtures";

const APP_ORIGIN = new URL(LIVE_APP_URL).origin;

/** What the proxy answers for any path but GET /workspaces (lib/server/route-table.ts). */
const NOT_FORWARDED = { error: "unknown platform path: only GET /workspaces is forwarded; Stop All runs on the canvas server (/api/stop-all)" };

/** A Stop All id that is well formed (the handlers check ids) and belongs to no operation. */
const UNKNOWN_OPERATION = "00000000-0000-4000-8000-000000000000";

/**
 * A page another site would serve: form POSTs (a "simple" request, sent
 * without CORS preflight, each into its own frame so none cancels another)
 * and no-cors fetches that would restart a workspace, cancel tasks, start a
 * Stop All and steer the operation `operationId`; EventSources on the
 * fleet's events and on that operation's; and an iframe of the canvas.
 */
function attackerPage(operationId: string): string {
  const actions = `${LIVE_APP_URL}/api/stop-all/${operationId}/actions`;
  return `<!doctype html><title>another site</title>
<iframe name="sink-restart"></iframe><iframe name="sink-start"></iframe><iframe name="sink-actions"></iframe>
<form id="restart" method="POST" action="${LIVE_APP_URL}/api/platform/workspaces/busy-v1/restart" target="sink-restart"></form>
<form id="start" method="POST" action="${LIVE_APP_URL}/api/stop-all" target="sink-start"><input name="targets" value="busy-v1"><input name="reason" value="csrf"></form>
<form id="actions" method="POST" action="${actions}" target="sink-actions"><input name="action" value="restart-now"></form>
<iframe src="${LIVE_APP_URL}/"></iframe>
<script>
  const simple = (url, body) => fetch(url, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: JSON.stringify(body) }).catch(() => {});
  simple("${LIVE_APP_URL}/api/platform/workspaces/busy-v1/a2a", { jsonrpc: "2.0", id: 1, method: "ListTasks", params: {} });
  simple("${LIVE_APP_URL}/api/stop-all", { targets: ["busy-v1", "busy-v03"], reason: "csrf" });
  simple("${actions}", { action: "retry" });
  new EventSource("${LIVE_APP_URL}/api/platform/events");
  new EventSource("${LIVE_APP_URL}/api/stop-all/${operationId}/events");
  for (const id of ["restart", "start", "actions"]) document.getElementById(id).submit();
</script>`;
}

async function serveAttackerPage(page: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface StopAllRecord {
  /** 404 `{"error":"no Stop All yet"}`, or the current operation without its clock reading (`serverNow`). */
  current: { status: number; body: unknown };
  history: unknown;
}

/** What the server says about Stop All (read from Node, which sends no Sec-Fetch-Site): the current operation and the history. */
async function stopAllRecord(request: APIRequestContext): Promise<StopAllRecord> {
  const current = await request.get("/api/stop-all/current");
  const history = await request.get("/api/stop-all");
  expect(history.status()).toBe(200);
  const body = (await current.json()) as Record<string, unknown>;
  if (current.status() === 404) expect(body).toEqual({ error: "no Stop All yet" });
  else expect(current.status()).toBe(200);
  const view = { ...body };
  delete view.serverNow;
  return { current: { status: current.status(), body: view }, history: await history.json() };
}

test.describe("live mode keeps the platform behind the app", () => {
  test("the browser talks only to the app's origin, sends no platform write, and never receives the token", async ({ page, request, platform, canvas, stopAll, network }) => {
    await page.goto("/");
    await expect(canvas.connection()).toHaveAccessibleName("Live connection: Live");
    await platform.startTask("busy-v03", "review pull request 42");
    await expect(stopAll.button()).toHaveText("Stop All (2)");
    await stopAll.start();
    await expect(stopAll.summary()).toHaveText(/: 2 drained$/);

    // Reads, events and the Stop All all went to the app itself.
    expect(network.foreignRequests(APP_ORIGIN)).toEqual([]);
    expect(network.webSockets).toEqual([]);
    const ownPaths = network.requests.map((r) => [r.method(), new URL(r.url()).pathname] as const);
    const proxied = [...new Set(ownPaths.filter(([, path]) => path.startsWith("/api/platform/")).map(([method, path]) => `${method} ${path}`))].sort();
    expect(proxied).toEqual(["GET /api/platform/events", "GET /api/platform/workspaces"]);
    // The page started the Stop All on the canvas server; its A2A calls were the server's, with the token.
    expect(ownPaths).toContainEqual(["POST", "/api/stop-all"]);
    expect(ownPaths.filter(([, path]) => /\/(a2a|restart)$/.test(path))).toEqual([]);
    const cancels = await platform.requests({ method: "POST", path: /^\/workspaces\/busy-v(1|03)\/a2a$/ });
    expect(new Set(cancels.map((r) => r.path))).toEqual(new Set(["/workspaces/busy-v1/a2a", "/workspaces/busy-v03/a2a"]));
    for (const cancel of cancels) expect(cancel.headers.authorization).toBe(`Bearer ${LIVE_TOKEN}`);
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

  test("the proxy forwards only the workspace list, with the token added server-side; Stop All's calls are not the browser's", async ({ page, request, platform }) => {
    const sameOrigin = { origin: APP_ORIGIN, "content-type": "application/json" };
    const rpc = (method: string, params: unknown = {}) => ({ jsonrpc: "2.0", id: 1, method, params });

    // Stop All's platform calls, with an allowed A2A method or not, are no longer forwarded: the canvas server sends them itself.
    const formerCalls: [string, unknown][] = [
      ["/api/platform/workspaces/busy-v1/a2a", rpc("GetTask", { id: "task-1" })],
      ["/api/platform/workspaces/busy-v1/a2a", rpc("CancelTask", { id: "task-1" })],
      ["/api/platform/workspaces/busy-v1/a2a", rpc("SendMessage", { message: { role: "ROLE_USER", parts: [{ text: "hi" }] } })],
      ["/api/platform/workspaces/busy-v1/restart", undefined],
    ];
    for (const [path, data] of formerCalls) {
      const answer = await request.post(path, { headers: sameOrigin, data });
      expect(answer.status(), path).toBe(404);
      expect(await answer.json()).toEqual(NOT_FORWARDED);
    }
    expect((await request.get("/api/platform/workspaces/busy-v1/a2a")).status()).toBe(404);
    // Paths outside the allow-list, and ids that are not ids, never reach the platform.
    expect((await request.get("/api/platform/_test/requests")).status()).toBe(404);
    expect((await request.post("/api/platform/_test/reset", { headers: sameOrigin })).status()).toBe(404);
    expect((await request.post("/api/platform/workspaces/..%2f_test%2freset/restart", { headers: sameOrigin })).status()).toBe(404);
    expect((await request.get("/api/platform/ws")).status()).toBe(404);
    // A write to /workspaces is the wrong method.
    expect((await request.post("/api/platform/workspaces", { headers: sameOrigin })).status()).toBe(405);
    // A write with neither Sec-Fetch-Site nor Origin is refused (CSRF rule), before the path is looked at.
    expect((await request.post("/api/platform/workspaces/busy-v1/restart")).status()).toBe(403);
    expect(await platform.requests()).toEqual([]);

    // The one allowed call is forwarded, with the bearer token the browser never sends.
    const listed = await request.get("/api/platform/workspaces");
    expect(listed.status()).toBe(200);
    expect(((await listed.json()) as { id: string }[]).map((row) => row.id)).toContain("busy-v1");
    expect(JSON.stringify(listed.headers())).not.toContain(LIVE_TOKEN);
    const forwarded = await platform.requests();
    expect(forwarded.map((r) => [r.method, r.path])).toEqual([["GET", "/workspaces"]]);
    expect(forwarded[0]!.headers.authorization).toBe(`Bearer ${LIVE_TOKEN}`);

    // The canvas page itself gets the same 404s, and nothing reaches the platform.
    await page.goto("/");
    const statuses = await page.evaluate(async () => {
      const post = (path: string, body?: string) =>
        fetch(path, { method: "POST", headers: body === undefined ? {} : { "content-type": "application/json" }, body }).then(async (r) => [r.status, await r.text()] as const);
      return [
        await post("/api/platform/workspaces/busy-v1/a2a", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "CancelTask", params: { id: "task-1" } })),
        await post("/api/platform/workspaces/busy-v1/restart"),
      ];
    });
    expect(statuses.map(([status, text]) => [status, JSON.parse(text)])).toEqual([
      [404, NOT_FORWARDED],
      [404, NOT_FORWARDED],
    ]);
    expect(await platform.requests({ path: /\/(a2a|restart)$/ })).toEqual([]);
  });

  test("another site can neither drive the proxy nor Stop All, nor read an event stream, nor frame the canvas", async ({ page, request, platform }) => {
    // The security headers every page and route answer carries.
    const headers = (await request.get("/")).headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).toContain("connect-src 'self'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");

    // Whatever Stop All the server has (an earlier test's, or none yet) is the one the page tries to steer.
    const before = await stopAllRecord(request);
    const operationId = before.current.status === 200 ? (before.current.body as { id: string }).id : UNKNOWN_OPERATION;

    // A page on another origin, in the operator's browser, tries everything at once. It is served
    // from loopback like the app: Chromium blocks a public page's requests to loopback by itself
    // (Local Network Access), which would hide whether the app refuses them.

    const attacker = await serveAttackerPage(attackerPage(operationId));
    try {
      // localhost vs 127.0.0.1: cross-site. Another port of 127.0.0.1: same-site, not same-origin.
      for (const origin of [`http://localhost:${attacker.port}`, `http://127.0.0.1:${attacker.port}`]) {
        // A form submission loads a document, a fetch is a fetch: the same URL is awaited once for each.
        const answered = (method: string, path: string, type?: "document" | "fetch" | "eventsource") =>
          page.waitForResponse((r) => r.request().method() === method && r.url() === `${LIVE_APP_URL}${path}` && (type === undefined || r.request().resourceType() === type));
        const actions = `/api/stop-all/${operationId}/actions`;
        const writes = Promise.all([
          answered("POST", "/api/platform/workspaces/busy-v1/restart", "document"),
          answered("POST", "/api/platform/workspaces/busy-v1/a2a", "fetch"),
          answered("POST", "/api/stop-all", "document"),
          answered("POST", "/api/stop-all", "fetch"),
          answered("POST", actions, "document"),
          answered("POST", actions, "fetch"),
        ]);
        const stream = page.waitForRequest(`${LIVE_APP_URL}/api/platform/events`);
        // Like the platform's stream: the browser reports the foreign EventSource's request, not always its (refused) answer.
        const operationStream = page.waitForRequest(`${LIVE_APP_URL}/api/stop-all/${operationId}/events`);
        const framed = answered("GET", "/");
        await page.goto(`${origin}/`);
        const answers = await writes;
        expect(answers.map((r) => r.status()), origin).toEqual([403, 403, 403, 403, 403, 403]);
        // (Which header the refusal rests on is the CSRF unit tests' business: Playwright does not report the
        // request headers of every concurrent no-cors fetch, so they are not read here.)
        await stream;
        await operationStream;
        // The framed canvas got its HTML but the browser would not show it: no app document in any frame
        // (the canvas's iframe and the three forms' frames, whose 403 answers may not be framed either).
        expect((await framed).status()).toBe(200);
        await expect.poll(() => page.frames().filter((f) => f.url() === "chrome-error://chromewebdata/").length).toBe(4);
        expect(page.frames().filter((f) => f.url().startsWith(LIVE_APP_URL))).toEqual([]);
      }
    } finally {
      await attacker.close();
    }

    // Nothing started or steered a Stop All: the same current operation (or still none: 404 "no Stop All yet"),
    // no action or event recorded on it, the same history.
    await page.waitForTimeout(500);
    expect(await stopAllRecord(request)).toEqual(before);
    // Nothing reached the platform: no A2A call, no restart, no event socket for the foreign EventSource, no read by a framed canvas.
    expect(await platform.requests({ path: /\/(a2a|restart)$/ })).toEqual([]);
    expect(await platform.requests()).toEqual([]);
  });
});
