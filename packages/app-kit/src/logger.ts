/** Log levels, most severe first. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/** How much an app says about itself: `error` only problems, `debug` everything. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Extra key/value context of a log line (numbers, short strings). */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Leveled logger writing one line per event with an ISO-8601 UTC timestamp. */
export interface Logger {
  /** Something failed and needs attention. */
  error(message: string, fields?: LogFields): void;
  /** Something degraded (publish failed, connection lost) that the app handles by itself. */
  warn(message: string, fields?: LogFields): void;
  /** Normal operation: connection changes, start, stop, summaries. */
  info(message: string, fields?: LogFields): void;
  /** Detail for troubleshooting. */
  debug(message: string, fields?: LogFields): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Least severe level written (default `info`). */
  readonly level?: LogLevel;
  /** `text` (timestamp, level, message, key=value) or `json` (one object per line) (default `text`). */
  readonly format?: 'text' | 'json';
  /** Where info and debug lines go (default stdout). */
  readonly out?: (line: string) => void;
  /** Where warn and error lines go (default stderr, so `2>` separates problems from routine). */
  readonly err?: (line: string) => void;
  /** Clock, replaced in tests (default `new Date()`). */
  readonly now?: () => Date;
}

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/**
 * Whether a line of `level` is written when the least severe level logged is `threshold`.
 *
 * @example
 * ```ts
 * import { levelEnabled } from '@ot-mqtt/app-kit';
 * levelEnabled('debug', 'info'); // false
 * ```
 */
export const levelEnabled = (level: LogLevel, threshold: LogLevel): boolean =>
  RANK[level] <= RANK[threshold];

// Values may come from the network (topics, machine ids): anything but printable ASCII is quoted
// with JSON escapes, so a control character (an ANSI escape) never reaches the terminal raw.
const quote = (value: string): string =>
  /^[\x21-\x7e]+$/.test(value) && !/["=]/.test(value) ? value : JSON.stringify(value);

/**
 * Creates a logger. Text lines read `2026-01-15T08:00:00.000Z INFO  connected url=mqtt://…`;
 * JSON lines `{"time":…,"level":"info","msg":"connected","url":…}` for log shippers. Values with
 * spaces, quotes, `=` or anything but printable ASCII are JSON-quoted, so a field never forges
 * another and a control character never reaches the terminal.
 *
 * @example
 * ```ts
 * import { createLogger } from '@ot-mqtt/app-kit';
 *
 * const logger = createLogger({ level: 'debug', format: 'json' });
 * logger.info('connected', { url: 'mqtt://localhost:1883' });
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const limit = options.level ?? 'info';
  const out = options.out ?? ((line: string) => process.stdout.write(line + '\n'));
  const err = options.err ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = options.now ?? (() => new Date());
  const json = options.format === 'json';

  const write = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (!levelEnabled(level, limit)) return;
    const time = now().toISOString();
    const defined = Object.entries(fields).filter(([, v]) => v !== undefined);
    const line = json
      ? JSON.stringify({ time, level, msg: message, ...Object.fromEntries(defined) })
      : [
          time,
          level.toUpperCase().padEnd(5),
          message,
          ...defined.map(([k, v]) => `${k}=${quote(String(v))}`),
        ].join(' ');
    (RANK[level] <= RANK.warn ? err : out)(line);
  };
  return {
    error: (m, f) => write('error', m, f),
    warn: (m, f) => write('warn', m, f),
    info: (m, f) => write('info', m, f),
    debug: (m, f) => write('debug', m, f),
  };
}
