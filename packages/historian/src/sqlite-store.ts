import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ConnectionStatus } from '@ot-mqtt/tag-model';
import type { MachineReference } from './change-filter.js';
import type {
  HistorianStore,
  HistoryQuery,
  MachineRecord,
  TagSeries,
  WriteResult,
} from './historian-store.js';
import { alarmTransitions } from './alarm-transitions.js';
import { loadMigrations } from './migrations.js';
import { registerBucketAggregate } from './sqlite-buckets.js';
import { sqliteAlarmJournal } from './sqlite-alarm-journal.js';
import {
  normalizeScans,
  planWrites,
  toMillis,
  type MachineState,
  type NormalizedScan,
} from './plan-writes.js';
import { booleanSeries, bucketWidth, iso, numericSeries, type BucketRow } from './series.js';
import type { HistorianTag } from './tag-catalog.js';
import type { StoreSettings } from './store-settings.js';

interface MachineRow {
  id: number;
  machine_id: string;
  last_ts: number | null;
  last_seq: number | null;
  last_received: number | null;
  latest: string | null;
  reference: string | null;
  connection: string | null;
  publish_interval_ms: number | null;
}

const DAY_MS = 86_400_000;

/**
 * Opens (creating the file and its folder if needed) a SQLite historian. WAL journal with
 * `synchronous=NORMAL`: a commit survives the process being killed (kill -9), which is what the
 * gateway acknowledges against; only an OS crash or power loss can lose the last commits.
 */
