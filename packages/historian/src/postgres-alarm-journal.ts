import type pg from 'pg';
import type { AlarmJournalEntry } from './alarm-journal.js';
import type { HistorianStore } from './historian-store.js';
import { toEntry, type JournalRow } from './journal-row.js';
import { valuesAtScans, type SamplePoint } from './scan-values.js';
import type { HistorianTag } from './tag-catalog.js';

// Times leave PostgreSQL as float8 epoch milliseconds (one conversion, in SQL) and enter as them.
const MS = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;
const TS = (param: string) => `to_timestamp(${param}::float8 / 1000)`;
const COLUMNS = `id, machine_id, alarm, event, state, ${MS('ts')} AS ts, user_name, first_out, active,
  ${MS('raised_at')} AS raised_at, ${MS('acknowledged_at')} AS acknowledged_at, acknowledged_by,
  ${MS('cleared_at')} AS cleared_at, topic`;

type JournalMethods = Pick<
  HistorianStore,
  'appendAlarmEvents' | 'alarmJournal' | 'latestAlarmEntries' | 'tagValuesAtScans'
>;

/**
 * The alarm journal and the scan-values query of the PostgreSQL store (migration 002), beside the
 * store as in SQLite.
 */
export function postgresAlarmJournal(
  pool: pg.Pool,
  catalog: readonly HistorianTag[],
  tagIds: ReadonlyMap<string, number>,
  machineKey: (machineId: string) => Promise<number | undefined>,
): JournalMethods & { pruneJournal(cutoff: number): Promise<number> } {
  const tagByName = new Map(catalog.map((t) => [t.name, t]));
  return {
    async appendAlarmEvents(entries) {
      if (entries.length === 0) return;
      const col = <K extends keyof AlarmJournalEntry>(k: K) => entries.map((e) => e[k]);
      // One statement, one transaction: the lines of a cascade are journalled together or not at all.
      await pool.query(
        `INSERT INTO alarm_event (machine_id, alarm, event, state, ts, user_name, first_out, active,
           raised_at, acknowledged_at, acknowledged_by, cleared_at, topic)
         SELECT m, a, e, s, ${TS('t')}, u, f, act, ${TS('r')}, ${TS('k')}, kb, ${TS('c')}, tp
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[],
                       $7::bool[], $8::bool[], $9::float8[], $10::float8[], $11::text[], $12::float8[], $13::text[])
                AS x(m, a, e, s, t, u, f, act, r, k, kb, c, tp)`,
        [
          col('machineId'),
          col('alarm'),
          col('event'),
          col('state'),
          col('at'),
          col('user'),
          col('firstOut'),
          col('active'),
          col('raisedAt'),
          col('acknowledgedAt'),
          col('acknowledgedBy'),
          col('clearedAt'),
          entries.map((e) => e.topic ?? null),
        ],
      );
    },
    async alarmJournal(q) {
      const { rows } = await pool.query<JournalRow>(
        `SELECT ${COLUMNS} FROM alarm_event
          WHERE ts >= ${TS('$1')} AND ts < ${TS('$2')}
            AND ($3::text IS NULL OR machine_id = $3)
            AND ($4::text IS NULL OR alarm = $4)
            AND ($5::text IS NULL OR event = $5)
          ORDER BY alarm_event.ts DESC, id DESC LIMIT $6`,
        [q.from, q.to, q.machineId ?? null, q.alarm ?? null, q.event ?? null, q.limit ?? 10_000],
      );
      return rows.reverse().map(toEntry);
    },
    async latestAlarmEntries() {
      const { rows } = await pool.query<JournalRow>(
        `SELECT DISTINCT ON (machine_id, alarm) ${COLUMNS} FROM alarm_event
          ORDER BY machine_id, alarm, id DESC`,
      );
      return rows.map(toEntry);
    },
    async tagValuesAtScans(q) {
      const machine = await machineKey(q.machineId);
      if (machine === undefined) return undefined;
      const { rows: scans } = await pool.query<{ ts: number; seq: string }>(
        `(SELECT ${MS('ts')} AS ts, seq FROM scan WHERE machine = $1 AND ts < ${TS('$2')}
           ORDER BY scan.ts DESC, seq DESC LIMIT 1)
         UNION ALL
         (SELECT ${MS('ts')} AS ts, seq FROM scan
           WHERE machine = $1 AND ts >= ${TS('$2')} AND ts < ${TS('$3')}
           ORDER BY scan.ts, seq LIMIT $4)
         ORDER BY ts, seq`,
        [machine, q.from, q.to, q.limit ?? 100_000],
      );
      if (scans.length === 0) return [];
      const start = scans[0]!.ts;
      const series = await Promise.all(
        q.tags.map(async (name) => {
          const tag = tagByName.get(name);
          if (!tag) throw new RangeError(`unknown tag ${name}`);
          const id = tagIds.get(name)!;
          const [before, points] = await Promise.all([
            pool.query<SamplePoint>(
              `SELECT ${MS('ts')} AS ts, value FROM sample
                WHERE machine = $1 AND tag = $2 AND ts < ${TS('$3')} ORDER BY sample.ts DESC LIMIT 1`,
              [machine, id, start],
            ),
            pool.query<SamplePoint>(
              `SELECT ${MS('ts')} AS ts, value FROM sample
                WHERE machine = $1 AND tag = $2 AND ts >= ${TS('$3')} AND ts < ${TS('$4')}
                ORDER BY sample.ts`,
              [machine, id, start, q.to],
            ),
          ]);
          return { tag, before: before.rows[0], points: points.rows };
        }),
      );
      return valuesAtScans(
        scans.map((s) => ({ ts: Math.round(s.ts), seq: Number(s.seq) })),
        series.map((s) => ({
          ...s,
          before: s.before && { ts: Math.round(s.before.ts), value: s.before.value },
          points: s.points.map((p) => ({ ts: Math.round(p.ts), value: p.value })),
        })),
      );
    },
    async pruneJournal(cutoff: number) {
      const { rowCount } = await pool.query(
        `DELETE FROM alarm_event WHERE ts < ${TS('$1')}
            AND id NOT IN (SELECT max(id) FROM alarm_event GROUP BY machine_id, alarm)`,
        [cutoff],
      );
      return rowCount ?? 0;
    },
  };
}
