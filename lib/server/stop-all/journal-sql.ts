/**
 * The journal's schema and statements, written once for both stores: SQLite
 * (the embedded journal) and Postgres (several replicas) read the same SQL.
 * A partial unique index holds "one running operation per fleet" in the
 * store itself; a restart's claim is one conditional insert tied to the
 * lease generation. Parameters are named `$name`; the Postgres journal
 * numbers them (`namedToPositional`). Only a batch insert differs
 * (DIALECT_SQL).
 */
export const JOURNAL_SCHEMA_VERSION = 2;

const CREATE_V1 = [
  `CREATE TABLE IF NOT EXISTS stop_all_operations (
     id TEXT PRIMARY KEY,
     fleet TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
     started_at BIGINT NOT NULL,
     info TEXT NOT NULL,
     base_seq INTEGER NOT NULL,
     base_state TEXT NOT NULL,
     last_state TEXT
   )`,
  `CREATE UNIQUE INDEX IF NOT EXISTS stop_all_one_running_per_fleet ON stop_all_operations (fleet) WHERE status = 'running'`,
  `CREATE INDEX IF NOT EXISTS stop_all_operations_by_fleet ON stop_all_operations (fleet, started_at)`,
  `CREATE TABLE IF NOT EXISTS stop_all_events (
     operation_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     event TEXT NOT NULL,
     PRIMARY KEY (operation_id, seq)
   )`,
  `CREATE TABLE IF NOT EXISTS stop_all_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
];

/** Version 2: leases, restart claims and queued actions (several replicas). */
const UPGRADE_TO_V2 = [
  `ALTER TABLE stop_all_operations ADD COLUMN lease_owner TEXT NOT NULL DEFAULT ''`,
  `ALTER TABLE stop_all_operations ADD COLUMN lease_generation INTEGER NOT NULL DEFAULT 1`,
  `ALTER TABLE stop_all_operations ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0`,
  `CREATE TABLE IF NOT EXISTS stop_all_restart_claims (
     operation_id TEXT NOT NULL,
     workspace_id TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     generation INTEGER NOT NULL,
     claimed_at BIGINT NOT NULL,
     PRIMARY KEY (operation_id, workspace_id, attempt)
   )`,
  `CREATE TABLE IF NOT EXISTS stop_all_actions (
     id TEXT PRIMARY KEY,
     operation_id TEXT NOT NULL,
     request TEXT NOT NULL,
     actor TEXT NOT NULL,
     at BIGINT NOT NULL,
     taken_at BIGINT
   )`,
  `CREATE INDEX IF NOT EXISTS stop_all_actions_waiting ON stop_all_actions (operation_id) WHERE taken_at IS NULL`,
];

/** The statements that bring a journal at `version` (0: empty) to JOURNAL_SCHEMA_VERSION, in order. */
export function migrationsFrom(version: number): string[] {
  const steps: string[] = [];
  if (version < 1) steps.push(...CREATE_V1);
  if (version < 2) steps.push(...UPGRADE_TO_V2);
  return steps;
}

/** Reads the stored schema version, or none in an empty store. */
export const META_TABLE = `CREATE TABLE IF NOT EXISTS stop_all_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`;

export const SQL = {
  readMeta: `SELECT value FROM stop_all_meta WHERE key = $key`,
  writeMeta: `INSERT INTO stop_all_meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = $value`,
  insertOperation: `INSERT INTO stop_all_operations (id, fleet, status, started_at, info, base_seq, base_state, lease_owner, lease_generation, lease_until)
    VALUES ($id, $fleet, 'running', $startedAt, $info, 0, $state, $owner, 1, $until)`,
  runningOf: `SELECT id, lease_owner, lease_generation, lease_until FROM stop_all_operations WHERE fleet = $fleet AND status = 'running' ORDER BY started_at`,
  updateInfo: `UPDATE stop_all_operations SET info = $info WHERE id = $id`,
  reopen: `UPDATE stop_all_operations SET status = 'running', lease_owner = $owner, lease_generation = lease_generation + 1, lease_until = $until
    WHERE id = $id AND status = 'finished' RETURNING lease_generation`,
  rebase: `UPDATE stop_all_operations SET base_seq = $seq, base_state = $state WHERE id = $id`,
  finish: `UPDATE stop_all_operations SET status = 'finished', last_state = $state, base_seq = $seq, base_state = $state WHERE id = $id`,
  dropEventsUpTo: `DELETE FROM stop_all_events WHERE operation_id = $id AND seq <= $seq`,
  selectOperation: `SELECT id, status, info, base_seq, base_state, lease_owner, lease_generation, lease_until FROM stop_all_operations WHERE id = $id`,
  selectEvents: `SELECT seq, event FROM stop_all_events WHERE operation_id = $id AND seq > $after ORDER BY seq`,
  recent: `SELECT info, COALESCE(last_state, base_state) AS state FROM stop_all_operations WHERE fleet = $fleet ORDER BY started_at DESC LIMIT $limit`,
  pruneOperations: `DELETE FROM stop_all_operations WHERE fleet = $fleet AND status = 'finished' AND id NOT IN (SELECT id FROM stop_all_operations WHERE fleet = $fleet ORDER BY started_at DESC LIMIT $keep)`,
  pruneEvents: `DELETE FROM stop_all_events WHERE operation_id NOT IN (SELECT id FROM stop_all_operations)`,
  pruneClaims: `DELETE FROM stop_all_restart_claims WHERE operation_id NOT IN (SELECT id FROM stop_all_operations)`,
  pruneActions: `DELETE FROM stop_all_actions WHERE operation_id NOT IN (SELECT id FROM stop_all_operations)`,
  holdLease: `UPDATE stop_all_operations SET lease_until = lease_until WHERE id = $id AND lease_owner = $owner AND lease_generation = $generation RETURNING id`,
  holdAndExtendLease: `UPDATE stop_all_operations SET lease_until = CASE WHEN lease_until < $until THEN $until ELSE lease_until END
    WHERE id = $id AND lease_owner = $owner AND lease_generation = $generation RETURNING id`,
  leaseOf: `SELECT lease_owner, lease_generation FROM stop_all_operations WHERE id = $id`,
  renewLease: `UPDATE stop_all_operations SET lease_until = $until WHERE id = $id AND status = 'running' AND lease_owner = $owner AND lease_generation = $generation RETURNING id`,
  takeOver: `UPDATE stop_all_operations SET lease_owner = $owner, lease_generation = lease_generation + 1, lease_until = $until
    WHERE id = $id AND status = 'running' AND lease_until < $now RETURNING lease_generation`,
  queueAction: `INSERT INTO stop_all_actions (id, operation_id, request, actor, at) VALUES ($id, $operationId, $request, $actor, $at)`,
  takeActions: `UPDATE stop_all_actions SET taken_at = $at WHERE operation_id = $id AND taken_at IS NULL
    AND EXISTS (SELECT 1 FROM stop_all_operations WHERE id = $id AND lease_owner = $owner AND lease_generation = $generation)
    RETURNING id, request, actor, at`,
  actionTaken: `SELECT taken_at FROM stop_all_actions WHERE id = $id`,
} as const;

/**
 * The one place the stores' SQL differs: a batch (of events, of restart
 * claims) is one statement with one JSON parameter (`[{ "seq": 7, "event":
 * "<the event's JSON>" }, …]`), read with each store's own JSON table
 * function. A claim is the conditional insert tied to the lease generation. One INSERT per event made
 * a 5,000-workspace operation's journal fall a second behind on Postgres
 * (each its own round trip), and so every other replica's view of it.
 */
const DIALECT_SQL = {
  embedded: {
    claimRestarts: `INSERT INTO stop_all_restart_claims (operation_id, workspace_id, attempt, generation, claimed_at)
      SELECT $id, json_extract(value, '$.workspaceId'), json_extract(value, '$.attempt'), $generation, json_extract(value, '$.at') FROM json_each($batch)
      WHERE EXISTS (SELECT 1 FROM stop_all_operations WHERE id = $id AND lease_owner = $owner AND lease_generation = $generation)
      ON CONFLICT (operation_id, workspace_id, attempt) DO NOTHING
      RETURNING workspace_id, attempt`,
    insertEvents: `INSERT INTO stop_all_events (operation_id, seq, event)
      SELECT $id, json_extract(value, '$.seq'), json_extract(value, '$.event') FROM json_each($batch) WHERE true
      ON CONFLICT (operation_id, seq) DO NOTHING`,
  },
  postgres: {
    claimRestarts: `INSERT INTO stop_all_restart_claims (operation_id, workspace_id, attempt, generation, claimed_at)
      SELECT $id, c ->> 'workspaceId', (c ->> 'attempt')::integer, $generation, (c ->> 'at')::bigint FROM json_array_elements($batch::json) AS c
      WHERE EXISTS (SELECT 1 FROM stop_all_operations WHERE id = $id AND lease_owner = $owner AND lease_generation = $generation)
      ON CONFLICT (operation_id, workspace_id, attempt) DO NOTHING
      RETURNING workspace_id, attempt`,
    insertEvents: `INSERT INTO stop_all_events (operation_id, seq, event)
      SELECT $id, (e ->> 'seq')::integer, e ->> 'event' FROM json_array_elements($batch::json) AS e
      ON CONFLICT (operation_id, seq) DO NOTHING`,
  },
} as const;

export type StatementName = keyof typeof SQL | keyof (typeof DIALECT_SQL)["embedded"];

/** Every statement as `kind`'s store runs it. */
export function statementsFor(kind: keyof typeof DIALECT_SQL): Readonly<Record<StatementName, string>> {
  return { ...SQL, ...DIALECT_SQL[kind] };
}

/** The `$batch` parameter of insertEvents. */
export const eventBatch = (events: readonly { seq: number; event: unknown }[]) => JSON.stringify(events.map(({ seq, event }) => ({ seq, event: JSON.stringify(event) })));

/** Rows as both stores return them (column names as in the SQL above). */
export interface OperationRow {
  id: string;
  status: "running" | "finished";
  info: string;
  base_seq: number;
  base_state: string;
  lease_owner: string;
  lease_generation: number;
  lease_until: number | string;
}

/** `$name` → `$1`, `$2`, … in order of first use, with the values in that order (Postgres numbers its parameters). */
export function namedToPositional(sql: string, params: Record<string, unknown>): { text: string; values: unknown[] } {
  const order: string[] = [];
  const text = sql.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`no value for $${name}`);
    let index = order.indexOf(name);
    if (index < 0) index = order.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text, values: order.map((name) => params[name]) };
}
