import WebSocket, { type ClientOptions } from "ws";

export type SocketFactory = (url: string, options: ClientOptions) => WebSocket;

export const defaultSocketFactory: SocketFactory = (url, options) => new WebSocket(url, options);

export interface ConnectOptions {
  url: string;
  token: string | null;
  factory: SocketFactory;
  /** Opening handshake deadline in ms. */
  timeoutMs: number;
  /** Largest upstream message accepted, in bytes. */
  maxMessageBytes: number;
  signal: AbortSignal;
}

/**
 * Opens one upstream WebSocket with the bearer token and resolves once it
 * is open. Rejects with a readable reason (refused, `Unexpected server
 * response: 401`, handshake timeout, aborted) and leaves nothing running.
 */
export function connectUpstream(options: ConnectOptions): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      reject(new Error("aborted before connecting"));
      return;
    }
    const socket = options.factory(options.url, {
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      handshakeTimeout: options.timeoutMs,
      maxPayload: options.maxMessageBytes,
      perMessageDeflate: false,
      followRedirects: false,
    });
    // ws emits `error` then `close` on failure; an error with no listener would crash the process.
    socket.on("error", () => undefined);

    const settle = (error?: Error) => {
      socket.off("open", onOpen);
      socket.off("error", onError);
      socket.off("close", onClose);
      options.signal.removeEventListener("abort", onAbort);
      if (!error) {
        resolve(socket);
        return;
      }
      socket.terminate();
      reject(error);
    };
    const onOpen = () => settle();
    const onError = (error: Error) => settle(new Error(error.message || "WebSocket error"));
    const onClose = (code: number) => settle(new Error(`closed before opening (code ${code})`));
    const onAbort = () => settle(new Error("aborted while connecting"));

    socket.once("open", onOpen);
    socket.on("error", onError);
    socket.once("close", onClose);
    options.signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** `ws` hands messages over as a Buffer, a list of Buffers or an ArrayBuffer. */
export function messageText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data).toString("utf8");
}
