import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BodyTooLargeError } from "../bounded-body";

vi.mock("server-only", () => ({}));
const { createHttpTransport, UpstreamTimeoutError } = await import("./upstream-http");
const { createPortTransport, serveUpstreamRequests } = await import("./upstream-port");
type Transport = ReturnType<typeof createHttpTransport>;

/** The ports of this test's thread transports (closed after it, so none keeps the process alive). */
const ports: MessagePort[] = [];
/** createHttpTransport served over a MessageChannel, as the platform connection thread serves it (upstream-port.ts). */
function throughAPort(options: { maxSockets: number }): Transport {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serveUpstreamRequests(port1, createHttpTransport(options));
  return createPortTransport(port2).transport;
}

// The server's HTTP to the platform against a real node:http server (connections counted at the socket).
let server: Server;
let base: URL;
/** What this test's server saw (each test has its own, so an earlier test's closing sockets cannot count here). */
let seen = { connections: 0, open: 0, maxOpenRequests: 0, inFlight: 0 };
let handler: (request: IncomingMessage, response: ServerResponse) => void;

beforeEach(async () => {
  const mine = (seen = { connections: 0, open: 0, maxOpenRequests: 0, inFlight: 0 });
  server = createServer((request, response) => {
    mine.inFlight += 1;
    mine.maxOpenRequests = Math.max(mine.maxOpenRequests, mine.inFlight);
    response.on("close", () => (mine.inFlight -= 1));
    handler(request, response);
  });
  server.on("connection", (socket) => {
    mine.connections += 1;
    mine.open += 1;
    socket.on("close", () => (mine.open -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  handler = (_request, response) => response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
});
afterEach(async () => {
  for (const port of ports.splice(0)) port.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = (path = "x") => ({ method: "GET" as const, url: new URL(path, base), headers: { accept: "application/json" }, maxBytes: 1024 });

// Every behaviour holds in this thread and through the platform connection thread's port alike.
describe.each([
  ["in this thread", createHttpTransport],
  ["through a thread's port", throughAPort],
])("the server's HTTP to the platform, %s", (_where, createTransport: (options: { maxSockets: number }) => Transport) => {
  it("answers with the status, Content-Type, Retry-After and body, and sends the body with its length", async () => {
    let received = "";
    handler = (request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      request.on("end", () => {
        received = `${request.method} ${request.url} ${request.headers["content-length"]} ${body}`;
        response.writeHead(503, { "content-type": "application/json", "retry-after": "2" }).end('{"busy":true}');
      });
    };
    const transport = createTransport({ maxSockets: 4 });
    const answer = await transport({ ...get("w/a2a"), method: "POST", body: '{"é":1}' });
    expect({ ...answer, body: answer.body.toString("utf8") }).toEqual({ status: 503, contentType: "application/json", retryAfter: "2", body: '{"busy":true}' });
    expect(received).toBe('POST /w/a2a 8 {"é":1}');
  });

  it("keeps its connections alive: one socket carries calls one after another", async () => {
    const transport = createTransport({ maxSockets: 4 });
    for (let i = 0; i < 20; i += 1) await transport(get());
    expect(seen.connections).toBe(1);
  });

  it("opens at most maxSockets connections, and queues the rest", async () => {
    const held: ServerResponse[] = [];
    handler = (_request, response) => {
      held.push(response);
      if (held.length === 2) setTimeout(() => held.splice(0).forEach((r) => r.end("{}")), 20);
      else if (held.length > 2) response.end("{}");
    };
    const transport = createTransport({ maxSockets: 2 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => transport(get())));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect([seen.connections, seen.maxOpenRequests]).toEqual([2, 2]);
  });

  it("rejects with an AbortError when its signal aborts mid-call, and drops that socket", async () => {
    handler = () => undefined;
    const transport = createTransport({ maxSockets: 4 });
    const controller = new AbortController();
    const call = transport({ ...get(), signal: controller.signal });
    await vi.waitFor(() => expect(seen.inFlight).toBe(1));
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    await vi.waitFor(() => expect(seen.open).toBe(0));
    await expect(transport({ ...get(), signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
    expect(seen.connections).toBe(1);
  });

  it("gives up after timeoutMs with UpstreamTimeoutError", async () => {
    handler = () => undefined;
    const transport = createTransport({ maxSockets: 4 });
    await expect(transport({ ...get(), timeoutMs: 50 })).rejects.toBeInstanceOf(UpstreamTimeoutError);
  });

  it("stops reading past maxBytes with BodyTooLargeError", async () => {
    handler = (_request, response) => {
      response.writeHead(200);
      response.write("x".repeat(1000));
      setTimeout(() => response.end("y".repeat(1000)), 10);
    };
    const transport = createTransport({ maxSockets: 4 });
    await expect(transport(get())).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it("rejects when the platform drops the connection mid-answer or refuses it", async () => {
    handler = (_request, response) => {
      response.writeHead(200, { "content-length": "100" });
      response.write("partial");
      setTimeout(() => response.socket?.destroy(), 10);
    };
    const transport = createTransport({ maxSockets: 4 });
    await expect(transport(get())).rejects.toThrow();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await expect(transport(get())).rejects.toThrow(/ECONNREFUSED/);
    await new Promise<void>((resolve) => server.listen(Number(base.port), "127.0.0.1", resolve));
  });
});
