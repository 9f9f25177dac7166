import { describe, expect, it } from "vitest";
import { checkA2ABody } from "./a2a-allow";

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

describe("checkA2ABody", () => {
  it.each(["ListTasks", "GetTask", "CancelTask", "tasks/get", "tasks/cancel"])("allows %s", (method) => {
    const result = checkA2ABody(bytes({ jsonrpc: "2.0", id: 1, method, params: { id: "t-1" } }));
    expect(result).toEqual({ ok: true, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { id: "t-1" } }) });
  });

  it.each(["SendMessage", "message/send", "SendStreamingMessage", "message/stream", "CreateTaskPushNotificationConfig", "tasks/pushNotificationConfig/set", "cancelTask", "CancelTask ", "tasks/resubscribe"])(
    "refuses %j with 403",
    (method) => {
      const result = checkA2ABody(bytes({ jsonrpc: "2.0", id: 1, method }));
      expect(result).toMatchObject({ ok: false, status: 403, error: expect.stringContaining("is not allowed (the canvas sends only") });
    },
  );

  it("re-serialises, so a duplicate method key cannot smuggle a send", () => {
    const result = checkA2ABody(bytes('{"jsonrpc":"2.0","id":1,"method":"CancelTask","method":"SendMessage"}'));
    expect(result).toMatchObject({ ok: false, status: 403 });
    const allowed = checkA2ABody(bytes('{"jsonrpc":"2.0","id":1,"method":"SendMessage","method":"CancelTask"}'));
    expect(allowed).toEqual({ ok: true, body: '{"jsonrpc":"2.0","id":1,"method":"CancelTask"}' });
  });

  it.each([
    ["not json", "{"],
    ["a batch", [{ jsonrpc: "2.0", id: 1, method: "GetTask" }]],
    ["a string", '"GetTask"'],
    ["null", "null"],
    ["no jsonrpc", { id: 1, method: "GetTask" }],
    ["no method", { jsonrpc: "2.0", id: 1 }],
    ["a numeric method", { jsonrpc: "2.0", id: 1, method: 7 }],
  ])("refuses %s with 400", (_name, body) => {
    expect(checkA2ABody(bytes(body))).toMatchObject({ ok: false, status: 400 });
  });

  it("refuses bytes that are not UTF-8", () => {
    expect(checkA2ABody(new Uint8Array([0x7b, 0xff, 0x7d]))).toMatchObject({ ok: false, status: 400 });
  });
});
