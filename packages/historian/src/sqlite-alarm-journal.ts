import type Database from 'better-sqlite3';
import type { AlarmJournalEntry } from './alarm-journal.js';
import type { HistorianStore } from './historian-store.js';
import { toEntry, type JournalRow } from './journal-row.js';
import { valuesAtScans, type SamplePoint } from './scan-values.js';
import type { HistorianTag } from './tag-catalog.js';

type JournalMethods = Pick<
  HistorianStore,
  'appendAlarmEvents' | 'alarmJournal' | 'latestAlarmEntries' | 'tagValuesAtScans'
>;

/**
 * The alarm journal and the scan-values query of the SQLite store (migration 002), kept beside the
 * store rather than in it: the alarm server's tables and the scan/sample tables change for
 * different reasons.
 */
export function sqliteAlarmJournal(
  db: Database.Database,
  catalog: readonly HistorianTag[],
  tagIds: ReadonlyMap<string, number>,
  machineKey: (machineId: string) => number | undefined,
): JournalMethods & { pruneJournal(cutoff: number): number } {
  const st = {
    insert: db.prepare(`
      INSERT INTO alarm_event (machine_id, alarm, event, state, ts, user_name, first_out, active,
        raised_at, acknowledged_at, acknowledged_by, cleared_at, topic)
      VALUES (@machineId, @alarm, @event, @state, @at, @user, @firstOut, @active,
        @raisedAt, @acknowledgedAt, @acknowledgedBy, @clearedAt, @topic)`),
    journal: db.prepare(`
      SELECT * FROM alarm_event
       WHERE ts >= @from AND ts < @to
         AND (@machineId IS NULL OR machine_id = @machineId)
         AND (@alarm IS NULL OR alarm = @alarm)
         AND (@event IS NULL OR event = @event)
       ORDER BY ts DESC, id DESC LIMIT @limit`),
    latest: db.prepare(
      'SELECT * FROM alarm_event WHERE id IN (SELECT max(id) FROM alarm_event GROUP BY machine_id, alarm) ORDER BY machine_id, alarm',
    ),
    prune: db.prepare(
      'DELETE FROM alarm_event WHERE ts < ? AND id NOT IN (SELECT max(id) FROM alarm_event GROUP BY machine_id, alarm)',
    ),
    scanBefore: db.prepare(
      'SELECT ts, seq FROM scan WHERE machine = ? AND ts < ? ORDER BY ts DESC, seq DESC LIMIT 1',
    ),
    scans: db.prepare(
      'SELECT ts, seq FROM scan WHERE machine = ? AND ts >= ? AND ts < ? ORDER BY ts, seq LIMIT ?',
    ),
    sampleBefore: db.prepare(
      'SELECT ts, value FROM sample WHERE machine = ? AND tag = ? AND ts < ? ORDER BY ts DESC LIMIT 1',
    ),
    samples: db.prepare(
      'SELECT ts, value FROM sample WHERE machine = ? AND tag = ? AND ts >= ? AND ts < ? ORDER BY ts',
    ),
  };
  const append = db.transaction((entries: readonly AlarmJournalEntry[]) => {
    for (const e of entries) {
      st.insert.run({
        ...e,
        firstOut: e.firstOut ? 1 : 0,
        active: e.active ? 1 : 0,
        topic: e.topic ?? null,
      });
    }
  });
  const tagByName = new Map(catalog.map((t) => [t.name, t]));

  return {
    async appendAlarmEvents(entries) {
      if (entries.length > 0) append.immediate(entries);
    },
    async alarmJournal(q) {
      const rows = st.journal.all({
        from: q.from,
        to: q.to,
        machineId: q.machineId ?? null,
        alarm: q.alarm ?? null,
        event: q.event ?? null,
        limit: q.limit ?? 10_000,
      }) as JournalRow[];
      return rows.reverse().map(toEntry);
    },
    async latestAlarmEntries() {
      return (st.latest.all() as JournalRow[]).map(toEntry);
    },
    async tagValuesAtScans(q) {
      const machine = machineKey(q.machineId);
      if (machine === undefined) return undefined;
      const first = st.scanBefore.get(machine, q.from) as { ts: number; seq: number } | undefined;
      const scans = [
        ...(first ? [first] : []),
        ...(st.scans.all(machine, q.from, q.to, q.limit ?? 100_000) as Array<{
          ts: number;
          seq: number;
        }>),
      ];
      if (scans.length === 0) return [];
      const start = scans[0]!.ts;
      const series = q.tags.map((name) => {
        const tag = tagByName.get(name);
        if (!tag) throw new RangeError(`unknown tag ${name}`);
        const id = tagIds.get(name)!;
        return {
          tag,
          before: st.sampleBefore.get(machine, id, start) as SamplePoint | undefined,
          points: st.samples.all(machine, id, start, q.to) as SamplePoint[],
        };
      });
      return valuesAtScans(scans, series);
    },
    pruneJournal(cutoff: number) {
      return st.prune.run(cutoff).changes;
    },
  };
}
