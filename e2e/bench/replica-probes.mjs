// What the replica rows (replicas.mjs) read besides the platform's metrics:
// an operation's event stream as a browser gets it (from Node, each `op`
// message's seq stamped with its arrival), the journal's lease (straight
// from Postgres), and the platform's request log around a takeover.
import pg from "pg";

/** Epoch ms with sub-millisecond precision (the platform stamps Date.now(), on this same machine). */
export const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a Stop All on `url` from Node (what the page's POST sends); resolves with its id and when it left. */
export async function startOperation(url, targets) {
  const at = Date.now();
  const response = await fetch(`${url}/api/stop-all`, {
    method: "POST",
    headers: { "content-type": "application/json", "sec-fetch-site": "same-origin", origin: url },
    body: JSON.stringify({ targets }),
  });
  const body = await response.json();
  if (response.status !== 201) throw new Error(`POST ${url}/api/stop-all answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return { id: body.id, at, answeredAt: Date.now() };
}

/** One SSE block (`id:`, `event:`, `data:`, `retry:` lines) → { id, event, data, retry }. */
function parseBlock(block) {
  const out = { event: "message", data: [] };
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") out.id = value;
    else if (field === "event") out.event = value;
    else if (field === "data") out.data.push(value);
    else if (field === "retry" && /^\d+$/.test(value)) out.retry = Number(value);
  }
  return out;
}

/** One connection of `stream`: reads its blocks until the server ends it (resolves) or it fails (rejects). */
async function readConnection(stream, id, client, signal) {
  const after = stream.lastSeq === undefined ? "" : `?after=${stream.lastSeq}`;
  const headers = { accept: "text/event-stream", "sec-fetch-site": "same-origin", "x-forwarded-for": client, ...(stream.lastSeq === undefined ? {} : { "last-event-id": String(stream.lastSeq) }) };
  const response = await fetch(`${stream.url}/api/stop-all/${id}/events${after}`, { headers, signal });
  if (response.status !== 200) throw new Error(`events on ${stream.url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const at = nowMs();
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const { id: seqText, event, data, retry } = parseBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (retry !== undefined) stream.retryMs = retry;
      if (seqText !== undefined && /^\d+$/.test(seqText)) stream.lastSeq = Number(seqText);
      if (event === "op" && !stream.arrivals.has(Number(seqText))) stream.arrivals.set(Number(seqText), at);
      if (event === "snapshot") stream.snapshots.push({ seq: Number(seqText), at, phase: JSON.parse(data.join("\n")).state?.phase });
    }
  }
}

/**
 * Opens `GET <url>/api/stop-all/<id>/events` as a same-origin reader and
 * keeps it open as a browser's EventSource does: when the server ends it
 * (or it fails), it reconnects after the stream's `retry:` (2 s) with
 * Last-Event-ID and `?after=` its last seq, as the page's client does.
 * Records the arrival (nowMs) of every `op` message by seq, every
 * snapshot's seq, and each end and reconnect; `close()` ends it. `client`
 * goes in X-Forwarded-For, so these streams count apart from the pages'
 * against the per-client stream cap.
 */
export function openEventStream(url, id, client) {
  const controller = new AbortController();
  const stream = { url, openedAt: nowMs(), arrivals: new Map(), snapshots: [], ends: [], reconnects: [], retryMs: 2000, lastSeq: undefined, errors: [], close: () => controller.abort() };
  stream.done = (async () => {
    while (!controller.signal.aborted) {
      try {
        await readConnection(stream, id, client, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return;
        stream.errors.push(error instanceof Error ? error.message : String(error));
      }
      if (controller.signal.aborted) return;
      stream.ends.push(nowMs());
      await sleep(stream.retryMs);
      stream.reconnects.push(nowMs());
    }
  })();
  /** Resolves once the stream has reconnected after its last end and `graceMs` passed since (at most `timeoutMs`). */
  stream.settled = async (graceMs = 500, timeoutMs = 6000) => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until && stream.reconnects.length < stream.ends.length) await sleep(50);
    await sleep(graceMs);
  };
  return stream;
}

/**
 * Per event seen live on both streams (after each one's first snapshot):
 * its arrival on `follower` minus its arrival on `owner`, in ms. An event
 * the follower got inside a later snapshot instead (the tail re-reads the
 * whole operation now and then) counts with that snapshot's arrival
 * (`inSnapshot`); one it never got is `missing`. With `written` (seq →
 * when it was first seen in the journal, watchWrites) each delay is split
 * into the driver's write (`writeLags`) and the other replica's read
 * (`readLags`). `timeline`: [ms after `startedAt` on the owner's stream, delay].
 */
export function eventDelays(owner, follower, { written, startedAt = 0 } = {}) {
  const liveAfter = Math.max(owner.snapshots[0]?.seq ?? Infinity, follower.snapshots[0]?.seq ?? Infinity);
  const out = { delays: [], writeLags: [], readLags: [], timeline: [], inSnapshot: 0, missing: 0 };
  for (const [seq, at] of owner.arrivals) {
    if (seq <= liveAfter) continue;
    const arrived = follower.arrivals.get(seq) ?? follower.snapshots.find((s) => s.seq >= seq && s.at >= at)?.at;
    if (arrived === undefined) {
      out.missing += 1;
      continue;
    }
    if (!follower.arrivals.has(seq)) out.inSnapshot += 1;
    const delay = Math.round((arrived - at) * 10) / 10;
    out.delays.push(delay);
    out.timeline.push([Math.round(at - startedAt), delay]);
    const writtenAt = written?.get(seq);
    if (writtenAt !== undefined) {
      out.writeLags.push(Math.round(writtenAt - at));
      out.readLags.push(Math.round(arrived - writtenAt));
    }
  }
  return { ...out, compared: out.delays.length };
}

