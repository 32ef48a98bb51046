import type { AlarmJournalEntry, JournalAlarmState, StoredAlarmEntry } from './alarm-journal.js';

/**
 * A row of `alarm_event` as either engine hands it over: SQLite gives booleans as 0/1 and integer
 * milliseconds; PostgreSQL gives the `bigserial` id as a string, booleans as booleans and times as
 * float8 milliseconds (see `MS` in postgres-alarm-journal.ts).
 */
export interface JournalRow {
  id: number | string;
  machine_id: string;
  alarm: string;
  event: string;
  state: string;
  ts: number;
  user_name: string | null;
  first_out: boolean | number;
  active: boolean | number;
  raised_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  cleared_at: number | null;
  topic: string | null;
}

const ms = (v: number | null) => (v === null ? null : Math.round(v));

/** One journal row as the store returns it, whichever engine read it. */
export const toEntry = (r: JournalRow): StoredAlarmEntry => ({
  id: Number(r.id),
  machineId: r.machine_id,
  alarm: r.alarm,
  event: r.event as AlarmJournalEntry['event'],
  state: r.state as JournalAlarmState,
  at: Math.round(r.ts),
  user: r.user_name,
  firstOut: Boolean(r.first_out),
  active: Boolean(r.active),
  raisedAt: ms(r.raised_at),
  acknowledgedAt: ms(r.acknowledged_at),
  acknowledgedBy: r.acknowledged_by,
  clearedAt: ms(r.cleared_at),
  topic: r.topic,
});