export async function openSqliteStore(
  path: string,
  settings: StoreSettings,
): Promise<HistorianStore> {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Another process (a second gateway, a backup) may hold the write lock for a moment.
  db.pragma('busy_timeout = 5000');
  db.exec(
    'CREATE TABLE IF NOT EXISTS historian_migration (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  const applied = new Set(
    (db.prepare('SELECT version FROM historian_migration').all() as Array<{ version: string }>).map(
      (r) => r.version,
    ),
  );
  for (const migration of await loadMigrations('sqlite')) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT OR IGNORE INTO historian_migration VALUES (?, ?)').run(
        migration.version,
        Date.now(),
      );
    }).immediate();
  }
  const catalog = settings.catalog;
  const tagIds = syncTags(db, catalog);
  const tagByName = new Map(catalog.map((t) => [t.name, t]));
  const alarmTags = catalog.filter((t) => t.group === 'alarms');

  registerBucketAggregate(db);
  const st = {
    machineByName: db.prepare('SELECT * FROM machine WHERE machine_id = ?'),
    insertMachine: db.prepare('INSERT OR IGNORE INTO machine (machine_id) VALUES (?)'),
    insertScan: db.prepare(
      'INSERT OR IGNORE INTO scan (machine, ts, seq, received) VALUES (?, ?, ?, ?)',
    ),
    insertSample: db.prepare(
      'INSERT OR IGNORE INTO sample (machine, tag, ts, value) VALUES (?, ?, ?, ?)',
    ),
    updateLatest: db.prepare(
      'UPDATE machine SET last_ts = ?, last_seq = ?, last_received = ?, latest = ?, reference = ? WHERE id = ?',
    ),
    updateReference: db.prepare('UPDATE machine SET reference = ? WHERE id = ?'),
    setConnection: db.prepare(
      'UPDATE machine SET connection = ?, connection_ts = ?, publish_interval_ms = coalesce(?, publish_interval_ms) WHERE id = ? AND (connection_ts IS NULL OR connection_ts <= ?)',
    ),
    listMachines: db.prepare('SELECT * FROM machine ORDER BY machine_id'),
    before: db.prepare(
      'SELECT ts, value FROM sample WHERE machine = ? AND tag = ? AND ts < ? ORDER BY ts DESC LIMIT 1',
    ),
    // The primary key hands the samples over in time order (ORDER BY costs no sort here), which
    // the aggregate relies on.
    buckets: db
      .prepare(
        `SELECT historian_buckets(ts, value, @from, @width, @end) FROM (
           SELECT ts, value FROM sample
            WHERE machine = @machine AND tag = @tag AND ts >= @from AND ts < @to ORDER BY ts)`,
      )
      .pluck(),
    rows: db.prepare(
      'SELECT ts, value FROM sample WHERE machine = ? AND tag = ? AND ts >= ? AND ts < ? ORDER BY ts',
    ),
    scans: db.prepare(
      'SELECT ts, seq FROM scan WHERE machine = ? AND ts >= ? AND ts < ? ORDER BY ts, seq LIMIT ?',
    ),
    deleteScans: db.prepare('DELETE FROM scan WHERE machine = ? AND ts < ?'),
    deleteSamples: db.prepare('DELETE FROM sample WHERE machine = ? AND tag = ? AND ts < ?'),
  };

  const machineRow = (machineId: string): MachineRow | undefined =>
    st.machineByName.get(machineId) as MachineRow | undefined;
  const ensureMachine = (machineId: string): MachineRow => {
    st.insertMachine.run(machineId);
    return machineRow(machineId)!;
  };

  const write = db.transaction((scans: NormalizedScan[], received: number): WriteResult => {
    const rows = new Map<string, MachineRow>();
    for (const scan of scans) {
      if (!rows.has(scan.machineId)) rows.set(scan.machineId, ensureMachine(scan.machineId));
    }
    const fresh: NormalizedScan[] = [];
    for (const scan of scans) {
      const row = rows.get(scan.machineId)!;
      if (st.insertScan.run(row.id, scan.ts, scan.sequence, received).changes === 1)
        fresh.push(scan);
    }
    const states = new Map<string, MachineState>();
    for (const [machineId, row] of rows) {
      states.set(machineId, {
        lastTs: row.last_ts,
        reference: row.reference ? (JSON.parse(row.reference) as MachineReference) : {},
      });
    }
    const plan = planWrites(fresh, states, catalog, settings.heartbeatMs);
    for (const s of plan.samples) {
      st.insertSample.run(rows.get(s.machineId)!.id, tagIds.get(s.tag)!, s.ts, s.value);
    }
    for (const m of plan.machines) {
      const row = rows.get(m.machineId)!;
      const reference = JSON.stringify(m.reference);
      if (m.latest) {
        st.updateLatest.run(
          m.latest.ts,
          m.latest.sequence,
          received,
          JSON.stringify(m.latest.tags),
          reference,
          row.id,
        );
      } else {
        st.updateReference.run(reference, row.id);
      }
    }
    return {
      stored: fresh.length,
      duplicates: scans.length - fresh.length,
      samples: plan.samples.length,
    };
  });

  const toRecord = (row: MachineRow): MachineRecord => ({
    machineId: row.machine_id,
    lastSeen: row.last_ts === null ? null : iso(row.last_ts),
    lastSequence: row.last_seq,
    lastReceived: row.last_received === null ? null : iso(row.last_received),
    connection: (row.connection as ConnectionStatus | null) ?? null,
    publishIntervalMs: row.publish_interval_ms,
    latest:
      row.latest === null || row.last_ts === null || row.last_seq === null
        ? null
        : {
            timestamp: iso(row.last_ts),
            sequence: row.last_seq,
            tags: JSON.parse(row.latest) as Record<string, number | boolean>,
          },
  });

  const seriesOf = (
    machine: number,
    lastTs: number | null,
    tag: HistorianTag,
    q: HistoryQuery,
  ): TagSeries => {
    const tagId = tagIds.get(tag.name)!;
    const before = st.before.get(machine, tagId, q.from) as
      { ts: number; value: number } | undefined;
    if (tag.kind === 'boolean') {
      const rows = st.rows.all(machine, tagId, q.from, q.to) as Array<{
        ts: number;
        value: number;
      }>;
      return booleanSeries(tag, q, before, rows);
    }
    const width = bucketWidth(q, q.maxPoints);
    const rows = JSON.parse(
      (st.buckets.get({
        machine,
        tag: tagId,
        from: q.from,
        to: q.to,
        width,
        end: Math.min(q.to, Math.max(lastTs ?? q.to, q.from)),
      }) as string | null) ?? '[]',
    ) as BucketRow[];
    return numericSeries(tag, q, before, rows, width);
  };

  // The store hands the journal's methods on as they are; pruning is part of its retention.
  const { pruneJournal, ...journal } = sqliteAlarmJournal(
    db,
    catalog,
    tagIds,
    (id) => machineRow(id)?.id,
  );

  return {
    engine: 'sqlite',
    location: file,
    ...journal,
    async writeScans(scans) {
      const normalized = normalizeScans(scans);
      if (normalized.length === 0) return { stored: 0, duplicates: 0, samples: 0 };
      return write.immediate(normalized, Date.now());
    },
    async setConnection(machineId, status: ConnectionStatus, timestamp, publishIntervalMs) {
      const ts = toMillis(timestamp);
      db.transaction(() => {
        const row = ensureMachine(machineId);
        st.setConnection.run(status, ts, publishIntervalMs ?? null, row.id, ts);
      }).immediate();
    },
    async listMachines() {
      return (st.listMachines.all() as MachineRow[]).map(toRecord);
    },
    async getMachine(machineId) {
      const row = machineRow(machineId);
      return row && toRecord(row);
    },
    async history(q) {
      const row = machineRow(q.machineId);
      if (!row) return undefined;
      const series = q.tags.map((name) => {
        const tag = tagByName.get(name);
        if (!tag) throw new RangeError(`unknown tag ${name}`);
        return seriesOf(row.id, row.last_ts, tag, q);
      });
      return { machineId: q.machineId, from: iso(q.from), to: iso(q.to), series };
    },
    async scans(machineId, range, limit) {
      const row = machineRow(machineId);
      if (!row) return undefined;
      return (
        st.scans.all(row.id, range.from, range.to, limit) as Array<{ ts: number; seq: number }>
      ).map((r) => ({ timestamp: iso(r.ts), sequence: r.seq }));
    },
    async alarmTransitions(q) {
      const machines = q.machineId
        ? [machineRow(q.machineId)].filter((r): r is MachineRow => r !== undefined)
        : (st.listMachines.all() as MachineRow[]);
      return alarmTransitions(
        machines.flatMap((machine) =>
          alarmTags.map((tag) => {
            const tagId = tagIds.get(tag.name)!;
            return {
              machineId: machine.machine_id,
              alarm: tag.name,
              before: (st.before.get(machine.id, tagId, q.from) as { value: number } | undefined)
                ?.value,
              rows: st.rows.all(machine.id, tagId, q.from, q.to) as Array<{
                ts: number;
                value: number;
              }>,
            };
          }),
        ),
        q.limit,
      );
    },
    async enforceRetention(retentionDays, now = Date.now()) {
      const cutoff = now - retentionDays * DAY_MS;
      let removed = 0;
      // One short transaction per machine, so ingest is never blocked for long.
      for (const row of st.listMachines.all() as MachineRow[]) {
        removed += db
          .transaction(() => {
            let n = st.deleteScans.run(row.id, cutoff).changes;
            for (const id of tagIds.values()) n += st.deleteSamples.run(row.id, id, cutoff).changes;
            return n;
          })
          .immediate();
      }
      removed += pruneJournal(cutoff);
      return { cutoff: iso(cutoff), removed };
    },
    async checkWritable() {
      db.prepare('BEGIN IMMEDIATE').run();
      db.prepare('ROLLBACK').run();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

function syncTags(db: Database.Database, catalog: readonly HistorianTag[]): Map<string, number> {
  const existing = new Map(
    (db.prepare('SELECT id, name FROM tag').all() as Array<{ id: number; name: string }>).map(
      (r) => [r.name, r.id],
    ),
  );
  const upsert = db.prepare(`
    INSERT INTO tag (id, name, grp, kind, unit, eu_min, eu_max, deadband) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET grp = excluded.grp, kind = excluded.kind, unit = excluded.unit,
      eu_min = excluded.eu_min, eu_max = excluded.eu_max, deadband = excluded.deadband`);
  let next = Math.max(0, ...existing.values()) + 1;
  db.transaction(() => {
    for (const tag of catalog) {
      const id = existing.get(tag.name) ?? next++;
      existing.set(tag.name, id);
      upsert.run(id, tag.name, tag.group, tag.kind, tag.unit, tag.min, tag.max, tag.deadband);
    }
  }).immediate();
  return existing;
}
