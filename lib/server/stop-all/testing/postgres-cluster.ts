/**
 * A throw-away Postgres cluster for tests and local runs: a fresh data
 * directory under os.tmpdir(), one server on a free loopback port (TCP
 * only, no Unix socket), password auth, and `fsync = off` (fast; it
 * survives the server being killed, not the machine: never for real data). Run as an unprivileged user: as root
 * (CI), every binary runs under `runuser -u postgres --` (the user Debian's
 * `postgresql` package creates) and the directory is owned by it; otherwise
 * as the current user.
 *
 * The server can be stopped (`stop`: fast shutdown), killed (`kill`: like a
 * crash), paused (`pause`: every process SIGSTOPped, a database that hangs)
 * and started again on the same data and port, so tests can take Postgres
 * away mid-operation and bring it back. `destroy` removes it all.
 *
 * Used by lib/server/stop-all/journal.contract.test.ts and
 * e2e/live/run-postgres.mjs (`npm run db:start`). No "server-only": it runs
 * in plain Node too.
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export interface PostgresCluster {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres`: a superuser on the default database. */
  readonly url: string;
  readonly port: number;
  readonly password: string;
  /** The data directory (under `root`). */
  readonly dataDir: string;
  /** The temporary directory holding the data directory, the log and the password file. */
  readonly root: string;
  /** The URL of another database on the same server (create it first: `createDatabase`). */
  urlFor(database: string): string;
  /** Creates an empty database (from template0) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Whether the server is running (started, not stopped or killed; paused counts as running). */
  readonly running: boolean;
  /** Starts the server again on the same data directory and port; resolves when it accepts connections. No-op while running. */
  start(): Promise<void>;
  /** Fast shutdown: active connections are terminated (57P01), new ones refused. No-op when stopped. */
  stop(): Promise<void>;
  /** SIGKILLs the server and its backends (a crash: the next start recovers). */
  kill(): Promise<void>;
  /** SIGSTOPs the server and its backends: connections stay open but nothing answers (a hung database). */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stops the server (immediate) and removes the directory. */
  destroy(): Promise<void>;
  /** The server log's last lines (for a failing test's message). */
  logTail(lines?: number): string;
}

export class PostgresUnavailableError extends Error {
  constructor(message: string) {
    super(`${message}: install Debian's postgresql (apt-get install postgresql), or set PG_BIN to the directory holding initdb and pg_ctl`);
    this.name = "PostgresUnavailableError";
  }
}

/** Where initdb and pg_ctl are: $PG_BIN, the newest /usr/lib/postgresql/<major>/bin (Debian), else PATH. */
export function findPostgresBin(): string {
  const fromEnv = process.env.PG_BIN?.trim();
  if (fromEnv) {
    if (!existsSync(path.join(fromEnv, "initdb"))) throw new PostgresUnavailableError(`PG_BIN=${fromEnv} has no initdb`);
    return fromEnv;
  }
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((name) => /^\d+$/.test(name) && existsSync(path.join(debian, name, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0]) return path.join(debian, majors[0], "bin");
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  throw new PostgresUnavailableError("no Postgres server binaries (initdb, pg_ctl) found in /usr/lib/postgresql/<major>/bin or on PATH");
}

interface RunAs {
  /** The command line prefix (`runuser -u postgres --` as root, nothing otherwise). */
  prefix: string[];
  uid?: number;
  gid?: number;
}

function runAs(): RunAs {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return { prefix: [] };
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  } catch {
    throw new PostgresUnavailableError("running as root, and there is no `postgres` user to run the server as");
  }
  return { prefix: ["runuser", "-u", "postgres", "--"], uid, gid };
}

