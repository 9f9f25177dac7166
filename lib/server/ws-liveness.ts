import WebSocket from "ws";
import { repeatEvery, type ServerTimers } from "./timers";

/**
 * Pings `socket` every `pingMs`; if no pong came back since the previous
 * ping the peer is taken for dead and the socket terminated (its `close`
 * event then starts the owner's reconnect). Returns a function that stops
 * watching.
 */
export function watchLiveness(socket: WebSocket, timers: ServerTimers, pingMs: number): () => void {
  let awaitingPong = false;
  const onPong = () => {
    awaitingPong = false;
  };
  socket.on("pong", onPong);
  const stop = repeatEvery(timers, pingMs, () => {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (awaitingPong) {
      socket.terminate();
      return;
    }
    awaitingPong = true;
    socket.ping();
  });
  return () => {
    stop();
    socket.off("pong", onPong);
  };
}
