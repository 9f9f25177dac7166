import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { refuseUpgrade } from "./refused-upgrade";

/** What the stand-in platform received, for assertions. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type UpstreamHandler = (request: SeenRequest, response: ServerResponse) => void;

/**
 * A real HTTP + WebSocket server on 127.0.0.1 standing in for the platform
 * in tests (no fetch mocks). HTTP answers come from `handle`; `/ws`
 * upgrades are accepted unless `acceptSocket` says no, `nextSocket()`
 * hands back the server side of each connection and `connections()` counts
 * the accepted ones (refused upgrades are only in `upgrades`).
 */
export async function startUpstream(options: { autoPong?: boolean } = {}): Promise<{
  url: string;
  requests: SeenRequest[];
  upgrades: IncomingHttpHeaders[];
  handle(handler: UpstreamHandler): void;
  acceptSocket(rule: (headers: IncomingHttpHeaders) => number | null): void;
  nextSocket(): Promise<WebSocket>;
  clients(): Set<WebSocket>;
  connections(): number;
  close(): Promise<void>;
}> {
  const requests: SeenRequest[] = [];
  const upgrades: IncomingHttpHeaders[] = [];
  let handler: UpstreamHandler = (_request, response) => {
    response.writeHead(404, { "content-type": "application/json" }).end('{"error":"no handler"}');
  };
  let refuse: (headers: IncomingHttpHeaders) => number | null = () => null;
  const waiting: ((socket: WebSocket) => void)[] = [];
  const arrived: WebSocket[] = [];
  let accepted = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const seen = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(seen);
      handler(seen, res);
    });
  });
  const wss = new WebSocketServer({ noServer: true, autoPong: options.autoPong ?? true });
  server.on("upgrade", (req, socket, head) => {
    upgrades.push(req.headers);
    const status = req.url === "/ws" ? refuse(req.headers) : 404;
    if (status !== null) {
      refuseUpgrade(socket, status, "Refused");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      accepted += 1;
      const waiter = waiting.shift();
      if (waiter) waiter(ws);
      else arrived.push(ws);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    upgrades,
    handle: (next) => {
      handler = next;
    },
    acceptSocket: (rule) => {
      refuse = rule;
    },
    nextSocket: () => {
      const ready = arrived.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    clients: () => wss.clients,
    connections: () => accepted,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
