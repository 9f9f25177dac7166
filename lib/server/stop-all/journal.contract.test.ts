/**
 * The journal's contract, held by both stores: the embedded one (SQLite in
 * a temporary directory) and Postgres (a throw-away cluster, started once:
 * real Postgres, no mock; see testing/postgres-cluster.ts). Each test gets a
 * fresh store (a directory, or a database on the cluster). On Postgres the
 * "replicas" are separate journals on the same database, each with its own
 * pool; the embedded store is one process, so there they are one journal.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { JournaledEvent, OperationInfo } from "../../stop-all-host/wire";
import { initialState } from "../../stop-all/transitions";
import type { StopAllState } from "../../stop-all/types";
import { JournalUnavailableError, type JournalChange, type Lease, type OperationJournal } from "./journal";
import { startPostgresCluster, type PostgresCluster } from "./testing/postgres-cluster";

vi.mock("server-only", () => ({}));
const { openSqliteJournal } = await import("./journal-sqlite");
const { isUnreachable, openPostgresJournal, redactDatabaseUrl } = await import("./journal-postgres");

/** Version 1 of the schema as it shipped (before leases, claims and queued actions, and before the meta row held the version). */
const V1_SCHEMA = [
  `CREATE TABLE stop_all_operations (
     id TEXT PRIMARY KEY,
     fleet TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
     started_at BIGINT NOT NULL,
     info TEXT NOT NULL,
     base_seq INTEGER NOT NULL,
     base_state TEXT NOT NULL,
     last_state TEXT
   )`,
  `CREATE UNIQUE INDEX stop_all_one_running_per_fleet ON stop_all_operations (fleet) WHERE status = 'running'`,
  `CREATE INDEX stop_all_operations_by_fleet ON stop_all_operations (fleet, started_at)`,
  `CREATE TABLE stop_all_events (operation_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (operation_id, seq))`,
  `CREATE TABLE stop_all_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
];

/** One empty store: journals opened on it share it (one file, one database). */
interface Store {
  open(): Promise<OperationJournal>;
  /** Runs plain SQL on the store outside any journal (to build an old schema, or read what a journal wrote). */
  sql(statements: readonly string[]): Promise<Record<string, unknown>[]>;
}

interface Backend {
  name: "embedded" | "postgres";
  /** Whether two journals on one store behave as two processes (replicas). */
  replicas: boolean;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  fresh(): Promise<Store>;
}

let cluster: PostgresCluster | undefined;
const dirs: string[] = [];
let databases = 0;

const embedded: Backend = {
  name: "embedded",
  replicas: false,
  async setup() {},
  async teardown() {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  },
  async fresh() {
    const dir = mkdtempSync(path.join(tmpdir(), "journal-contract-"));
    dirs.push(dir);
    return {
      open: () => openSqliteJournal(dir),
      async sql(statements) {
        const db = new Database(path.join(dir, "stop-all.sqlite"));
        try {
          let rows: Record<string, unknown>[] = [];
          for (const statement of statements) {
            const prepared = db.prepare(statement);
            rows = prepared.reader ? (prepared.all() as Record<string, unknown>[]) : (prepared.run(), []);
          }
          return rows;
        } finally {
          db.close();
        }
      },
    };
  },
};

const postgres: Backend = {
  name: "postgres",
  replicas: true,
  async setup() {
    cluster = await startPostgresCluster();
  },
  async teardown() {
    await cluster?.destroy();
    cluster = undefined;
  },
  async fresh() {
    const url = await cluster!.createDatabase(`journal_${++databases}`);
    return {
      open: () => openPostgresJournal(url, { applicationName: "journal-contract" }),
      async sql(statements) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          let rows: Record<string, unknown>[] = [];
          for (const statement of statements) rows = (await client.query(statement)).rows;
          return rows;
        } finally {
          await client.end();
        }
      },
    };
  },
};

const FLEET = "fleet-a";
const seeds = [
  { workspaceId: "w1", name: "one", protocol: "1.0" as const },
  { workspaceId: "w2", name: "two", protocol: "0.3" as const },
];
const stateAt = (startedAt: number): StopAllState => initialState(seeds, startedAt, startedAt + 8000);
const info = (id: string, startedAt = 1000, fleet = FLEET): OperationInfo => ({ id, fleet, actor: "ada@example.com", reason: "maintenance", startedAt, leftOut: [], actions: [] });
const event = (seq: number, workspaceId = "w1"): JournaledEvent => ({ seq, event: { type: "cancel-sent", workspaceId, at: 1000 + seq } });

/** Waits up to `ms` for `predicate`, checking every 5 ms; returns the time it took, or undefined. */
async function until(predicate: () => boolean, ms: number): Promise<number | undefined> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > ms) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - start;
}

describe.each([embedded, postgres])("the $name journal", (backend) => {
  let store: Store;
  let opened: OperationJournal[] = [];
  const open = async () => {
    const journal = await store.open();
    opened.push(journal);
    return journal;
  };
  /** Two replicas on one store (the embedded store: one journal twice). */
  const replicas = async (): Promise<[OperationJournal, OperationJournal]> => {
    const a = await open();
    return [a, backend.replicas ? await open() : a];
  };

  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown(), 30_000);
  afterEach(async () => {
    await Promise.all(opened.map((journal) => journal.close()));
    opened = [];
  });
  const fresh = async () => {
    store = await backend.fresh();
    return open();
  };

  it("begins an operation with lease generation 1 and reads it back", async () => {
    const journal = await fresh();
    expect(journal.kind).toBe(backend.name);
    expect(await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000)).toEqual({ ok: true, lease: { owner: "replica-a", generation: 1 } });
    expect(await journal.load("op-1")).toEqual({
      info: info("op-1"),
      status: "running",
      base: { seq: 0, state: stateAt(1000) },
      events: [],
      lease: { owner: "replica-a", generation: 1, until: 5000 },
    });
    expect(await journal.running(FLEET)).toEqual([{ id: "op-1", lease: { owner: "replica-a", generation: 1, until: 5000 } }]);
    expect(await journal.load("nope")).toBeUndefined();
  });

  it("refuses a second begin for a fleet while one runs, naming the running one", async () => {
    const journal = await fresh();
    await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    expect(await journal.begin(info("op-2", 2000), stateAt(2000), "replica-b", 6000)).toEqual({ ok: false, runningId: "op-1" });
    expect((await journal.begin(info("op-3", 2000, "fleet-b"), stateAt(2000), "replica-b", 6000)).ok).toBe(true);
    expect(await journal.load("op-2")).toBeUndefined();
  });

  it("lets exactly one of concurrent begins win", async () => {
    await fresh();
    const [a, b] = await replicas();
    const journals = [a, b, a, b, a, b];
    const results = await Promise.all(journals.map((journal, i) => journal.begin(info(`op-${i}`, 1000 + i), stateAt(1000), `replica-${i}`, 5000)));
    const winners = results.flatMap((result, i) => (result.ok ? [`op-${i}`] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) if (!result.ok) expect(result.runningId).toBe(winners[0]);
    expect((await a.running(FLEET)).map((row) => row.id)).toEqual(winners);
  });

  it("folds appended events after the base; rebase and finish drop the events up to their seq", async () => {
    const journal = await fresh();
    await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    const lease = { owner: "replica-a", generation: 1 };
    expect(await journal.append("op-1", lease, [event(1), event(2)])).toBe(true);
    expect(await journal.append("op-1", lease, [event(3, "w2")])).toBe(true);
    expect(await journal.append("op-1", lease, [])).toBe(true);
    await journal.append("op-1", lease, [event(2, "w2")]); // a repeated seq is ignored: the first write stands
    expect(await journal.append("op-1", { owner: "replica-b", generation: 1 }, [event(4)])).toBe(false);
    expect(await journal.append("op-1", { owner: "replica-a", generation: 2 }, [event(4)])).toBe(false);
    expect(await journal.append("nope", lease, [event(1)])).toBe(false);
    expect((await journal.load("op-1"))!.events).toEqual([event(1), event(2), event(3, "w2")]);
    expect(await journal.eventsAfter("op-1", 1)).toEqual([event(2), event(3, "w2")]);

    const resumed = stateAt(1500);
    expect(await journal.rebase("op-1", { owner: "replica-b", generation: 1 }, 2, resumed)).toBe(false);
    expect((await journal.load("op-1"))!.base.seq).toBe(0);
    expect(await journal.rebase("op-1", lease, 2, resumed)).toBe(true);
    const rebased = (await journal.load("op-1"))!;
    expect(rebased.base).toEqual({ seq: 2, state: resumed });
    expect(rebased.events).toEqual([event(3, "w2")]);
    expect(await journal.eventsAfter("op-1", 0)).toEqual([event(3, "w2")]);

    await journal.append("op-1", lease, [event(4)]);
    const final = { ...stateAt(1000), phase: "finished" } as StopAllState;
    expect(await journal.finish("op-1", { owner: "replica-a", generation: 2 }, 4, final)).toBe(false);
    expect((await journal.load("op-1"))!.status).toBe("running");
    expect(await journal.finish("op-1", lease, 4, final)).toBe(true);
    const finished = (await journal.load("op-1"))!;
    expect(finished.status).toBe("finished");
    expect(finished.base).toEqual({ seq: 4, state: final });
    expect(finished.events).toEqual([]);
    expect(await journal.running(FLEET)).toEqual([]);
    expect((await journal.begin(info("op-2", 2000), stateAt(2000), "replica-a", 9000)).ok).toBe(true);
  });

  it("writes a batch of thousands of events in one statement, each exactly as given (seqs past a resume jump, any text)", async () => {
    const journal = await fresh();
    await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    const lease = { owner: "replica-a", generation: 1 };
    const awkward = `quotes " and \\ backslash, ' apostrophe, $.seq, emoji 🛑, é, \u2028 line sep, {"json": [1]}`;
    const batch: JournaledEvent[] = Array.from({ length: 3000 }, (_, i) => ({
      seq: 1_000_001 + i,
      event: i % 3 === 0 ? { type: "cancel-sent", workspaceId: `w${i}`, at: 1000 + i } : { type: "restart-failed-note", workspaceId: `w${i}`, at: 1000 + i, message: awkward } as unknown as JournaledEvent["event"],
    }));
    expect(await journal.append("op-1", lease, batch)).toBe(true);
    expect(await journal.eventsAfter("op-1", 0)).toEqual(batch);
    // A batch that overlaps what is written keeps the first writes and adds the rest.
    const overlap = [{ ...batch[2999]!, event: { type: "cancel-sent", workspaceId: "other", at: 1 } } as JournaledEvent, { seq: 1_003_001, event: { type: "cancel-sent", workspaceId: "w1", at: 9 } } as JournaledEvent];
    expect(await journal.append("op-1", lease, overlap)).toBe(true);
    expect((await journal.eventsAfter("op-1", 1_002_999)).map((e) => e.event)).toEqual([batch[2999]!.event, overlap[1]!.event]);
  });

  it("extends the lease with an append that says until when, never shortening it, and only for its holder", async () => {
    const journal = await fresh();
    await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    const lease = { owner: "replica-a", generation: 1 };
    expect(await journal.append("op-1", lease, [event(1)], 8000)).toBe(true);
    expect(await journal.takeOver("op-1", "replica-b", 7999, 12_000)).toBeUndefined();
    expect(await journal.append("op-1", lease, [event(2)], 6000)).toBe(true); // a late write does not shorten it
    expect(await journal.takeOver("op-1", "replica-b", 7999, 12_000)).toBeUndefined();
    expect(await journal.append("op-1", { owner: "replica-b", generation: 1 }, [event(3)], 99_000)).toBe(false);
    expect(await journal.takeOver("op-1", "replica-b", 8001, 12_000)).toEqual({ owner: "replica-b", generation: 2 });
    expect(await journal.append("op-1", lease, [event(3)], 99_000)).toBe(false);
  });

  it("claims a restart once per attempt, and never under a lease that moved on", async () => {
    const journal = await fresh();
    const begun = await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    const first = (begun as { lease: Lease }).lease;
    expect(await journal.claimRestart("op-1", first, "w1", 1, 1100)).toBe("claimed");
    expect(await journal.claimRestart("op-1", first, "w1", 1, 1200)).toBe("claimed-elsewhere");
    expect(await journal.claimRestart("op-1", first, "w1", 2, 1300)).toBe("claimed");
    expect(await journal.claimRestart("op-1", first, "w2", 1, 1300)).toBe("claimed");

    const second = (await journal.takeOver("op-1", "replica-b", 5001, 9000))!;
    expect(second).toEqual({ owner: "replica-b", generation: 2 });
    expect(await journal.claimRestart("op-1", first, "w1", 3, 5100)).toBe("not-owner");
    // The new driver does not send what the old one claimed.
    expect(await journal.claimRestart("op-1", second, "w1", 2, 5100)).toBe("claimed-elsewhere");
    expect(await journal.claimRestart("op-1", second, "w1", 3, 5100)).toBe("claimed");
    expect(await journal.claimRestart("op-1", { owner: "replica-a", generation: 2 }, "w1", 4, 5100)).toBe("not-owner");
    expect(await journal.claimRestart("nope", second, "w1", 1, 5100)).toBe("not-owner");
  });

  it("claims a deadline's thousands of restarts at once, each exactly once, and none under a lease that moved on", async () => {
    const journal = await fresh();
    const begun = await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    const lease = (begun as { lease: Lease }).lease;
    const ids = Array.from({ length: 2000 }, (_, i) => `ws-${i}`);
    expect(await journal.claimRestart("op-1", lease, "ws-7", 1, 1050)).toBe("claimed");
    // All asked for in one turn (as a deadline does), with one claim twice and one made already.
    const asked = [...ids, "ws-3"].map((id) => journal.claimRestart("op-1", lease, id, 1, 1100));
    const answers = await Promise.all(asked);
    expect(answers.filter((a) => a === "claimed")).toHaveLength(1999);
    expect([answers[7], answers[2000]]).toEqual(["claimed-elsewhere", "claimed-elsewhere"]);
    // A second replica's claims in the same turn as the first's: the old lease wins nothing.
    const second = (await journal.takeOver("op-1", "replica-b", 5001, 9000))!;
    const mixed = await Promise.all([journal.claimRestart("op-1", lease, "ws-1", 2, 5100), journal.claimRestart("op-1", second, "ws-1", 2, 5100), journal.claimRestart("op-1", second, "ws-2", 1, 5100)]);
    expect(mixed).toEqual(["not-owner", "claimed", "claimed-elsewhere"]);
  });

  it("renews the lease for its holder only", async () => {
    const journal = await fresh();
    await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    const lease = { owner: "replica-a", generation: 1 };
    expect(await journal.renewLease("op-1", lease, 7000)).toBe(true);
    expect((await journal.load("op-1"))!.lease).toEqual({ ...lease, until: 7000 });
    expect(await journal.renewLease("op-1", { owner: "replica-b", generation: 1 }, 9000)).toBe(false);

    const taken = (await journal.takeOver("op-1", "replica-b", 7001, 11_000))!;
    expect(await journal.renewLease("op-1", lease, 12_000)).toBe(false);
    expect(await journal.renewLease("op-1", taken, 12_000)).toBe(true);
    expect(await journal.finish("op-1", lease, 0, stateAt(1000))).toBe(false);
    expect(await journal.finish("op-1", taken, 0, stateAt(1000))).toBe(true);
    expect(await journal.renewLease("op-1", taken, 13_000)).toBe(false);
  });

  it("takes over only after the lease ended, one taker at a time, with the next generation", async () => {
    await fresh();
    const [a, b] = await replicas();
    await a.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    expect(await b.takeOver("op-1", "replica-b", 4999, 9000)).toBeUndefined();
    expect(await b.takeOver("op-1", "replica-b", 5000, 9000)).toBeUndefined();
    const takers = await Promise.all([a, b, a, b].map((journal, i) => journal.takeOver("op-1", `replica-${i}`, 5001, 9000 + i)));
    const won = takers.filter((lease) => lease !== undefined);
    expect(won).toHaveLength(1);
    expect(won[0]!.generation).toBe(2);
    const { lease } = (await a.load("op-1"))!;
    expect(lease).toEqual({ ...won[0], until: 9000 + takers.indexOf(won[0]) });
    expect(await a.takeOver("op-1", "replica-c", 8000, 12_000)).toBeUndefined();
    expect(await a.takeOver("op-1", "replica-c", lease.until + 1, 12_000)).toEqual({ owner: "replica-c", generation: 3 });
    expect(await a.finish("op-1", { owner: "replica-c", generation: 3 }, 0, stateAt(1000))).toBe(true);
    expect(await a.takeOver("op-1", "replica-d", 99_000, 100_000)).toBeUndefined();
    expect(await a.takeOver("nope", "replica-d", 99_000, 100_000)).toBeUndefined();
  });

  it("queues actions for the driver, who takes each once while its lease is current", async () => {
    await fresh();
    const [a, b] = await replicas();
    await a.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    const lease = { owner: "replica-a", generation: 1 };
    const later = { id: "act-2", operationId: "op-1", request: { action: "keep" as const, workspaceId: "w2" }, actor: "bob", at: 1200 };
    const sooner = { id: "act-1", operationId: "op-1", request: { action: "restart-now" as const, workspaceId: "w1" }, actor: "ada", at: 1100 };
    await b.queueAction(later);
    await b.queueAction(sooner);
    expect(await b.actionTaken("act-1")).toBe(false);
    expect(await a.takeActions("op-1", { owner: "replica-b", generation: 1 })).toEqual([]);
    expect(await a.takeActions("op-1", lease)).toEqual([sooner, later]);
    expect(await a.takeActions("op-1", lease)).toEqual([]);
    expect(await b.actionTaken("act-1")).toBe(true);
    expect(await b.actionTaken("act-2")).toBe(true);
    expect(await b.actionTaken("nope")).toBe(false);

    // Two takers at once (a driver and one that thinks it still is): each action goes to one of them.
    for (let i = 0; i < 5; i++) await b.queueAction({ ...sooner, id: `act-x${i}`, at: 2000 + i });
    const taken = await Promise.all([a.takeActions("op-1", lease), b.takeActions("op-1", lease)]);
    expect(taken.flat().map((action) => action.id).sort()).toEqual(["act-x0", "act-x1", "act-x2", "act-x3", "act-x4"]);

    // After a takeover, the old driver takes nothing.
    await b.queueAction({ ...sooner, id: "act-3", at: 3000 });
    const next = (await b.takeOver("op-1", "replica-b", 5001, 9000))!;
    expect(await a.takeActions("op-1", lease)).toEqual([]);
    expect((await b.takeActions("op-1", next)).map((action) => action.id)).toEqual(["act-3"]);
  });

  it("records actions in the info under the lease, and reopens a finished operation (next generation) unless another runs", async () => {
    const journal = await fresh();
    await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    const lease = { owner: "replica-a", generation: 1 };
    const action = { at: 1500, actor: "bob", action: "keep" as const, workspaceId: "w1" };
    expect(await journal.recordAction("op-1", lease, action)).toBe(true);
    expect(await journal.recordAction("op-1", { owner: "replica-b", generation: 1 }, { ...action, at: 1600 })).toBe(false);
    expect((await journal.load("op-1"))!.info.actions).toEqual([action]);
    expect(await journal.recordAction("nope", lease, action)).toBe(false);

    expect(await journal.reopen("op-1", "replica-b", 20_000)).toEqual({ ok: false, runningId: "op-1" }); // still running
    await journal.finish("op-1", lease, 0, stateAt(1000));
    expect(await journal.reopen("op-1", "replica-b", 20_000)).toEqual({ ok: true, lease: { owner: "replica-b", generation: 2 } });
    expect(await journal.load("op-1")).toMatchObject({ status: "running", lease: { owner: "replica-b", generation: 2, until: 20_000 } });
    expect(await journal.append("op-1", lease, [event(1)])).toBe(false);
    await journal.finish("op-1", { owner: "replica-b", generation: 2 }, 0, stateAt(1000));
    await journal.begin(info("op-2", 2000), stateAt(2000), "replica-c", 6000);
    expect(await journal.reopen("op-1", "replica-b", 20_000)).toEqual({ ok: false, runningId: "op-2" });
    expect((await journal.load("op-1"))!.status).toBe("finished");
    expect(await journal.reopen("nope", "replica-b", 20_000)).toEqual({ ok: false, runningId: "unknown" });
  });

  it("lists a fleet's recent operations newest first, with their last state", async () => {
    const journal = await fresh();
    for (const [i, startedAt] of [3000, 1000, 2000].entries()) {
      await journal.begin(info(`op-${startedAt}`, startedAt), stateAt(startedAt), "replica-a", 9000);
      if (i < 2) await journal.finish(`op-${startedAt}`, { owner: "replica-a", generation: 1 }, 0, { ...stateAt(startedAt), phase: "finished" } as StopAllState);
    }
    await journal.begin(info("other", 5000, "fleet-b"), stateAt(5000), "replica-a", 9000);
    const recent = await journal.recent(FLEET, 10);
    expect(recent.map((row) => row.info.id)).toEqual(["op-3000", "op-2000", "op-1000"]);
    expect(recent.map((row) => row.state.phase)).toEqual(["finished", "cancelling", "finished"]);
    expect((await journal.recent(FLEET, 2)).map((row) => row.info.id)).toEqual(["op-3000", "op-2000"]);
  });

  it("opens the same store twice (and, on Postgres, two replicas starting at once)", async () => {
    const journal = await fresh();
    await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    await journal.close();
    const again = await open();
    expect((await again.load("op-1"))!.status).toBe("running");
    if (backend.replicas) {
      const racing = await Promise.all([open(), open(), open()]);
      for (const replica of racing) expect((await replica.load("op-1"))!.status).toBe("running");
      // A fresh database, created by replicas starting together.
      store = await backend.fresh();
      const starting = await Promise.all([open(), open(), open()]);
      expect((await starting[0]!.begin(info("op-9"), stateAt(1000), "replica-a", 5000)).ok).toBe(true);
      expect((await starting[2]!.load("op-9"))!.status).toBe("running");
    }
    expect(await store.sql(["SELECT value FROM stop_all_meta WHERE key = 'schema_version'"])).toEqual([{ value: "2" }]);
  });

  it("migrates a version 1 store to version 2, keeping its operations", async () => {
    store = await backend.fresh();
    const old = info("op-v1", 1000);
    const final = { ...stateAt(1000), phase: "finished" } as StopAllState;
    const quote = (value: unknown) => `'${JSON.stringify(value).replaceAll("'", "''")}'`;
    await store.sql([
      ...V1_SCHEMA,
      `INSERT INTO stop_all_operations (id, fleet, status, started_at, info, base_seq, base_state, last_state)
       VALUES ('op-v1', '${FLEET}', 'finished', 1000, ${quote(old)}, 3, ${quote(final)}, ${quote(final)})`,
      `INSERT INTO stop_all_operations (id, fleet, status, started_at, info, base_seq, base_state)
       VALUES ('op-v1-running', '${FLEET}', 'running', 2000, ${quote(info("op-v1-running", 2000))}, 0, ${quote(stateAt(2000))})`,
      `INSERT INTO stop_all_events (operation_id, seq, event) VALUES ('op-v1-running', 1, ${quote(event(1).event)})`,
    ]);
    const journal = await open();
    expect(await journal.load("op-v1")).toEqual({ info: old, status: "finished", base: { seq: 3, state: final }, events: [], lease: { owner: "", generation: 1, until: 0 } });
    const running = (await journal.load("op-v1-running"))!;
    expect(running.events).toEqual([event(1)]);
    expect(running.lease).toEqual({ owner: "", generation: 1, until: 0 });
    expect((await journal.recent(FLEET, 10)).map((row) => row.info.id)).toEqual(["op-v1-running", "op-v1"]);
    // Its running operation can be taken over (its lease ended long ago) and driven on.
    const lease = (await journal.takeOver("op-v1-running", "replica-a", 3000, 9000))!;
    expect(lease).toEqual({ owner: "replica-a", generation: 2 });
    expect(await journal.claimRestart("op-v1-running", lease, "w1", 1, 3100)).toBe("claimed");
    await journal.queueAction({ id: "act-1", operationId: "op-v1-running", request: { action: "keep" }, actor: "ada", at: 3200 });
    expect(await journal.takeActions("op-v1-running", lease)).toHaveLength(1);
    expect(await store.sql(["SELECT value FROM stop_all_meta WHERE key = 'schema_version'"])).toEqual([{ value: "2" }]);
  });

  it("refuses a store a newer canvas wrote", async () => {
    await (await fresh()).close();
    opened = [];
    await store.sql(["UPDATE stop_all_meta SET value = '3' WHERE key = 'schema_version'"]);
    await expect(store.open()).rejects.toThrow(/newer canvas \(schema 3; this build reads 2\)/);
  });

  if (backend.name !== "postgres") return;

  it("tells unreachable from refused, and redacts the password", () => {
    const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });
    for (const error of [withCode("ECONNREFUSED"), withCode("57P01"), withCode("08006"), withCode("57014"), new Error("Connection terminated unexpectedly"), new Error("timeout exceeded when trying to connect"), new Error("Query read timeout")])
      expect(isUnreachable(error), error.message).toBe(true);
    for (const error of [withCode("23505"), withCode("42P01"), withCode("28P01"), new Error("boom"), "ECONNREFUSED"]) expect(isUnreachable(error)).toBe(false);
    expect(redactDatabaseUrl("postgres://canvas:s3cr%2Ft@db.internal:5432/fleet?sslmode=require")).toBe("postgres://canvas:***@db.internal:5432/fleet?…");
  });

  it("tells another replica's onChange what one wrote, within 200 ms (and not itself)", async () => {
    await fresh();
    const [a, b] = await replicas();
    const heardByB: JournalChange[] = [];
    const heardByA: JournalChange[] = [];
    b.onChange((change) => heardByB.push(change));
    const stopA = a.onChange((change) => heardByA.push(change));

    await a.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    const lease = { owner: "replica-a", generation: 1 };
    expect(await until(() => heardByB.length === 1, 1000)).toBeDefined();
    expect(heardByB[0]).toEqual({ kind: "operation", operationId: "op-1" });
    await a.queueAction({ id: "act-1", operationId: "op-1", request: { action: "keep" }, actor: "ada", at: 1 });
    expect(await until(() => heardByB.length === 2, 1000)).toBeDefined();
    expect(heardByB[1]).toEqual({ kind: "action", operationId: "op-1" });

    // Timed in the listener itself: from the start of an append (its transaction, then NOTIFY), and from its
    // commit (the append's transaction resolved; NOTIFY is sent after it), to the other replica's onChange.
    const heardAt: number[] = [];
    b.onChange(() => heardAt.push(performance.now()));
    const fromStart: number[] = [];
    const fromCommit: number[] = [];
    for (let seq = 1; seq <= 50; seq++) {
      const heard = heardAt.length;
      const start = performance.now();
      let committed = 0;
      await a.append("op-1", lease, [event(seq)]).then(() => (committed = performance.now()));
      expect(await until(() => heardAt.length > heard, 1000), `event ${seq} was not heard within 1 s`).toBeDefined();
      fromStart.push(heardAt[heard]! - start);
      fromCommit.push(heardAt[heard]! - committed);
      expect(heardByB.at(-1)).toEqual({ kind: "events", operationId: "op-1", seq });
    }
    const stats = (values: number[]) => {
      const sorted = [...values].sort((x, y) => x - y);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
      return `median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms`;
    };
    console.log(`NOTIFY delay over 50 appends, append start → other replica's onChange: ${stats(fromStart)}; append resolved → onChange: ${stats(fromCommit)}`);
    const delays = [...fromStart].sort((x, y) => x - y);
    expect(delays.at(-1)).toBeLessThan(200);
    expect(heardByA).toEqual([]);

    // Unsubscribed listeners hear nothing; malformed payloads are ignored.
    stopA();
    const raw = new pg.Client({ connectionString: cluster!.urlFor(`journal_${databases}`) });
    await raw.connect();
    await raw.query("SELECT pg_notify('stop_all', 'not json'), pg_notify('stop_all', '{\"kind\":\"events\",\"operationId\":1}'), pg_notify('stop_all', '{\"src\":\"x\",\"kind\":\"operation\",\"operationId\":\"op-2\"}')");
    await raw.end();
    expect(await until(() => heardByB.length === 53, 1000)).toBeDefined();
    expect(heardByB.at(-1)).toEqual({ kind: "operation", operationId: "op-2" });
    expect(heardByA).toEqual([]);
  });

  it("rejects with JournalUnavailableError while Postgres is stopped, and works again once it is back", async () => {
    await fresh();
    const [a, b] = await replicas();
    const heardByB: JournalChange[] = [];
    b.onChange((change) => heardByB.push(change));
    await a.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    const lease = { owner: "replica-a", generation: 1 };
    await cluster!.stop();
    try {
      for (const call of [() => a.load("op-1"), () => a.begin(info("op-2", 2000, "fleet-b"), stateAt(2000), "replica-a", 5000), () => a.append("op-1", lease, [event(1)]), () => b.renewLease("op-1", lease, 6000)]) {
        const start = performance.now();
        const error = await call().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        const took = performance.now() - start;
        console.log(`Postgres stopped: rejected after ${took.toFixed(0)} ms: ${(error as Error).message}`);
        expect(error).toBeInstanceOf(JournalUnavailableError);
        expect((error as Error).message).toMatch(/^the Stop All journal cannot be reached \(.+\)$/);
        expect((error as Error).message).not.toContain(cluster!.password);
        expect(took).toBeLessThan(3000);
      }
      const opening = await store.open().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(opening).toBeInstanceOf(JournalUnavailableError);
      expect((opening as Error).message).not.toContain(cluster!.password);
    } finally {
      await cluster!.start();
    }
    expect((await a.load("op-1"))!.status).toBe("running");
    expect(await a.append("op-1", lease, [event(1)])).toBe(true);
    expect((await b.load("op-1"))!.events).toEqual([event(1)]);
    // The listener reconnected (within its backoff): changes reach the other replica again.
    const heard = heardByB.length;
    let back = false;
    for (let seq = 2; seq < 100 && !back; seq++) {
      await a.append("op-1", lease, [event(seq)]);
      back = (await until(() => heardByB.length > heard, 100)) !== undefined;
    }
    expect(back, "the LISTEN connection did not come back").toBe(true);
  });

  it("recovers from a Postgres crash (killed, then started again)", async () => {
    await fresh();
    const journal = await open();
    await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    await journal.append("op-1", { owner: "replica-a", generation: 1 }, [event(1)]);
    await cluster!.kill();
    try {
      await expect(journal.load("op-1")).rejects.toBeInstanceOf(JournalUnavailableError);
    } finally {
      await cluster!.start();
    }
    expect((await journal.load("op-1"))!.events).toEqual([event(1)]);
  });

  it("a connection lost mid-query fails that call, not the process (Postgres killed while a query waits)", async () => {
    await fresh();
    const journal = await open();
    await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    await cluster!.pause();
    try {
      // The query is sent and its client checked out of the pool when the server dies under it.
      const loading = journal.load("op-1").then(
        () => undefined,
        (caught: unknown) => caught,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await cluster!.kill();
      expect(await loading).toBeInstanceOf(JournalUnavailableError);
    } finally {
      await cluster!.start();
    }
    expect((await journal.load("op-1"))!.status).toBe("running");
  }, 30_000);

  it("rejects with JournalUnavailableError, within the query timeout, while Postgres hangs", async () => {
    await fresh();
    const journal = await open();
    const other = await open();
    await journal.begin(info("op-1"), stateAt(1000), "replica-a", 5000);
    await other.load("op-1");
    await cluster!.pause();
    try {
      const start = performance.now();
      const error = await journal.load("op-1").then(
        () => undefined,
        (caught: unknown) => caught,
      );
      const took = performance.now() - start;
      console.log(`a call on a hung Postgres rejected after ${took.toFixed(0)} ms: ${(error as Error).message}`);
      expect(error).toBeInstanceOf(JournalUnavailableError);
      expect(took).toBeLessThan(8000);
      // Closing does not wait on the hung server either.
      const closing = performance.now();
      await other.close();
      console.log(`closing a journal on a hung Postgres took ${(performance.now() - closing).toFixed(0)} ms`);
      expect(performance.now() - closing).toBeLessThan(5000);
    } finally {
      await cluster!.resume();
    }
    expect((await journal.load("op-1"))!.status).toBe("running");
  }, 30_000);

  it("says a database that is not there cannot be reached, without the password", async () => {
    const url = cluster!.url.replace(`:${cluster!.port}/`, ":1/");
    const error = await openPostgresJournal(url).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(JournalUnavailableError);
    expect((error as Error).message).toMatch(/cannot be reached \(.*ECONNREFUSED/);
    expect((error as Error).message).not.toContain(cluster!.password);
    await expect(openPostgresJournal("mysql://user:secret@host/db")).rejects.toThrow(/postgres:\/\//);
    const refused = await openPostgresJournal(`postgres://postgres:wrong-password@127.0.0.1:${cluster!.port}/postgres`).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect((refused as Error).message).toMatch(/password authentication failed/);
    expect((refused as Error).message).not.toContain("wrong-password");
  });
});
