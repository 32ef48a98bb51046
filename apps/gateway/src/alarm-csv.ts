// Alarm lists as CSV (RFC 4180, CRLF). User names are free text, so every cell is escaped, and
// one a spreadsheet would run as a formula (= + - @) is prefixed with ' (OWASP CSV injection).

function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/u.test(text) ? `'${text}` : text;
  return /[",\r\n]/u.test(safe) ? `"${safe.replace(/"/gu, '""')}"` : safe;
}

function csv<T extends object>(columns: readonly (keyof T & string)[], rows: readonly T[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** `GET /api/alarms?format=csv`. */
export function alarmRecordsCsv(
  rows: readonly {
    machineId: string;
    alarm: string;
    state: string;
    active: boolean;
    acknowledged: boolean;
    firstOut: boolean;
    raisedAt: string | null;
    acknowledgedAt: string | null;
    acknowledgedBy: string | null;
    clearedAt: string | null;
  }[],
): string {
  return csv(
    [
      'machineId',
      'alarm',
      'state',
      'active',
      'acknowledged',
      'firstOut',
      'raisedAt',
      'acknowledgedAt',
      'acknowledgedBy',
      'clearedAt',
    ],
    rows,
  );
}

/** `GET /api/alarms/journal?format=csv`. */
export function alarmJournalCsv(
  rows: readonly {
    id: number;
    timestamp: string;
    machineId: string;
    alarm: string;
    event: string;
    state: string;
    firstOut: boolean;
    user?: string | undefined;
    raisedAt?: string | undefined;
  }[],
): string {
  return csv(
    ['id', 'timestamp', 'machineId', 'alarm', 'event', 'state', 'firstOut', 'user', 'raisedAt'],
    rows,
  );
}
