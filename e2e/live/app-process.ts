import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { liveAppEnv } from "./env";

/** How long a `next start` of the live build may take to answer (it takes about 1 s). */
const READY_TIMEOUT_MS = 20_000;
const NEXT_BIN = path.join("node_modules", "next", "dist", "bin", "next");

/**
 * An extra canvas server a spec runs itself: `next start` of the live
 * build (.next-live, which the live webServer of playwright.config.ts
 * built) on its own port, against the test platform, with its own journal
 * directory (or, with `env.DATABASE_URL`, the Postgres journal it shares
 * with other replicas). Started as `node …/next start` directly, so `pid`
 * is Next's own process and a SIGKILL kills the server itself, not a shell
 * around it. `start()` again after a kill: the same port, the same journal.
 */
export class AppProcess {
  readonly url: string;
  readonly dataDir: string;
  private child: ChildProcess | undefined;
  private output: string[] = [];

  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.dataDir = mkdtempSync(path.join(os.tmpdir(), "fleet-canvas-e2e-app-"));
  }

  /** Starts a server on `port` with a fresh journal directory (and `env` over the live app's); resolves once it answers. */
  static async launch(port: number, env: Record<string, string> = {}): Promise<AppProcess> {
    const app = new AppProcess(port, env);
    await app.start();
    return app;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server (again) and waits until it answers HTTP; resolves with the time it first answered. */
  async start(): Promise<number> {
    if (this.child) throw new Error(`the app on port ${this.port} is already running (pid ${this.child.pid})`);
    // Another process on the port would answer in its place (a server a crashed run left behind).
    if (await this.answers()) throw new Error(`something already answers on port ${this.port}: stop it, or set E2E_LIVE_EXTRA_PORT`);
    const child = spawn(process.execPath, [NEXT_BIN, "start", "-H", "127.0.0.1", "-p", String(this.port)], {
      env: { ...process.env, ...liveAppEnv(this.dataDir), ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code, signal) => reject(new Error(`next start on port ${this.port} exited (${signal ?? code}) before it answered:\n${this.log()}`))),
    );
    exited.catch(() => {});
    child.once("exit", () => {
      if (this.child === child) this.child = undefined;
    });
    return Promise.race([this.answered(), exited]);
  }

  /** Whether anything answers HTTP on the port (any status: 404 before the first Stop All is an answer). */
  private async answers(): Promise<boolean> {
    try {
      await fetch(`${this.url}/api/stop-all/current`, { signal: AbortSignal.timeout(2000) });
      return true;
    } catch {
      return false;
    }
  }

  private async answered(): Promise<number> {
    const until = Date.now() + READY_TIMEOUT_MS;
    while (!(await this.answers())) {
      if (Date.now() > until) throw new Error(`next start on port ${this.port} did not answer within ${READY_TIMEOUT_MS} ms:\n${this.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return Date.now();
  }

  /** Kills the server at once (SIGKILL: no shutdown hook runs, as in a crash or an OOM kill); resolves once it is gone. */
  async kill(): Promise<number> {
    const child = this.child;
    if (!child?.pid) throw new Error(`the app on port ${this.port} is not running`);
    if (child.exitCode !== null || child.signalCode !== null) return Date.now();
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    process.kill(child.pid, "SIGKILL");
    await gone;
    return Date.now();
  }

  /** Freezes the server (SIGSTOP: a process that hangs, as in a long GC pause or a stopped VM); it keeps its sockets and timers. */
  freeze(): number {
    process.kill(this.runningPid(), "SIGSTOP");
    return Date.now();
  }

  /** Lets a frozen server run again (SIGCONT): its timers that came due meanwhile fire at once. */
  resume(): number {
    process.kill(this.runningPid(), "SIGCONT");
    return Date.now();
  }

  private runningPid(): number {
    const pid = this.child?.pid;
    if (pid === undefined || this.child?.exitCode !== null || this.child?.signalCode !== null) throw new Error(`the app on port ${this.port} is not running`);
    return pid;
  }

  /** Everything the server printed (its last lines), for failure messages. */
  log(): string {
    return this.output.join("");
  }

  /**
   * Stops the server if it runs (SIGKILL: a graceful stop would wait for the
   * pages' open event streams) and removes its journal.
   */
  async dispose(): Promise<void> {
    if (this.child) await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
