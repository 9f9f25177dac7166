/**
 * The journal's schema and statements, in SQL that SQLite and Postgres both
 * read (the partial unique index holds "one running operation per fleet" in
 * the store itself). Parameters are named `$name`.
 */
export const JOURNAL_SCHEMA_VERSION = 1;

export const CREATE_JOURNAL = [
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

export const SQL = {
  insertOperation: `INSERT INTO stop_all_operations (id, fleet, status, started_at, info, base_seq, base_state) VALUES ($id, $fleet, 'running', $startedAt, $info, 0, $state)`,
  runningOf: `SELECT id FROM stop_all_operations WHERE fleet = $fleet AND status = 'running' ORDER BY started_at`,
  insertEvent: `INSERT INTO stop_all_events (operation_id, seq, event) VALUES ($id, $seq, $event) ON CONFLICT (operation_id, seq) DO NOTHING`,
  updateInfo: `UPDATE stop_all_operations SET info = $info WHERE id = $id`,
  reopen: `UPDATE stop_all_operations SET status = 'running' WHERE id = $id`,
  rebase: `UPDATE stop_all_operations SET base_seq = $seq, base_state = $state WHERE id = $id`,
  finish: `UPDATE stop_all_operations SET status = 'finished', last_state = $state, base_seq = $seq, base_state = $state WHERE id = $id`,
  dropEventsUpTo: `DELETE FROM stop_all_events WHERE operation_id = $id AND seq <= $seq`,
  selectOperation: `SELECT id, status, info, base_seq, base_state FROM stop_all_operations WHERE id = $id`,
  selectEvents: `SELECT seq, event FROM stop_all_events WHERE operation_id = $id AND seq > $after ORDER BY seq`,
  recent: `SELECT info, COALESCE(last_state, base_state) AS state FROM stop_all_operations WHERE fleet = $fleet ORDER BY started_at DESC LIMIT $limit`,
  pruneOperations: `DELETE FROM stop_all_operations WHERE fleet = $fleet AND status = 'finished' AND id NOT IN (SELECT id FROM stop_all_operations WHERE fleet = $fleet ORDER BY started_at DESC LIMIT $keep)`,
  pruneEvents: `DELETE FROM stop_all_events WHERE operation_id NOT IN (SELECT id FROM stop_all_operations)`,
  readMeta: `SELECT value FROM stop_all_meta WHERE key = $key`,
  writeMeta: `INSERT INTO stop_all_meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = $value`,
} as const;
