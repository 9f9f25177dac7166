import { connect } from "node:net";
import type { Duplex } from "node:stream";

/**
 * How a stand-in platform refuses a WebSocket upgrade: an HTTP answer, then
 * the connection closed. Node drops its own error listener on a socket it
 * hands to `upgrade`, so this one listens: a client that resets instead of
 * closing (resetAfterUpgradeAnswer) would otherwise be an uncaught ECONNRESET.
 */
export function refuseUpgrade(socket: Duplex, status: number, statusText: string): void {
  socket.on("error", () => undefined);
  socket.end(`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Asks for a WebSocket upgrade on a raw socket and resets the connection
 * (RST, not FIN) as soon as the answer's first bytes arrive, as a client
 * that gives up on a refused upgrade may. Resolves with the status line.
 */
export function resetAfterUpgradeAnswer(url: string, path: string, headers: Record<string, string> = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`,
      );
    });
    socket.once("error", reject);
    socket.once("data", (chunk: Buffer) => {
      socket.resetAndDestroy();
      resolve(chunk.toString("latin1").split("\r\n")[0] ?? "");
    });
  });
}
