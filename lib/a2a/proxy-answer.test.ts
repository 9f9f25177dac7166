import { describe, expect, it } from "vitest";
import { MAX_BODY_CHARS, type PlatformResponse } from "../platform/client";
import { readA2AAnswer } from "./proxy-answer";

const ID = "stop-all-7";

function http(status: number, json?: unknown, extra: Partial<Extract<PlatformResponse, { ok: true }>> = {}): PlatformResponse {
  const text = json === undefined ? "" : JSON.stringify(json);
  return { ok: true, status, json, text, ...extra };
}

describe("readA2AAnswer: every proxy answer of PLATFORM_API.md", () => {
  it("200 with a JSON-RPC result for our id is a result", () => {
    expect(readA2AAnswer(http(200, { jsonrpc: "2.0", id: ID, result: { status: { state: "canceled" } } }), ID)).toEqual({
      kind: "rpc-result",
      result: { status: { state: "canceled" } },
    });
  });

  it("200 with a JSON-RPC error is an rpc error with code, message and the 1.0 ErrorInfo reason", () => {
    const body = {
      jsonrpc: "2.0",
      id: ID,
      error: { code: -32002, message: "Task not cancelable", data: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "TASK_NOT_CANCELABLE" }] },
    };
    expect(readA2AAnswer(http(200, body), ID)).toEqual({ kind: "rpc-error", code: -32002, message: "Task not cancelable", reason: "TASK_NOT_CANCELABLE" });
  });

  it.each([-32001, -32002, -32004, -32601, -32602, -32009])("keeps JSON-RPC error code %i", (code) => {
    expect(readA2AAnswer(http(200, { jsonrpc: "2.0", id: ID, error: { code, message: "m" } }), ID)).toMatchObject({ kind: "rpc-error", code });
  });

  it("an error with id null (request unreadable by the agent) is still the agent's error", () => {
    expect(readA2AAnswer(http(200, { jsonrpc: "2.0", id: null, error: { code: -32600, message: "bad" } }), ID)).toMatchObject({ kind: "rpc-error", code: -32600 });
  });

  it("a result for another id is an id mismatch, not proof of delivery", () => {
    expect(readA2AAnswer(http(200, { jsonrpc: "2.0", id: "other", result: {} }), ID)).toEqual({ kind: "id-mismatch" });
    expect(readA2AAnswer(http(200, { jsonrpc: "2.0", id: null, result: {} }), ID)).toEqual({ kind: "id-mismatch" });
    expect(readA2AAnswer(http(200, { jsonrpc: "2.0", id: "other", error: { code: -32001, message: "" } }), ID)).toEqual({ kind: "id-mismatch" });
  });

  it("200 queued for a poll-mode workspace is queued-poll", () => {
    expect(readA2AAnswer(http(200, { status: "queued", delivery_mode: "poll", method: "CancelTask" }), ID)).toEqual({ kind: "queued-poll" });
  });

  it("202 queued behind the agent's work is queued-busy", () => {
    expect(readA2AAnswer(http(202, { queued: true, queue_id: "q1", queue_depth: 3 }), ID)).toEqual({ kind: "queued-busy", queueDepth: 3 });
    expect(readA2AAnswer(http(202), ID)).toEqual({ kind: "queued-busy" });
  });

  it("503 busy is busy, with Retry-After from the header or else the body", () => {
    expect(readA2AAnswer(http(503, { busy: true, retry_after: 2 }, { retryAfterMs: 1500 }), ID)).toEqual({ kind: "busy", retryAfterMs: 1500 });
    expect(readA2AAnswer(http(503, { busy: true, retry_after: 2 }), ID)).toEqual({ kind: "busy", retryAfterMs: 2000 });
    expect(readA2AAnswer(http(503, { busy: true }), ID)).toEqual({ kind: "busy" });
  });

  it("503 waking, restarting and platform_unavailable each have their own meaning", () => {
    expect(readA2AAnswer(http(503, { waking: true }, { retryAfterMs: 5000 }), ID)).toEqual({ kind: "waking" });
    expect(readA2AAnswer(http(503, { restarting: true }), ID)).toEqual({ kind: "platform-restarting" });
    expect(readA2AAnswer(http(503, { code: "platform_unavailable" }), ID)).toEqual({ kind: "platform-unavailable" });
    expect(readA2AAnswer(http(503, { something: "else" }), ID)).toMatchObject({ kind: "http-error", status: 503 });
  });

  it("502 is unreachable and 404 is gone", () => {
    expect(readA2AAnswer(http(502, { error: "failed to reach workspace agent" }), ID)).toEqual({ kind: "unreachable", status: 502 });
    expect(readA2AAnswer(http(404, { error: "workspace not found" }), ID)).toEqual({ kind: "gone" });
  });

  it.each([400, 401, 403, 429, 500, 504, 520, 521, 522, 523, 524])("HTTP %i is an http error with its status", (status) => {
    expect(readA2AAnswer({ ok: true, status, json: undefined, text: "<html>cloudflare</html>" }, ID)).toEqual({
      kind: "http-error",
      status,
      detail: "<html>cloudflare</html>",
    });
  });

  it("network errors, timeouts and aborts are told apart", () => {
    expect(readA2AAnswer({ ok: false, error: "network", message: "fetch failed" }, ID)).toEqual({ kind: "network-error", message: "fetch failed" });
    expect(readA2AAnswer({ ok: false, error: "aborted", message: "" }, ID, true)).toEqual({ kind: "timeout" });
    expect(readA2AAnswer({ ok: false, error: "aborted", message: "" }, ID, false)).toEqual({ kind: "aborted" });
  });

  it("bad bodies: empty, not JSON, truncated, JSON that is not JSON-RPC", () => {
    expect(readA2AAnswer({ ok: true, status: 200, json: undefined, text: "" }, ID)).toEqual({ kind: "bad-body", status: 200, problem: "empty" });
    expect(readA2AAnswer({ ok: true, status: 200, json: undefined, text: '{"jsonrpc":"2.0","id":"stop-' }, ID)).toEqual({
      kind: "bad-body",
      status: 200,
      problem: "not-json",
    });
    expect(readA2AAnswer({ ok: true, status: 200, json: undefined, text: "x".repeat(MAX_BODY_CHARS) }, ID)).toEqual({
      kind: "bad-body",
      status: 200,
      problem: "truncated",
    });
    for (const body of [{ hello: 1 }, [1, 2], "text", { jsonrpc: "2.0", id: ID }, { jsonrpc: "2.0", id: ID, result: 1, error: { code: 1, message: "" } }]) {
      expect(readA2AAnswer(http(200, body), ID)).toEqual({ kind: "bad-body", status: 200, problem: "not-json-rpc" });
    }
  });
});
