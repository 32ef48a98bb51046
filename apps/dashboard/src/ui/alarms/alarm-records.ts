/** One line of the alarm journal: something that happened to one alarm of one machine. */
export interface JournalEntry {
  readonly machineId: string;
  readonly alarm: string;
  /** What happened: raised, cleared, acknowledged (or the gateway's lifecycle state name). */
  readonly event: string;
  /** When, ms since epoch. */
  readonly at: number;
  /** Who acknowledged, for acknowledgements. */
  readonly user?: string;
  /** First alarm of a cascade (first-out), when the gateway says so. */
  readonly firstOut?: boolean;
}

/** The lifecycle of one alarm now (ISA-18.2 states). */
export interface AlarmStatus {
  readonly machineId: string;
  readonly alarm: string;
  readonly active: boolean;
  readonly acknowledged: boolean;
  readonly raisedAt?: number;
  readonly acknowledgedAt?: number;
  readonly acknowledgedBy?: string;
  readonly clearedAt?: number;
  readonly firstOut?: boolean;
}

/**
 * Reads the gateway's `/api/alarms` answer: a list of transitions or of lifecycle records (in an
 * array or under `alarms`/`items`/`events`/`journal`). Items without a machine id, an alarm name or
 * a time are skipped, so one bad record never blanks the journal.
 */
export function parseAlarmJournal(body: unknown): JournalEntry[] {
  const record = isRecord(body) ? body : {};
  const list = Array.isArray(body)
    ? body
    : (record.alarms ?? record.items ?? record.events ?? record.journal ?? record.transitions);
  if (!Array.isArray(list)) return [];
  const out: JournalEntry[] = [];
  for (const item of list.slice(0, 20_000)) {
    if (!isRecord(item)) continue;
    const machineId = str(item.machineId);
    const alarm = str(item.alarm ?? item.name ?? item.tag);
    const event = str(item.event ?? item.transition ?? item.type ?? item.state ?? item.lifecycle);
    const at = time(
      item.at ??
        item.timestamp ??
        item.time ??
        item.acknowledgedAt ??
        item.clearedAt ??
        item.raisedAt,
    );
    if (!machineId || !alarm || !event || at === undefined) continue;
    const user = str(item.user ?? item.acknowledgedBy ?? item.by);
    out.push({
      machineId: machineId.slice(0, 64),
      alarm: alarm.slice(0, 64),
      event: event.slice(0, 40),
      at,
      ...(user ? { user: user.slice(0, 64) } : {}),
      ...(item.firstOut === true ? { firstOut: true } : {}),
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Folds a journal (oldest first) into the current status of every alarm it mentions. */
export function foldAlarmStatus(journal: readonly JournalEntry[]): Map<string, AlarmStatus> {
  const status = new Map<string, AlarmStatus>();
  for (const entry of journal) {
    const key = alarmKey(entry.machineId, entry.alarm);
    const before: AlarmStatus = status.get(key) ?? {
      machineId: entry.machineId,
      alarm: entry.alarm,
      active: false,
      acknowledged: true,
    };
    const event = entry.event.toLowerCase();
    let next: AlarmStatus = before;
    if (/unack.*(rtn|return|normal|clear)/u.test(event)) {
      next = { ...before, active: false, acknowledged: false, clearedAt: entry.at };
    } else if (/unack/u.test(event) || /^(raised|raise|active|alarm|set|on)$/u.test(event)) {
      next = {
        ...before,
        active: true,
        acknowledged: false,
        raisedAt: entry.at,
        ...(entry.firstOut ? { firstOut: true } : {}),
      };
    } else if (/ack/u.test(event)) {
      next = {
        ...before,
        acknowledged: true,
        acknowledgedAt: entry.at,
        ...(entry.user ? { acknowledgedBy: entry.user } : {}),
        ...(/active/u.test(event) ? { active: true } : {}),
      };
    } else if (/clear|normal|return|rtn|off/u.test(event)) {
      next = { ...before, active: false, clearedAt: entry.at };
    }
    status.set(key, next);
  }
  return status;
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
  const lines = ['time,machineId,alarm,event,user,firstOut'];
  for (const e of entries) {
    lines.push(
      [
        new Date(e.at).toISOString(),
        e.machineId,
        e.alarm,
        e.event,
        e.user ?? '',
        e.firstOut ? 'true' : '',
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function time(value: unknown): number | undefined {
  const ms =
    typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}
