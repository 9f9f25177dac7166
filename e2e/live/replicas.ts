import pg from "pg";
import { startPostgresCluster, type PostgresCluster } from "../../lib/server/stop-all/testing/postgres-cluster";
import { AppProcess } from "./app-process";
import { expect, migratorStuck, rpcMethod, StopAllServer, test as liveTest, type TestPlatform } from "./fixtures";

/**
 * Several canvas replicas on one Postgres journal, for e2e/live/replicas.spec.ts:
 * a throw-away Postgres cluster per worker (postgres-cluster.ts), a fresh
 * database per test (no test sees another's history), two `next start`
 * replicas of the live build on it (app-process.ts, with DATABASE_URL; the
 * rest of their environment is the live webServer's: the test platform,
 * its token, LIVE_DEADLINE_MS, AUTH_USER_HEADER), and the journal read
 * straight from Postgres (who drives, which restarts were claimed).
 */

/** The replicas' ports (`E2E_LIVE_REPLICA_PORTS=3220,3221`), clear of the shared live app and of server-restart.spec.ts's extra server. */
export const REPLICA_PORTS = parsePorts(process.env.E2E_LIVE_REPLICA_PORTS ?? "3220,3221");

function parsePorts(text: string): [number, number] {
  const ports = text.split(",").map((part) => Number(part.trim()));
  if (ports.length !== 2 || ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535) || ports[0] === ports[1]) {
    throw new Error(`E2E_LIVE_REPLICA_PORTS must be two different ports, like 3220,3221; got ${JSON.stringify(text)}`);
  }
  return ports as [number, number];
}

/** One canvas replica: its process, and its Stop All as read over HTTP. */
export interface Replica {
  readonly name: string;
  readonly app: AppProcess;
  readonly server: StopAllServer;
  /** Its process id: the first part of the lease owner it writes (`${pid}-${uuid}`, lib/server/stop-all/runtime.ts). */
  readonly pid: number;
  readonly url: string;
}

/** A row of `stop_all_operations`, as the spec reads it. */
export interface OperationRow {
  id: string;
  status: "running" | "finished";
  lease_owner: string;
  lease_generation: number;
  lease_until: number;
}

/** A row of `stop_all_restart_claims`: the journal's mark, made before a restart leaves. */
export interface ClaimRow {
  operation_id: string;
  workspace_id: string;
  attempt: number;
  generation: number;
  claimed_at: number;
}

