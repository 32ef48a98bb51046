import type { LogLevel } from './config.js';

/** Key/value context of a log line. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Leveled logger: one line per event, ISO-8601 UTC time first; warn and error on stderr. */
export interface Logger {
  /** Needs attention. */
  error(message: string, fields?: LogFields): void;
  /** Degraded, handled by the gateway itself (database down, broker lost). */
  warn(message: string, fields?: LogFields): void;
  /** Normal operation. */
  info(message: string, fields?: LogFields): void;
  /** Detail for troubleshooting. */
  debug(message: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
// Values may come from the network (topics, machine ids): quoted with JSON escapes, so a control
// character can never reach the terminal raw.
const quote = (value: string): string =>
  /^[\x21-\x7e]+$/u.test(value) && !/["=]/u.test(value) ? value : JSON.stringify(value);

/** Creates the gateway's logger (moves to @ot-mqtt/app-kit's logger when that lands). */
export function createLogger(
  level: LogLevel = 'info',
  out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  err: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Logger {
  const write = (lvl: LogLevel, message: string, fields: LogFields = {}) => {
    if (RANK[lvl] > RANK[level]) return;
    const parts = [new Date().toISOString(), lvl.toUpperCase().padEnd(5), message];
    for (const [k, v] of Object.entries(fields))
      if (v !== undefined) parts.push(`${k}=${quote(String(v))}`);
    (RANK[lvl] <= RANK.warn ? err : out)(parts.join(' '));
  };
  return {
    error: (m, f) => write('error', m, f),
    warn: (m, f) => write('warn', m, f),
    info: (m, f) => write('info', m, f),
    debug: (m, f) => write('debug', m, f),
  };
}
