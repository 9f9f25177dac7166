import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
import type { OperationMessage } from "./live-operation";
import { operationEventStream } from "./operation-stream";
import type { JournaledEvent } from "../../stop-all-host/wire";

const event = (seq: number): OperationMessage => ({ kind: "event", event: { seq, event: { type: "cancel-sent", workspaceId: `ws-${seq}`, at: seq } } as JournaledEvent });

function open() {
  let send: (message: OperationMessage) => void = () => {};
  const controller = new AbortController();
  const stream = operationEventStream((sink) => ((send = sink), () => {}), () => undefined, controller.signal);
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const read = async () => {
    const { value, done } = await reader.read();
    return done ? undefined : decoder.decode(value);
  };
  return { send: (message: OperationMessage) => send(message), read, abort: () => controller.abort() };
}

describe("an operation's event stream", () => {
  it("sends the frames written within FRAME_BATCH_MS as one chunk, in order", async () => {
    const s = open();
    expect(await s.read()).toContain(": connected");
    for (let seq = 1; seq <= 3; seq++) s.send(event(seq));
    const chunk = (await s.read())!;
    expect([...chunk.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]))).toEqual([1, 2, 3]);
    s.send(event(4));
    expect(await s.read()).toMatch(/^id: 4\nevent: op\n/);
    s.abort();
  });

  it("an end still delivers what was written before it, then closes", async () => {
    const s = open();
    await s.read();
    s.send(event(7));
    s.send({ kind: "end" });
    expect(await s.read()).toMatch(/^id: 7\n/);
    expect(await s.read()).toBeUndefined();
  });
});
