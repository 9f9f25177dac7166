import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const { createWorkerTransport } = await import("./upstream-worker");
type StartUpstreamThread = import("./upstream-worker").StartUpstreamThread;

// The real thread entry. Node 20 cannot run .ts, so the thread loads it through the live suite's
// loader (e2e/live/ts-loader.mjs), and with the react-server condition a Next server bundle resolves "server-only" by.
const LOADER = new URL("../../../e2e/live/ts-loader.mjs", import.meta.url).href;
const REGISTER = `data:text/javascript,import { register } from "node:module"; register(${JSON.stringify(LOADER)});`;
const threads: Worker[] = [];
const startThread: StartUpstreamThread = (workerData) => {
  const worker = new Worker(new URL("./upstream-thread.ts", import.meta.url), { workerData, execArgv: ["--conditions=react-server", "--import", REGISTER] });
  threads.push(worker);
  return worker;
};

let server: Server;
let base: URL;
let hold = false;
let received: string[] = [];
beforeEach(async () => {
  hold = false;
  received = [];
  server = createServer((request, response) => {
    received.push(request.url ?? "");
    if (hold) return;
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ path: request.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
afterEach(async () => {
  await Promise.all(threads.splice(0).map((worker) => worker.terminate()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = (path: string) => ({ method: "GET" as const, url: new URL(path, base), headers: { accept: "application/json" }, maxBytes: 1024 });

describe("the platform connection thread", () => {
  it("sends the calls from a thread of its own, started on the first call, and answers them", async () => {
    const transport = createWorkerTransport({ maxSockets: 8, start: startThread });
    expect(threads).toHaveLength(0);
    const answers = await Promise.all(["a", "b", "c"].map((path) => transport(get(path))));
    expect(answers.map((answer) => [answer.status, JSON.parse(answer.body.toString("utf8")).path])).toEqual([
      [200, "/a"],
      [200, "/b"],
      [200, "/c"],
    ]);
    expect(threads).toHaveLength(1);
  });

  it("fails the calls a dying thread had, and starts another for the next call", async () => {
    const transport = createWorkerTransport({ maxSockets: 8, start: startThread });
    await transport(get("warm"));
    hold = true;
    const held = transport(get("held")).catch((error: Error) => error.message);
    await vi.waitFor(() => expect(received).toContain("/held"));
    await threads[0]!.terminate();
    expect(await held).toMatch(/^the platform connection thread stopped \(exit code \d+\)$/);
    hold = false;
    const next = await transport(get("after"));
    expect(JSON.parse(next.body.toString("utf8")).path).toBe("/after");
    expect(threads).toHaveLength(2);
  });
});