function run(as: RunAs, command: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<string> {
  const [file, ...rest] = [...as.prefix, command, ...args];
  return new Promise((resolve, reject) => {
    execFile(file!, rest, { cwd, timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(command)} ${args.join(" ")} failed: ${error.message}\n${stdout}${stderr}`.trim()));
      else resolve(stdout);
    });
  });
}

/** A port the kernel just gave out on 127.0.0.1 (free, unless someone takes it before Postgres binds it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The processes whose parent is `pid` (Linux /proc; elsewhere `pgrep -P`). */
function childrenOf(pid: number): number[] {
  if (existsSync("/proc/self/stat")) {
    const children: number[] = [];
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      try {
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (ppid === pid) children.push(Number(name));
      } catch {
        // exited meanwhile
      }
    }
    return children;
  }
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Whether `pid` runs (a zombie does not). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    if (existsSync("/proc/self/stat")) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where one cluster's files are, and how its binaries run. */
interface ClusterFiles {
  bin: string;
  as: RunAs;
  root: string;
  dataDir: string;
  logFile: string;
  password: string;
}

/** A fresh data directory (initdb, password auth), owned by the user the server runs as. */
async function initCluster(): Promise<ClusterFiles> {
  const bin = findPostgresBin();
  const as = runAs();
  const root = mkdtempSync(path.join(tmpdir(), "fleet-canvas-pg-"));
  const dataDir = path.join(root, "data");
  const logFile = path.join(root, "postgres.log");
  const password = randomBytes(12).toString("hex");
  const pwFile = path.join(root, "pwfile");
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  writeFileSync(logFile, "");
  if (as.uid !== undefined) {
    chownSync(root, as.uid, as.gid!);
    chownSync(pwFile, as.uid, as.gid!);
    chownSync(logFile, as.uid, as.gid!);
  }
  chmodSync(root, 0o700);
  try {
    await run(as, path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", `--pwfile=${pwFile}`, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"], root);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  rmSync(pwFile, { force: true });
  return { bin, as, root, dataDir, logFile, password };
}

/** Runs pg_ctl on the cluster's data directory. */
function pgCtl(files: ClusterFiles, args: string[]): Promise<string> {
  return run(files.as, path.join(files.bin, "pg_ctl"), ["-D", files.dataDir, ...args], files.root);
}

function writeSettings(dataDir: string, port: number): void {
  // The last setting in postgresql.conf wins: a new port is appended on a retry.
  appendFileSync(
    path.join(dataDir, "postgresql.conf"),
    [
      "",
      "# fleet-canvas throw-away test cluster",
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      // Nothing waits for the disk: safe when the server is killed (what tests do), not when the machine
      // dies. synchronous_commit stays on: off, a killed server would lose transactions it reported committed.
      "fsync = off",
      "full_page_writes = off",
      "max_connections = 100",
      "shared_buffers = 32MB",
      "logging_collector = off",
      "log_min_messages = warning",
      "",
    ].join("\n"),
  );
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Signals the postmaster, then its children (each backend runs in a session of its own: no process group to signal). */
function signalAll(dataDir: string, signal: NodeJS.Signals): void {
  const pid = postmasterPid(dataDir);
  if (pid === undefined) return;
  for (const target of [pid, ...childrenOf(pid)]) {
    try {
      process.kill(target, signal);
    } catch {
      // gone already
    }
  }
}

function readLogTail(logFile: string, lines = 30): string {
  try {
    return readFileSync(logFile, "utf8").trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** Starts the server on `requested`, else on a free port (one taken between asking and binding is retried with another). Returns the port. */
async function startOnPort(files: ClusterFiles, start: () => Promise<void>, requested: number | undefined): Promise<number> {
  let port = requested ?? 0;
  for (let attempt = 1; ; attempt++) {
    if (requested === undefined) port = await freePort();
    writeSettings(files.dataDir, port);
    try {
      await start();
      return port;
    } catch (error) {
      const portTaken = /could not bind|Address already in use/i.test(readLogTail(files.logFile, 10));
      if (!portTaken || requested !== undefined || attempt >= 5) {
        rmSync(files.root, { recursive: true, force: true });
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${readLogTail(files.logFile)}`);
      }
    }
  }
}

/** SIGKILLs the server and its backends, and waits for the postmaster to die. */
async function killServer(dataDir: string): Promise<void> {
  const pid = postmasterPid(dataDir);
  signalAll(dataDir, "SIGKILL");
  if (pid === undefined) return;
  // Dead, or a zombie nobody reaped yet (the postmaster's parent is init): Postgres would take either for a
  // live server holding the lock file, so once it is dead the file goes (a crash leaves it; start recovers).
  for (let i = 0; i < 250 && isAlive(pid); i++) await sleep(20);
  rmSync(path.join(dataDir, "postmaster.pid"), { force: true });
}

async function createDatabaseOn(url: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`createDatabase: use a plain lowercase name, not ${JSON.stringify(name)}`);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE template0`);
  } finally {
    await client.end();
  }
}

/** Initialises a fresh cluster and starts it. */
export async function startPostgresCluster(options: { port?: number } = {}): Promise<PostgresCluster> {
  const files = await initCluster();
  const { dataDir, root, password } = files;
  let running = false;
  const start = async () => {
    if (running) return;
    await pgCtl(files, ["-l", files.logFile, "-w", "-t", "30", "start"]);
    running = true;
  };
  const port = await startOnPort(files, start, options.port);
  const urlFor = (database: string) => `postgres://postgres:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

  // A test process that ends without destroy() (a crash, a timeout) leaves no server or data behind.
  const onExit = () => {
    signalAll(dataDir, "SIGCONT");
    signalAll(dataDir, "SIGKILL");
    rmSync(root, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  return {
    url: urlFor("postgres"),
    port,
    password,
    dataDir,
    root,
    urlFor,
    get running() {
      return running;
    },
    async createDatabase(name) {
      await createDatabaseOn(urlFor("postgres"), name);
      return urlFor(name);
    },
    start,
    async stop() {
      if (!running) return;
      signalAll(dataDir, "SIGCONT");
      await pgCtl(files, ["-m", "fast", "-w", "-t", "30", "stop"]);
      running = false;
    },
    async kill() {
      running = false;
      await killServer(dataDir);
    },
    pause: async () => signalAll(dataDir, "SIGSTOP"),
    resume: async () => signalAll(dataDir, "SIGCONT"),
    async destroy() {
      if (running) {
        signalAll(dataDir, "SIGCONT");
        await pgCtl(files, ["-m", "immediate", "-w", "-t", "30", "stop"]).catch(() => signalAll(dataDir, "SIGKILL"));
        running = false;
      }
      process.removeListener("exit", onExit);
      rmSync(root, { recursive: true, force: true });
    },
    logTail: (lines) => readLogTail(files.logFile, lines),
  };
}