/**
 * Polls the journal every `everyMs` for the operation's new events and
 * stamps each seq with when it was first there (nowMs): when the driver's
 * write of it had committed, give or take the poll. Seqs are not
 * contiguous (a resumed driver numbers past a jump). `stop()` ends it.
 */
export async function watchWrites(databaseUrl, id, everyMs = 10) {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  const seen = new Map();
  let last = 0;
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const { rows } = await client.query("SELECT seq FROM stop_all_events WHERE operation_id = $1 AND seq > $2 ORDER BY seq", [id, last]);
      const at = nowMs();
      for (const { seq } of rows) seen.set(Number(seq), at);
      if (rows.length > 0) last = Number(rows.at(-1).seq);
      await sleep(everyMs);
    }
  })().catch(() => {});
  return {
    seen,
    async stop() {
      stopped = true;
      await done;
      await client.end().catch(() => {});
    },
  };
}

/** Nearest-rank percentiles of `values` (median, p90, max), undefined when empty. */
export function percentiles(values) {
  const xs = [...values].sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const rank = (p) => xs[Math.max(0, Math.ceil(p * xs.length) - 1)];
  return { median: rank(0.5), p90: rank(0.9), max: xs.at(-1), n: xs.length };
}

/** A connection to the journal's database: the lease and status of an operation (stop_all_operations). */
export async function openJournalReader(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  /** The operation `id` (undefined: the latest one started). */
  const read = async (id) => {
    const columns = "SELECT id, status, base_seq, lease_owner, lease_generation, lease_until FROM stop_all_operations";
    const { rows } = id === undefined ? await client.query(`${columns} ORDER BY started_at DESC LIMIT 1`) : await client.query(`${columns} WHERE id = $1`, [id]);
    return rows[0];
  };
  /** Polls every `everyMs` until `test(row)`; resolves with the row and when it was seen (epoch ms), or undefined after `timeoutMs`. */
  const waitFor = async (id, test, { everyMs = 10, timeoutMs = 30_000 } = {}) => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const row = await read(id);
      if (row && test(row)) return { row, at: Date.now() };
      await sleep(everyMs);
    }
    return undefined;
  };
  return { read, waitFor, outcomes: (id) => outcomesOf(client, id), close: () => client.end() };
}

/**
 * The journal's last word on an operation's targets (its base state: the
 * final one once it finished): how many ended how (`outcome / phase-1
 * headline`), the messages of those that were neither drained nor
 * restarted, and those of phase 1's failures.
 */
async function outcomesOf(client, id) {
  const { rows } = await client.query("SELECT base_state FROM stop_all_operations WHERE id = $1", [id]);
  if (!rows[0]) return undefined;
  const state = JSON.parse(rows[0].base_state);
  const ends = {};
  const messages = {};
  for (const target of state.targets) {
    const outcome = target.phase.kind === "settled" ? target.phase.outcome : { kind: target.phase.kind };
    const key = `${outcome.kind}${outcome.reason ? ` (${outcome.reason})` : ""} / ${target.finding?.headline?.kind ?? "no finding"}`;
    ends[key] = (ends[key] ?? 0) + 1;
    if (outcome.message && !["drained", "restarted"].includes(outcome.kind)) messages[outcome.message.slice(0, 120)] = (messages[outcome.message.slice(0, 120)] ?? 0) + 1;
    const finding = target.finding?.headline?.message;
    if (finding) messages[`phase 1: ${finding.slice(0, 120)}`] = (messages[`phase 1: ${finding.slice(0, 120)}`] ?? 0) + 1;
  }
  return { phase: state.phase, ends, messages };
}

const isPlatformCall = (entry) => !entry.path.startsWith("/_test/") && entry.path !== "/ws";
const isWorkspaceAct = (entry) => /^\/workspaces\/[^/]+\/(a2a|restart)(\?|$)/.test(entry.path);

/**
 * The new owner's first requests at the platform (request log, epoch ms),
 * from the kill: its first call of any kind (its rows, read as it takes
 * over), its first a2a or restart call, its first restart. Only calls from
 * 250 ms before `takenAt` (when the bench saw the journal's lease change
 * hands, polling every 10 ms) count as the new owner's: the survivor makes
 * no platform calls before it owns the operation, and the dead one's last
 * calls may still be logged just after the kill.
 */
export function takeoverRequests(entries, killAt, takenAt) {
  const after = entries.filter((entry) => isPlatformCall(entry) && entry.at >= killAt);
  const mine = after.filter((entry) => entry.at >= Math.max(killAt + 20, takenAt - 250));
  const first = mine[0];
  const firstAct = mine.find(isWorkspaceAct);
  const firstRestart = mine.find((entry) => /\/restart(\?|$)/.test(entry.path));
  return {
    killToFirstRequestMs: first ? first.at - killAt : undefined,
    firstRequest: first ? `${first.method} ${first.path}` : undefined,
    killToFirstActMs: firstAct ? firstAct.at - killAt : undefined,
    firstAct: firstAct ? `${firstAct.method} ${firstAct.path}` : undefined,
    killToFirstRestartMs: firstRestart ? firstRestart.at - killAt : undefined,
    callsBetweenKillAndTakeover: after.length - mine.length,
  };
}
