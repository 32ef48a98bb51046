import pg from 'pg';
import type { ConnectionStatus } from '@ot-mqtt/tag-model';
import type { MachineReference } from './change-filter.js';
import type {
  HistorianStore,
  HistoryQuery,
  MachineRecord,
  TagSeries,
  TimeRange,
} from './historian-store.js';
import { alarmTransitions, type AlarmSamples } from './alarm-transitions.js';
import { loadMigrations } from './migrations.js';
import { postgresAlarmJournal } from './postgres-alarm-journal.js';
import type { OpenHistorianOptions } from './open-historian.js';
import { normalizeScans, toMillis } from './plan-writes.js';
import { createPostgresBatchWriter } from './postgres-batch-writer.js';
import { DailyPartitions } from './postgres-partitions.js';
import { redactUrl } from './redact-url.js';
import { booleanSeries, bucketWidth, iso, numericSeries, type BucketRow } from './series.js';
import type { StoreSettings } from './store-settings.js';
import type { HistorianTag } from './tag-catalog.js';
import { dropChunks, setUpTimescale, timescaleAvailable } from './timescale.js';

const DAY_MS = 86_400_000;
/** Slices a numeric trend query is cut into, aggregated concurrently (PostgreSQL's default 2 workers). */
const BUCKET_SLICES = 2;
const MIGRATION_LOCK = 774_211_501; // pg_advisory_lock key: one migrating gateway at a time

interface MachineRow {
  id: number;
  machine_id: string;
  last_ts: Date | null;
  last_seq: string | null;
  last_received: Date | null;
  latest: Record<string, number | boolean> | null;
  reference: MachineReference | null;
  connection: string | null;
  publish_interval_ms: number | null;
}

/**
 * Opens a PostgreSQL historian: native daily range partitions (or TimescaleDB hypertables when the
 * extension is installed and allowed), batched `unnest` inserts, retention by dropping partitions.
 */
