import type { AlarmEventType, AlarmStateName } from '@ot-mqtt/tag-model';

/**
 * ISA-18.2 lifecycle states, as the gateway's alarm server (issue 12) names them, in the order the
 * lists show them; checked against tag-model's contract at compile time (a type-only import keeps
 * zod out of the page).
 */
export const ALARM_STATES = [
  'unacknowledged-active',
  'unacknowledged-returned-to-normal',
  'acknowledged-active',
  'normal',
] as const satisfies readonly AlarmStateName[];
export type AlarmState = (typeof ALARM_STATES)[number];

/** The lifecycle of one alarm of one machine now (`GET /api/alarms`, one per machine × alarm). */
export interface AlarmRecord {
  readonly machineId: string;
  readonly alarm: string;
  readonly state: AlarmState;
  readonly active: boolean;
  readonly acknowledged: boolean;
  readonly firstOut: boolean;
  /** ms since epoch, when known. */
  readonly raisedAt?: number;
  readonly acknowledgedAt?: number;
  readonly acknowledgedBy?: string;
  readonly clearedAt?: number;
}

/** One line of the alarm journal (`GET /api/alarms/journal`, or an event from MQTT). */
export interface JournalEntry {
  readonly machineId: string;
  readonly alarm: string;
  readonly event: 'raised' | 'acknowledged' | 'cleared';
  /** State after the event. */
  readonly state: AlarmState;
  /** When, ms since epoch. */
  readonly at: number;
  /** Who acknowledged, for acknowledgements. */
  readonly user?: string;
  /** First alarm of a cascade (first-out). */
  readonly firstOut: boolean;
}

const EVENTS = ['raised', 'acknowledged', 'cleared'] as const satisfies readonly AlarmEventType[];
/** Records and entries read at most from one answer: a runaway response must not freeze the page. */
const MAX_ITEMS = 20_000;

/**
 * Reads `GET /api/alarms`: a list of lifecycle records. A record without a machine id, an alarm
 * name or a known state is skipped, so one bad record never blanks the list.
 */
export function parseAlarmRecords(body: unknown): AlarmRecord[] {
  if (!Array.isArray(body)) return [];
  return readAlarms(body, (item, identity) => ({
    ...identity,
    ...stateFlags(identity.state),
    firstOut: item.firstOut === true,
    ...optional('raisedAt', time(item.raisedAt)),
    ...optional('acknowledgedAt', time(item.acknowledgedAt)),
    ...optional('acknowledgedBy', str(item.acknowledgedBy)),
    ...optional('clearedAt', time(item.clearedAt)),
  }));
}

/**
 * Reads `GET /api/alarms/journal` (a list, oldest first) or one alarm event payload from
 * `<root>[/<machineId>]/alarms/events` (pass it alone). Bad entries are skipped.
 */
export function parseAlarmJournal(body: unknown): JournalEntry[] {
  return readAlarms(Array.isArray(body) ? body : [body], (item, identity) => {
    const event = oneOf(item.event, EVENTS);
    const at = time(item.timestamp);
    if (!event || at === undefined) return undefined;
    return {
      ...identity,
      event,
      at,
      firstOut: item.firstOut === true,
      ...optional('user', str(item.user)),
    };
  }).sort((a, b) => a.at - b.at);
}

/**
 * The record after `entry` happened to it (an alarm event arriving over MQTT updates the list at
 * once, before the next read of `GET /api/alarms`).
 */
export function applyJournalEntry(
  record: AlarmRecord | undefined,
  entry: JournalEntry,
): AlarmRecord {
  const base: AlarmRecord = record ?? {
    machineId: entry.machineId,
    alarm: entry.alarm,
    state: 'normal',
    active: false,
    acknowledged: true,
    firstOut: false,
  };
  return {
    ...base,
    state: entry.state,
    ...stateFlags(entry.state),
    ...(entry.event === 'raised' ? { raisedAt: entry.at, firstOut: entry.firstOut } : {}),
    ...(entry.event === 'acknowledged'
      ? { acknowledgedAt: entry.at, ...optional('acknowledgedBy', entry.user) }
      : {}),
    ...(entry.event === 'cleared' ? { clearedAt: entry.at } : {}),
  };
}

/** Order of the alarm lists: unacknowledged-active, then unacknowledged cleared, acknowledged-active, normal; newest first within each. */
export function compareAlarmRecords(a: AlarmRecord, b: AlarmRecord): number {
  return (
    ALARM_STATES.indexOf(a.state) - ALARM_STATES.indexOf(b.state) ||
    (b.raisedAt ?? 0) - (a.raisedAt ?? 0)
  );
}

/** `machineId/alarm`, the identity of one alarm. */
export function alarmKey(machineId: string, alarm: string): string {
  return `${machineId}/${alarm}`;
}

/** RFC 4180 CSV of journal entries, with a header row; cells that a spreadsheet would run as formulas are quoted with a leading `'`. */
export function journalCsv(entries: readonly JournalEntry[]): string {
  const cell = (value: string) => {
    const safe = /^[=+\-@\t\r]/u.test(value) ? `'${value}` : value;
    return /[",\n\r]/u.test(safe) ? `"${safe.replace(/"/gu, '""')}"` : safe;
  };
  const lines = ['time,machineId,alarm,event,state,user,firstOut'];
  for (const e of entries) {
    lines.push(
      [
        new Date(e.at).toISOString(),
        e.machineId,
        e.alarm,
        e.event,
        e.state,
        e.user ?? '',
        e.firstOut ? 'true' : '',
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The items of a list (at most {@link MAX_ITEMS}) that name a machine, an alarm and a known state,
 * as `read` makes them of the rest; an item it returns undefined for is skipped.
 */
function readAlarms<T>(
  list: readonly unknown[],
  read: (
    item: Record<string, unknown>,
    identity: { machineId: string; alarm: string; state: AlarmState },
  ) => T | undefined,
): T[] {
  const out: T[] = [];
  for (const item of list.slice(0, MAX_ITEMS)) {
    if (!isRecord(item)) continue;
    const machineId = str(item.machineId);
    const alarm = str(item.alarm);
    const state = oneOf(item.state, ALARM_STATES);
    if (!machineId || !alarm || !state) continue;
    const value = read(item, { machineId, alarm, state });
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** What a lifecycle state says about the alarm (ISA-18.2). */
function stateFlags(state: AlarmState): { active: boolean; acknowledged: boolean } {
  return {
    active: state === 'unacknowledged-active' || state === 'acknowledged-active',
    acknowledged: state === 'acknowledged-active' || state === 'normal',
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A bounded, non-empty string (ids, names and users from the wire are cut at 64 characters). */
function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, 64) : undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

function time(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