/** The pid part of a lease owner (`${pid}-${uuid}`). */
export function pidOfOwner(owner: string): number {
  const pid = Number(owner.split("-", 1)[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`not a lease owner of the form <pid>-<uuid>: ${JSON.stringify(owner)}`);
  return pid;
}

/**
 * The replicas' journal, read straight from Postgres (a test may: the API
 * does not say which replica drives). A pool, so it carries on after
 * Postgres was stopped and started again; its queries reject while it is down.
 */
export class JournalReader {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 2000, idleTimeoutMillis: 1000 });
    // A pooled connection that Postgres ends (a stop) is dropped, not thrown at the test process.
    this.pool.on("error", () => {});
  }

  private async rows<T>(sql: string, values: unknown[] = []): Promise<T[]> {
    // BIGINT columns (times) come back as strings from pg: the specs compare numbers.
    const { rows } = await this.pool.query(sql, values);
    return rows.map((row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === "string" && /^(lease_until|claimed_at|lease_generation|attempt|generation)$/.test(key) ? Number(value) : value])),
    ) as T[];
  }

  operations(): Promise<OperationRow[]> {
    return this.rows<OperationRow>("SELECT id, status, lease_owner, lease_generation, lease_until FROM stop_all_operations ORDER BY started_at");
  }

  async operation(id: string): Promise<OperationRow | undefined> {
    return (await this.rows<OperationRow>("SELECT id, status, lease_owner, lease_generation, lease_until FROM stop_all_operations WHERE id = $1", [id]))[0];
  }

  /** The pid of the replica whose lease the running operation is under, or undefined when none runs. */
  async drivingPid(): Promise<number | undefined> {
    const [running] = await this.rows<{ lease_owner: string }>("SELECT lease_owner FROM stop_all_operations WHERE status = 'running'");
    return running ? pidOfOwner(running.lease_owner) : undefined;
  }

  restartClaims(): Promise<ClaimRow[]> {
    return this.rows<ClaimRow>("SELECT operation_id, workspace_id, attempt, generation, claimed_at FROM stop_all_restart_claims ORDER BY claimed_at");
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** Two replicas on one fresh database of the worker's cluster. */
export interface Replicas {
  readonly a: Replica;
  readonly b: Replica;
  readonly cluster: PostgresCluster;
  readonly databaseUrl: string;
  readonly journal: JournalReader;
}

let databases = 0;

async function launchReplica(name: string, port: number, databaseUrl: string): Promise<Replica> {
  const app = await AppProcess.launch(port, { DATABASE_URL: databaseUrl });
  return { name, app, server: new StopAllServer(app.url), pid: app.pid!, url: app.url };
}

/**
 * The live fixtures, plus `postgres` (one cluster per worker, destroyed
 * with it) and `replicas` (per test: a fresh database, two replicas on it,
 * killed after the test; Postgres started again if the test left it stopped).
 */
export const test = liveTest.extend<{ replicas: Replicas }, { postgres: PostgresCluster }>({
  postgres: [
    async ({}, use) => {
      const cluster = await startPostgresCluster();
      try {
        await use(cluster);
      } finally {
        await cluster.destroy();
      }
    },
    { scope: "worker", timeout: 60_000 },
  ],
  // After the platform's reset (`platform`), so the replicas boot on the fleet of fleet.ts.
  replicas: async ({ postgres, platform }, use, testInfo) => {
    void platform;
    databases += 1;
    const databaseUrl = await postgres.createDatabase(`replicas_${process.pid}_${databases}`);
    const launched = await Promise.allSettled([launchReplica("A", REPLICA_PORTS[0], databaseUrl), launchReplica("B", REPLICA_PORTS[1], databaseUrl)]);
    const started = launched.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    const journal = new JournalReader(databaseUrl);
    try {
      const failed = launched.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
      const [a, b] = started as [Replica, Replica];
      await use({ a, b, cluster: postgres, databaseUrl, journal });
    } finally {
      // A failure's evidence: what each replica printed, and Postgres's log.
      if (testInfo.status !== testInfo.expectedStatus) {
        for (const replica of started) await testInfo.attach(`replica ${replica.name} (pid ${replica.pid}) output`, { body: replica.app.log(), contentType: "text/plain" });
        await testInfo.attach("postgres log", { body: postgres.logTail(200), contentType: "text/plain" });
      }
      for (const replica of started) await replica.app.dispose();
      await journal.close().catch(() => {});
      // A test that stopped Postgres and failed before it started it again: the next test needs it.
      if (!postgres.running) await postgres.start();
    }
  },
});

export { expect };

/** The phase-1 calls (listings and cancels) that reached the platform, as "<workspace> <method>", sorted. */
export async function phase1Calls(platform: TestPlatform): Promise<string[]> {
  const calls = await platform.requests({ method: "POST", path: /^\/workspaces\/[^/]+\/a2a$/ });
  return calls.map((r) => `${r.path.split("/")[2]} ${rpcMethod(r)}`).sort();
}

/** The restarts the platform received, as workspace id → count. */
export async function restartCounts(platform: TestPlatform): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const request of await platform.requests({ method: "POST", path: /^\/workspaces\/[^/]+\/restart$/ })) {
    const id = request.path.split("/")[2]!;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

/** Waits until `at` (epoch ms): a scenario's own instant ("kill at 1.5 s"), not a wait for a condition. */
export async function until(at: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
}

export { migratorStuck };
