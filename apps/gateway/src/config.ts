import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { brokerUrlList } from '@ot-mqtt/app-kit';
import { DEFAULT_HISTORIAN_DB, isPostgresUrl } from '@ot-mqtt/historian';
import { DEFAULT_TOPIC_ROOT } from '@ot-mqtt/tag-model';
import { z } from 'zod';
import { ALARM_ENV_VARS, alarmSettings, type AlarmSettings } from './alarm-config.js';
import { SPARKPLUG_INGEST_ENV_VARS } from './sparkplug-ingest.js';

// Kept small and self-contained on purpose: it moves onto @ot-mqtt/app-kit's env spec as soon as
// that lands (same shape: name, default, allowed, description, secret, schema).

/** One environment variable of the gateway: documentation and validation in one place. */
export interface EnvVar {
  /** Exact variable name. */
  readonly name: string;
  /** Default as the user would type it, or a sentence when derived. */
  readonly default: string;
  /** Allowed values in words, repeated in every error about this variable. */
  readonly allowed: string;
  /** What it does, one line. */
  readonly description: string;
  /** Never printed (not in errors, `--help` or logs). */
  readonly secret?: boolean;
  /** Parses the raw string (never called with an empty one: empty counts as unset). */
  readonly schema: z.ZodType;
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/u;
const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/u, 'not a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `below the minimum ${min}`).max(max, `above the maximum ${max}`));
const decimal = (min: number, max: number) =>
  z
    .string()
    .regex(/^(?:\d+(?:\.\d*)?|\.\d+)$/u, 'not a number')
    .transform(Number)
    .pipe(z.number().min(min, `below the minimum ${min}`).max(max, `above the maximum ${max}`));
const host = z
  .string()
  .refine((s) => isIP(s) !== 0 || HOSTNAME.test(s), 'not a host name or IP address');
const text = z
  .string()
  // eslint-disable-next-line no-control-regex -- control characters never belong in these values
  .refine((s) => !/[\u0000-\u001f]/u.test(s), 'contains control characters');
const topicLevels = z.string().refine(
  // eslint-disable-next-line no-control-regex -- NUL is exactly what must be rejected (MQTT §1.5.3)
  (s) => s.split('/').every((l) => l.length > 0 && !/[+#\u0000]/u.test(l)),
  'not topic levels (no +, #, empty levels or leading/trailing /)',
);
const urlWith = (schemes: readonly string[]) =>
  z.string().refine(
    (s) => {
      try {
        return schemes.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    `not a URL with scheme ${schemes.join(' or ')}`,
  );
const isWebSocketUrl = (u: string) => /^wss?:/iu.test(u);
const pathOf = (u: string) => {
  const url = new URL(u);
  return `${url.pathname}${url.search}`;
};
const readableFile = z.string().refine((p) => {
  try {
    readFileSync(p);
    return true;
  } catch {
    return false;
  }
}, 'not a readable file');

/** Every variable the gateway reads, in `--help` order. */
export const ENV_VARS = [
  {
    name: 'MQTT_BROKER_HOST',
    default: 'localhost',
    allowed: 'a host name or IP address',
    description: 'Broker host (ignored when MQTT_URL is set).',
    schema: host,
  },
  {
    name: 'MQTT_BROKER_PORT',
    default: '1883',
    allowed: 'a whole number, 1-65535',
    description: 'Broker port (ignored when MQTT_URL is set).',
    schema: whole(1, 65535),
  },
  {
    name: 'MQTT_URL',
    default: 'mqtt://<MQTT_BROKER_HOST>:<MQTT_BROKER_PORT>',
    allowed:
      'one URL or a comma-separated list (at most 16, all TLS or all plain, ws/wss ones with one path) with scheme mqtt://, mqtts://, ws:// or wss://, without credentials',
    description:
      'Full broker URL; overrides host and port. Several (the nodes of a cluster): every connection starts on the first and moves to the next at each reconnect.',
    schema: brokerUrlList.refine(
      // mqtt.js's `servers` failover takes one WebSocket path for all (connect-brokers.ts).
      (list) => new Set(list.split(',').filter(isWebSocketUrl).map(pathOf)).size <= 1,
      'ws/wss entries with different paths',
    ),
  },
  {
    name: 'MQTT_USERNAME',
    default: '(none)',
    allowed: 'a non-empty user name',
    description: 'User name for the broker.',
    schema: text,
  },
  {
    name: 'MQTT_PASSWORD',
    default: '(none)',
    allowed: 'a non-empty password',
    description: 'Password for the broker (prefer MQTT_PASSWORD_FILE; never printed).',
    secret: true,
    schema: text,
  },
  {
    name: 'MQTT_PASSWORD_FILE',
    default: '(none)',
    allowed: 'a readable file whose first line is the password',
    description: 'File holding the broker password.',
    schema: readableFile,
  },
  {
    name: 'MQTT_CLIENT_ID',
    default: 'ot-mqtt-gateway',
    allowed: '1-100 letters, digits, . _ -',
    description:
      'Client id prefix: ingest connection n uses <id>-<n>, each with a persistent session. Give each gateway its own.',
    schema: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/u, 'not 1-100 letters, digits, . _ -'),
  },
  {
    name: 'MQTT_PROTOCOL_VERSION',
    default: '5',
    allowed: '4 (MQTT 3.1.1) or 5 (MQTT 5)',
    description: 'MQTT protocol level of the ingest connections (4 for brokers without MQTT 5).',
    schema: z.enum(['4', '5']).transform(Number),
  },
  {
    name: 'TOPIC_ROOT',
    default: DEFAULT_TOPIC_ROOT,
    allowed: 'topic levels without +, # or empty levels',
    description: 'Root of the bottle-filler topics.',
    schema: topicLevels,
  },
  {
    name: 'GATEWAY_SHARE_GROUP',
    default: 'historian',
    allowed: '1-64 letters, digits, . _ -',
    description:
      'Shared subscription group ($share/<group>/…): gateways in one group split the scans.',
    schema: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/u, 'not 1-64 letters, digits, . _ -'),
  },
  {
    name: 'GATEWAY_INGEST_CONNECTIONS',
    default: '4',
    allowed: 'a whole number, 1-64',
    description:
      'MQTT connections in the share group (persistent sessions); the broker spreads the scans over them.',
    schema: whole(1, 64),
  },
  {
    name: 'GATEWAY_INGEST_INFLIGHT',
    default: '64',
    allowed: 'a whole number, 1-65535',
    description:
      'Scans each connection holds unacknowledged until committed (also sent as its MQTT 5 receive maximum): a commit holds up to connections × this.',
    schema: whole(1, 65535),
  },
  {
    name: 'GATEWAY_HOST',
    default: '127.0.0.1',
    allowed: 'a host name or IP address to listen on',
    description: 'HTTP listen address (set GATEWAY_TOKEN before listening beyond localhost).',
    schema: host,
  },
  {
    name: 'GATEWAY_PORT',
    default: '8080',
    allowed: 'a whole number, 0-65535 (0: any free port)',
    description: 'HTTP port.',
    schema: whole(0, 65535),
  },
  {
    name: 'GATEWAY_TOKEN',
    default: '(none: no authentication)',
    allowed: 'at least 16 characters',
    description: 'Bearer token required on /api/* (never printed; prefer GATEWAY_TOKEN_FILE).',
    secret: true,
    schema: text.refine((s) => s.length >= 16, 'shorter than 16 characters'),
  },
  {
    name: 'GATEWAY_TOKEN_FILE',
    default: '(none)',
    allowed: 'a readable file whose first line is the token (at least 16 characters)',
    description: 'File holding the bearer token.',
    schema: readableFile,
  },
  {
    name: 'HISTORIAN_DB',
    default: DEFAULT_HISTORIAN_DB,
    allowed: 'a file path (SQLite) or a postgres:// URL',
    description: 'Where the history is stored; the SQLite file and its folder are created.',
    schema: text.refine((s) => !/^[a-z][a-z0-9+.-]*:\/\//iu.test(s) || isPostgresUrl(s), {
      message: 'a URL that is not postgres:// or postgresql://',
    }),
  },
  {
    name: 'HISTORIAN_RETENTION_DAYS',
    default: '30',
    allowed: 'a whole number of days, 1-36500',
    description: 'Older data is dropped (checked at start and hourly).',
    schema: whole(1, 36500),
  },
  {
    name: 'HISTORIAN_DEADBAND_PERCENT',
    default: '0.5',
    allowed: 'a number from 0 to 100',
    description:
      'REAL tags are stored when they move more than this % of their span (0: every change).',
    schema: decimal(0, 100),
  },
  {
    name: 'HISTORIAN_HEARTBEAT_SECONDS',
    default: '60',
    allowed: 'a number of seconds, 1-86400',
    description: 'Every tag is stored at least this often, changed or not.',
    schema: decimal(1, 86400),
  },
  {
    name: 'DASHBOARD_MQTT_URL',
    default: '(unset: the page uses ws://<its host>:9001)',
    allowed: 'a URL with scheme ws: or wss:',
    description: 'Broker URL the dashboard page connects to (served as /dashboard-config.json).',
    schema: urlWith(['ws:', 'wss:']),
  },
  {
    name: 'DASHBOARD_DIR',
    default: 'apps/dashboard/dist (when it exists)',
    allowed: 'a folder',
    description: "The dashboard's built files, served at /.",
    schema: text,
  },
  ...ALARM_ENV_VARS,
  ...SPARKPLUG_INGEST_ENV_VARS,
  {
    name: 'METRICS_PORT',
    default: '(unset: no metrics)',
    allowed: 'a whole number, 1-65535',
    description: 'Serve Prometheus metrics on http://METRICS_HOST:METRICS_PORT/metrics.',
    schema: whole(1, 65535),
  },
  {
    name: 'METRICS_HOST',
    default: '127.0.0.1',
    allowed: 'a host name or IP address to listen on',
    description: 'Address of /metrics (0.0.0.0 for a Prometheus on another host).',
    schema: host,
  },
  {
    name: 'METRICS_MAX_MACHINES',
    default: '100',
    allowed: 'a whole number, 0-100000',
    description:
      'Machines with their own `machine` label on /metrics; later ones share machine="_other".',
    schema: whole(0, 100_000),
  },
  {
    name: 'LOG_LEVEL',
    default: 'info',
    allowed: 'error, warn, info or debug',
    description: "Verbosity of the gateway's log lines (JSON, one per line, on stderr).",
    schema: z.enum(['error', 'warn', 'info', 'debug']),
  },
] as const satisfies readonly EnvVar[];

/** Log levels, least to most verbose. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Validated configuration of the gateway. */
export interface GatewayConfig {
  /** Broker URL, or several comma-separated (failover, in order); credentials never in it. */
  readonly mqttUrl: string;
  /** Broker user name. */
  readonly username: string | undefined;
  /** Broker password (never printed). */
  readonly password: string | undefined;
  /** Client id prefix of the ingest connections. */
  readonly clientId: string;
  /** Topic root. */
  readonly topicRoot: string;
  /** MQTT protocol level. */
  readonly protocolVersion: 4 | 5;
  /** Shared subscription group, or undefined for a plain subscription (`none`). */
  readonly shareGroup: string | undefined;
  /** Number of ingest connections. */
  readonly ingestConnections: number;
  /** Unacknowledged scans per ingest connection (MQTT 5 receive maximum). */
  readonly ingestInflight: number;
  /** HTTP listen host. */
  readonly host: string;
  /** HTTP listen port (0: any free port). */
  readonly port: number;
  /** Bearer token for /api/* (never printed), or undefined. */
  readonly token: string | undefined;
  /** HISTORIAN_DB. */
  readonly db: string;
  /** Retention in days. */
  readonly retentionDays: number;
  /** Deadband of REAL tags in % of span. */
  readonly deadbandPercent: number;
  /** Heartbeat in ms. */
  readonly heartbeatMs: number;
  /** DASHBOARD_MQTT_URL, or undefined. */
  readonly dashboardMqttUrl: string | undefined;
  /** Folder of the dashboard's built files, or undefined for the default. */
  readonly dashboardDir: string | undefined;
  /** Log verbosity. */
  readonly logLevel: LogLevel;
  /** Alarm server and OEE (operator token, shift, ideal rate). */
  readonly alarms: AlarmSettings;
  /** Store Sparkplug B fillers too (GATEWAY_SPARKPLUG, sparkplug-ingest.ts). */
  readonly sparkplug: boolean;
  /** The `/metrics` endpoint: off when `port` is undefined. */
  readonly metrics: {
    readonly port: number | undefined;
    readonly host: string;
    readonly maxMachines: number;
  };
}

/** Outcome of {@link parseConfig}. */
export type ConfigResult =
  | { readonly kind: 'ok'; readonly config: GatewayConfig }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly errors: readonly string[] };

type Name = (typeof ENV_VARS)[number]['name'];

function firstLine(path: string): string {
  return (readFileSync(path, 'utf8').split(/\r?\n/u)[0] ?? '').trim();
}

/**
 * Reads the gateway's configuration from environment variables and arguments. Every bad value is
 * reported at once, naming the variable and what is allowed (never echoing a secret).
 */
export function parseConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): ConfigResult {
  const errors: string[] = [];
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    errors.push(`unknown argument ${JSON.stringify(arg)} (see --help)`);
  }
  const values = new Map<Name, unknown>();
  for (const spec of ENV_VARS as readonly EnvVar[]) {
    const raw = env[spec.name];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = spec.schema.safeParse(raw.trim());
    if (parsed.success) {
      values.set(spec.name as Name, parsed.data);
      continue;
    }
    const reason = parsed.error.issues[0]?.message ?? 'invalid';
    const shown = spec.secret ? '(hidden)' : JSON.stringify(raw);
    errors.push(`${spec.name}=${shown} is invalid (${reason}): expected ${spec.allowed}`);
  }
  const get = <T>(name: Name): T | undefined => values.get(name) as T | undefined;

  let password = get<string>('MQTT_PASSWORD');
  const passwordFile = get<string>('MQTT_PASSWORD_FILE');
  if (passwordFile !== undefined) password = firstLine(passwordFile);
  let token = get<string>('GATEWAY_TOKEN');
  const tokenFile = get<string>('GATEWAY_TOKEN_FILE');
  if (tokenFile !== undefined) {
    token = firstLine(tokenFile);
    if (token.length < 16) {
      errors.push(
        'GATEWAY_TOKEN_FILE holds a token shorter than 16 characters: expected a readable file whose first line is the token (at least 16 characters)',
      );
    }
  }
  const alarms = alarmSettings(get, token, errors);
  if (errors.length > 0) return { kind: 'error', errors };

  const shareGroup = get<string>('GATEWAY_SHARE_GROUP') ?? 'historian';
  const mqttUrl =
    get<string>('MQTT_URL') ??
    `mqtt://${get<string>('MQTT_BROKER_HOST') ?? 'localhost'}:${get<number>('MQTT_BROKER_PORT') ?? 1883}`;
  return {
    kind: 'ok',
    config: {
      mqttUrl,
      username: get<string>('MQTT_USERNAME'),
      password,
      clientId: get<string>('MQTT_CLIENT_ID') ?? 'ot-mqtt-gateway',
      topicRoot: get<string>('TOPIC_ROOT') ?? DEFAULT_TOPIC_ROOT,
      protocolVersion: get<4 | 5>('MQTT_PROTOCOL_VERSION') ?? 5,
      shareGroup: shareGroup === 'none' ? undefined : shareGroup,
      // Without a share group every connection would receive every scan: one connection.
      ingestConnections:
        shareGroup === 'none' ? 1 : (get<number>('GATEWAY_INGEST_CONNECTIONS') ?? 4),
      ingestInflight: get<number>('GATEWAY_INGEST_INFLIGHT') ?? 64,
      host: get<string>('GATEWAY_HOST') ?? '127.0.0.1',
      port: get<number>('GATEWAY_PORT') ?? 8080,
      token,
      db: get<string>('HISTORIAN_DB') ?? DEFAULT_HISTORIAN_DB,
      retentionDays: get<number>('HISTORIAN_RETENTION_DAYS') ?? 30,
      deadbandPercent: get<number>('HISTORIAN_DEADBAND_PERCENT') ?? 0.5,
      heartbeatMs: (get<number>('HISTORIAN_HEARTBEAT_SECONDS') ?? 60) * 1000,
      dashboardMqttUrl: get<string>('DASHBOARD_MQTT_URL'),
      dashboardDir: get<string>('DASHBOARD_DIR'),
      logLevel: get<LogLevel>('LOG_LEVEL') ?? 'info',
      alarms,
      sparkplug: get<boolean>('GATEWAY_SPARKPLUG') ?? false,
      metrics: {
        port: get<number>('METRICS_PORT'),
        host: get<string>('METRICS_HOST') ?? '127.0.0.1',
        maxMachines: get<number>('METRICS_MAX_MACHINES') ?? 100,
      },
    },
  };
}

/** The `--help` text: usage and every variable with its default and allowed values. */
export function helpText(): string {
  const lines = [
    'Usage: gateway [--help]   (npx nx serve gateway)',
    '',
    'Historian and REST gateway: subscribes to the fleet ($share group, QoS 1, persistent sessions),',
    'stores every scan (acknowledged to the broker only once committed) and serves the REST API,',
    'OpenAPI at /openapi.json and the dashboard at /. Configured with environment variables:',
    '',
  ];
  for (const v of ENV_VARS as readonly EnvVar[]) {
    lines.push(
      `  ${v.name}`,
      `      ${v.description}`,
      `      default: ${v.default}; allowed: ${v.allowed}`,
    );
  }
  lines.push('', 'Exit codes: 0 stopped, 1 failed at run time, 2 invalid configuration.', '');
  return lines.join('\n');
}
