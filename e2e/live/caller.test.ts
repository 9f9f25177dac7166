import { createServer, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { callerOf, type Caller } from "./caller";
import { DEFAULT_LATENCY } from "./latency";
import { LightAgent } from "./light-agent";

/** One request to a server whose handler gets the caller and `res`; `leave` destroys the request before any answer. */
async function withCaller(leave: boolean): Promise<{ caller: Caller; heard: string[]; res: ServerResponse }> {
  let got: { caller: Caller; res: ServerResponse } | undefined;
  const heard: string[] = [];
  const server = createServer((_req, res) => {
    const caller = callerOf(res);
    caller.onGone(() => heard.push("gone"));
    got = { caller, res };
    if (!leave) res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/" }, (res) => {
      res.resume();
      res.on("end", resolve);
    });
    req.on("error", () => {});
    req.end("{}");
    if (leave) {
      const wait = setInterval(() => {
        if (!got) return;
        clearInterval(wait);
        req.destroy();
        got.res.once("close", () => setImmediate(resolve));
      }, 5);
    }
  });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { ...got!, heard };
}

describe("a platform request's caller", () => {
  it("is gone once its connection closes before the answer: listeners hear it, its signal aborts", async () => {
    const { caller, heard } = await withCaller(true);
    expect(caller.gone).toBe(true);
    expect(heard).toEqual(["gone"]);
    expect(caller.signal().aborted).toBe(true);
  });

  it("is not gone when it was answered", async () => {
    const { caller, heard } = await withCaller(false);
    expect(caller.gone).toBe(false);
    expect(heard).toEqual([]);
    expect(caller.signal().aborted).toBe(false);
  });
});

/** A caller the test makes go away. */
function fakeCaller() {
  const listeners = new Set<() => void>();
  let gone = false;
  const caller: Caller = {
    get gone() {
      return gone;
    },
    onGone: (listener) => (listeners.add(listener), () => void listeners.delete(listener)),
    signal: () => AbortSignal.abort(),
  };
  return {
    caller,
    watching: () => listeners.size,
    leave() {
      gone = true;
      for (const listener of [...listeners]) listener();
    },
  };
}

describe("a light agent's delivery", () => {
  const agent = () => new LightAgent({ id: "ws-1", name: "ignores", version: "1.0", cancel: "ignore", latency: DEFAULT_LATENCY, onChange: () => {} });
  const cancelOf = (id: string) => JSON.stringify({ jsonrpc: "2.0", id: 1, method: "CancelTask", params: { id } });

  it("gives up an unanswered call when its caller leaves, and stops watching it", async () => {
    const light = agent();
    const task = await light.startTask("work");
    const { caller, watching, leave } = fakeCaller();
    const answer = light.forward(cancelOf(task), caller);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(watching()).toBe(1);
    leave();
    expect(await answer).toBeNull();
    expect(watching()).toBe(0);
    await light.close();
  });

  it("answers nothing to a caller already gone", async () => {
    const light = agent();
    const { caller, leave } = fakeCaller();
    leave();
    expect(await light.forward(cancelOf("nope"), caller)).toBeNull();
    await light.close();
  });
});
