// Chromium driven over a bare DevTools pipe, for the live one-operator rows:
// the page runs as in an operator's browser. Playwright enables the Network
// domain on every page, so Chromium relays each Server-Sent Events message
// (Network.eventSourceMessageReceived, dataReceived) to the bench's own Node
// process, on the two cores the canvas server needs. At 5,000 workspaces,
// from the click to the last cancel, a harness timing each Chromium process
// apart saw the browser process at 200-450 ms under Playwright and 20-80 ms
// here, the driving Node process at 90-260 and 40-100 ms; the bench's
// end-to-end rows (both kept) differ by less than their run-to-run noise.
// This driver enables only Page and Runtime, and sends input as Playwright
// does (Input.dispatch*).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** One DevTools connection over `--remote-debugging-pipe` (fd 3 in, fd 4 out; messages end with NUL). */
function pipeConnection(toChrome, fromChrome) {
  let nextId = 1;
  let buffered = "";
  let closedWith;
  const pending = new Map();
  fromChrome.on("data", (chunk) => {
    buffered += chunk.toString("utf8");
    for (let end = buffered.indexOf("\0"); end >= 0; end = buffered.indexOf("\0")) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiting) continue;
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(`${waiting.method}: ${message.error.message}`));
      else waiting.resolve(message.result);
    }
  });
  const fail = (error) => {
    closedWith = error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  return {
    fail,
    send(method, params = {}, sessionId) {
      if (closedWith) return Promise.reject(closedWith);
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { method, resolve, reject });
        toChrome.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
      });
    },
  };
}

/**
 * Starts headless Chromium (`executablePath`, `args` as for Playwright's
 * launch) with a profile of its own; resolves once it answers. `newPage`
 * opens a page in a fresh browser context.
 */
export async function launchBareChromium(executablePath, args) {
  const profile = mkdtempSync(path.join(tmpdir(), "fleet-canvas-bench-chromium-"));
  const child = spawn(executablePath, ["--headless", "--remote-debugging-pipe", `--user-data-dir=${profile}`, ...args, "about:blank"], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const connection = pipeConnection(child.stdio[3], child.stdio[4]);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  void exited.then((code) => connection.fail(new Error(`Chromium exited (${code}): ${stderr.slice(-1000)}`)));
  const { send } = connection;
  let answerTimer;
  try {
    const noAnswer = new Promise((_, reject) => (answerTimer = setTimeout(() => reject(new Error(`Chromium did not answer within 30 s: ${stderr.slice(-1000)}`)), 30_000)));
    await Promise.race([send("Browser.getVersion"), noAnswer]);
  } catch (error) {
    child.kill("SIGKILL");
    rmSync(profile, { recursive: true, force: true });
    throw error;
  } finally {
    clearTimeout(answerTimer);
  }

  async function newPage({ viewport, initScript }) {
    const { browserContextId } = await send("Target.createBrowserContext", { disposeOnDetach: true });
    const { targetId } = await send("Target.createTarget", { url: "about:blank", browserContextId });
    const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
    const call = (method, params) => send(method, params, sessionId);
    await call("Page.enable");
    await call("Runtime.enable");
    await call("Emulation.setDeviceMetricsOverride", { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false });
    if (initScript) await call("Page.addScriptToEvaluateOnNewDocument", { source: readFileSync(initScript, "utf8") });

    /** The value of `expression` (a promise is awaited); throws what the page threw. */
    const evaluate = async (expression) => {
      const { result, exceptionDetails } = await call("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
      if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
      return result.value;
    };
    return {
      goto: (url) => call("Page.navigate", { url }),
      evaluate,
      /** Resolves with `expression`'s first truthy value, read every `everyMs`; a TimeoutError after `timeoutMs`. */
      async waitFor(expression, { timeoutMs, everyMs = 100 }) {
        const until = Date.now() + timeoutMs;
        for (;;) {
          const value = await evaluate(expression);
          if (value) return value;
          if (Date.now() > until) throw Object.assign(new Error(`waiting for ${expression.slice(0, 100)} timed out after ${timeoutMs} ms`), { name: "TimeoutError" });
          await new Promise((resolve) => setTimeout(resolve, everyMs));
        }
      },
      /** A left click at (x, y), CSS pixels of the viewport. */
      async click({ x, y }) {
        await call("Input.dispatchMouseEvent", { type: "mouseMoved", x, y });
        await call("Input.dispatchMouseEvent", { type: "mousePressed", x, y, button: "left", clickCount: 1 });
        await call("Input.dispatchMouseEvent", { type: "mouseReleased", x, y, button: "left", clickCount: 1 });
      },
      async pressEnter() {
        await call("Input.dispatchKeyEvent", { type: "keyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, text: "\r", unmodifiedText: "\r" });
        await call("Input.dispatchKeyEvent", { type: "keyUp", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13 });
      },
      close: () => send("Target.disposeBrowserContext", { browserContextId }),
    };
  }

  return {
    newPage,
    async close() {
      await send("Browser.close").catch(() => {});
      const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(kill);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