export async function openPostgresStore(
  url: string,
  settings: StoreSettings,
  options: OpenHistorianOptions,
): Promise<HistorianStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 4,
    // A database that does not answer must not hold a write (and so the MQTT acks) forever.
    connectionTimeoutMillis: 5_000,
    query_timeout: 30_000,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => undefined);
  let useTimescale: boolean;
  let partitions: DailyPartitions | undefined;
  let tagIds: Map<string, number>;
  const catalog = settings.catalog;
  try {
    useTimescale = options.timescale !== false && (await timescaleAvailable(pool));
    await migrate(pool, useTimescale ? 'timescaledb' : 'postgres');
    if (useTimescale) await setUpTimescale(pool);
    partitions = useTimescale ? undefined : new DailyPartitions(pool);
    await partitions?.load();
    // Today and tomorrow ahead of time, so ingest normally never waits for DDL.
    await partitions?.ensure([Date.now(), Date.now() + DAY_MS]);
    tagIds = await syncTags(pool, catalog);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const tagByName = new Map(catalog.map((t) => [t.name, t]));
  const alarmTags = catalog.filter((t) => t.group === 'alarms');
  const writeBatch = createPostgresBatchWriter(pool, catalog, tagIds, settings.heartbeatMs);

  const machineRow = async (machineId: string): Promise<MachineRow | undefined> =>
    (await pool.query<MachineRow>('SELECT * FROM machine WHERE machine_id = $1', [machineId]))
      .rows[0];

  const toRecord = (row: MachineRow): MachineRecord => {
    const lastSeq = row.last_seq === null ? null : Number(row.last_seq);
    return {
      machineId: row.machine_id,
      lastSeen: row.last_ts ? row.last_ts.toISOString() : null,
      lastSequence: lastSeq,
      lastReceived: row.last_received ? row.last_received.toISOString() : null,
      connection: (row.connection as ConnectionStatus | null) ?? null,
      publishIntervalMs: row.publish_interval_ms,
      latest:
        row.latest && row.last_ts && lastSeq !== null
          ? { timestamp: row.last_ts.toISOString(), sequence: lastSeq, tags: row.latest }
          : null,
    };
  };

  const before = async (machine: number, tag: number, from: number) =>
    (
      await pool.query<{ ts: number; value: number }>(
        `SELECT (extract(epoch FROM ts) * 1000)::float8 AS ts, value FROM sample
          WHERE machine = $1 AND tag = $2 AND ts < to_timestamp($3::float8 / 1000)
          ORDER BY ts DESC LIMIT 1`,
        [machine, tag, from],
      )
    ).rows[0];
  const rowsIn = async (machine: number, tag: number, range: TimeRange) =>
    (
      await pool.query<{ ts: number; value: number }>(
        `SELECT (extract(epoch FROM ts) * 1000)::float8 AS ts, value FROM sample
          WHERE machine = $1 AND tag = $2
            AND ts >= to_timestamp($3::float8 / 1000) AND ts < to_timestamp($4::float8 / 1000)
          ORDER BY ts`,
        [machine, tag, range.from, range.to],
      )
    ).rows;

  /**
   * The buckets of [lo, hi) (bucket-aligned, inside the query's range) in one pass in time order,
   * as on SQLite; times as whole ms in float8 (exact), not numeric. A sample's value holds until
   * the next sample, clipped to its bucket's end, or until `end` (the newest scan): for a slice's
   * last row the range's next sample lies at or after `hi`, a bucket end, so whether one exists is
   * all the slice needs to know (one index probe).
   */
  const bucketRows = async (
    machine: number,
    tag: number,
    q: HistoryQuery,
    width: number,
    end: number,
    lo: number,
    hi: number,
  ) =>
    (
      await pool.query<BucketRow>(
        `WITH r AS (
           SELECT round(date_part('epoch', ts) * 1000) AS t, value,
                  round(date_part('epoch', lead(ts) OVER (ORDER BY ts)) * 1000) AS next_t
             FROM sample
            WHERE machine = $1 AND tag = $2
              AND ts >= to_timestamp($7::float8 / 1000) AND ts < to_timestamp($8::float8 / 1000)
         ), b AS (
           SELECT t, value, next_t, floor((t - $3::float8) / $5::float8) AS bucket FROM r
         ), h AS (
           SELECT bucket, t, value, next_t, $3::float8 + (bucket + 1) * $5::float8 AS bucket_end,
                  greatest(0, least(coalesce(next_t, (SELECT CASE WHEN EXISTS (
                      SELECT FROM sample WHERE machine = $1 AND tag = $2
                         AND ts >= to_timestamp($8::float8 / 1000) AND ts < to_timestamp($4::float8 / 1000))
                    THEN $8::float8 ELSE $6::float8 END)),
                    $3::float8 + (bucket + 1) * $5::float8, $4::float8) - t) AS held
             FROM b
         )
         SELECT bucket::int AS bucket, min(value) AS mn, max(value) AS mx, avg(value) AS av,
                count(*)::int AS n,
                max(value) FILTER (WHERE next_t IS NULL OR next_t >= bucket_end) AS last,
                min(t) AS first, sum(value * held) AS area, sum(held) AS held
           FROM h GROUP BY bucket ORDER BY bucket`,
        [machine, tag, q.from, q.to, width, end, lo, hi],
      )
    ).rows;
  const seriesOf = async (
    machine: number,
    lastTs: Date | null,
    tag: HistorianTag,
    q: HistoryQuery,
  ): Promise<TagSeries> => {
    const end = Math.min(q.to, Math.max(lastTs?.getTime() ?? q.to, q.from));
    const tagId = tagIds.get(tag.name)!;
    if (tag.kind === 'boolean') {
      const [first, rows] = await Promise.all([
        before(machine, tagId, q.from),
        rowsIn(machine, tagId, q),
      ]);
      return booleanSeries(tag, q, first, rows);
    }
    const width = bucketWidth(q, q.maxPoints);
    const buckets = Math.ceil((q.to - q.from) / width);
    // PostgreSQL runs a window function on one core: the range is cut at a bucket boundary into
    // slices aggregated side by side on the pool's connections (docs/historian.md).
    const n = Math.min(BUCKET_SLICES, buckets);
    const slices: Array<Promise<BucketRow[]>> = [];
    for (let i = 0; i < n; i++) {
      const lo = q.from + Math.floor((buckets * i) / n) * width;
      const hi = Math.min(q.to, q.from + Math.floor((buckets * (i + 1)) / n) * width);
      slices.push(bucketRows(machine, tagId, q, width, end, lo, hi));
    }
    const [first, ...parts] = await Promise.all([before(machine, tagId, q.from), ...slices]);
    const rows = parts.flat();
    return numericSeries(tag, q, first, rows, width);
  };

  // The store hands the journal's methods on as they are; pruning is part of its retention.
  const { pruneJournal, ...journal } = postgresAlarmJournal(
    pool,
    catalog,
    tagIds,
    async (id) => (await machineRow(id))?.id,
  );

  return {
    engine: useTimescale ? 'timescaledb' : 'postgres',
    location: redactUrl(url),
    ...journal,
    async writeScans(scans) {
      const normalized = normalizeScans(scans);
      if (normalized.length === 0) return { stored: 0, duplicates: 0, samples: 0 };
      await partitions?.ensure(normalized.map((s) => s.ts));
      return writeBatch(normalized, Date.now());
    },
    async setConnection(machineId, status: ConnectionStatus, timestamp, publishIntervalMs) {
      const ts = toMillis(timestamp);
      await pool.query(
        `INSERT INTO machine (machine_id, connection, connection_ts, publish_interval_ms)
         VALUES ($1, $2, to_timestamp($3::float8 / 1000), $4)
         ON CONFLICT (machine_id) DO UPDATE SET
           connection = excluded.connection, connection_ts = excluded.connection_ts,
           publish_interval_ms = coalesce(excluded.publish_interval_ms, machine.publish_interval_ms)
         WHERE machine.connection_ts IS NULL OR machine.connection_ts <= excluded.connection_ts`,
        [machineId, status, ts, publishIntervalMs ?? null],
      );
    },
    async listMachines() {
      return (await pool.query<MachineRow>('SELECT * FROM machine ORDER BY machine_id')).rows.map(
        toRecord,
      );
    },
    async getMachine(machineId) {
      const row = await machineRow(machineId);
      return row && toRecord(row);
    },
    async history(q) {
      const row = await machineRow(q.machineId);
      if (!row) return undefined;
      const series: TagSeries[] = [];
      for (const name of q.tags) {
        const tag = tagByName.get(name);
        if (!tag) throw new RangeError(`unknown tag ${name}`);
        series.push(await seriesOf(row.id, row.last_ts, tag, q));
      }
      return { machineId: q.machineId, from: iso(q.from), to: iso(q.to), series };
    },
    async scans(machineId, range, limit) {
      const row = await machineRow(machineId);
      if (!row) return undefined;
      const { rows } = await pool.query<{ ts: number; seq: string }>(
        `SELECT (extract(epoch FROM ts) * 1000)::float8 AS ts, seq FROM scan
          WHERE machine = $1 AND ts >= to_timestamp($2::float8 / 1000) AND ts < to_timestamp($3::float8 / 1000)
          ORDER BY ts, seq LIMIT $4`,
        [row.id, range.from, range.to, limit],
      );
      return rows.map((r) => ({ timestamp: iso(Math.round(r.ts)), sequence: Number(r.seq) }));
    },
    async alarmTransitions(q) {
      const machines = q.machineId
        ? [await machineRow(q.machineId)].filter((r): r is MachineRow => r !== undefined)
        : (await pool.query<MachineRow>('SELECT * FROM machine ORDER BY machine_id')).rows;
      const samples: AlarmSamples[] = [];
      for (const machine of machines) {
        for (const tag of alarmTags) {
          const tagId = tagIds.get(tag.name)!;
          samples.push({
            machineId: machine.machine_id,
            alarm: tag.name,
            before: (await before(machine.id, tagId, q.from))?.value,
            rows: await rowsIn(machine.id, tagId, q),
          });
        }
      }
      return alarmTransitions(samples, q.limit);
    },
    async enforceRetention(retentionDays, now = Date.now()) {
      const cutoff = now - retentionDays * DAY_MS;
      const removed = partitions
        ? await partitions.dropBefore(cutoff)
        : await dropChunks(pool, cutoff);
      if (partitions) await partitions.ensure([now, now + DAY_MS]);
      return { cutoff: iso(cutoff), removed: removed + (await pruneJournal(cutoff)) };
    },
    async checkWritable() {
      const client = await pool.connect();
      try {
        // A read-only standby or a full disk fails here, not only a dead connection.
        await client.query('BEGIN');
        await client.query('SELECT pg_current_xact_id()');
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

async function migrate(pool: pg.Pool, engine: 'postgres' | 'timescaledb'): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS historian_migration (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: string }>(
      'SELECT version FROM historian_migration',
    );
    const applied = new Set(rows.map((r) => r.version));
    for (const migration of await loadMigrations(engine)) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO historian_migration (version) VALUES ($1)', [
          migration.version,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

async function syncTags(
  pool: pg.Pool,
  catalog: readonly HistorianTag[],
): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ id: number; name: string }>('SELECT id, name FROM tag');
  const ids = new Map(rows.map((r) => [r.name, r.id]));
  let next = Math.max(0, ...ids.values()) + 1;
  for (const tag of catalog) {
    const id = ids.get(tag.name) ?? next++;
    ids.set(tag.name, id);
    await pool.query(
      `INSERT INTO tag (id, name, grp, kind, unit, eu_min, eu_max, deadband) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (name) DO UPDATE SET grp = excluded.grp, kind = excluded.kind, unit = excluded.unit,
         eu_min = excluded.eu_min, eu_max = excluded.eu_max, deadband = excluded.deadband`,
      [id, tag.name, tag.group, tag.kind, tag.unit, tag.min, tag.max, tag.deadband],
    );
  }
  return ids;
}
