import {
  BOOLEAN_ALLOWED,
  LOG_FORMAT,
  LOG_LEVEL,
  METRICS_ENV,
  MQTT_ENV,
  MQTT_PROTOCOL_VERSION,
  boolean,
  envVar,
  filePath,
  formatEnvHelp,
  host,
  parseArgv,
  parseEnv,
  resolveMqttConnection,
  restateEnv,
  textRule,
  wholeNumber,
  type EnvName,
  type LogLevel,
  type MqttConnection,
} from '@ot-mqtt/app-kit';
import { DEFAULT_HISTORIAN_DB, isPostgresUrl } from '@ot-mqtt/historian';
import { DEFAULT_TOPIC_ROOT, topicRootProblem } from '@ot-mqtt/tag-model';
import { z } from 'zod';
import { ALARM_ENV, alarmSettings, tokenProblem, type AlarmSettings } from './alarm-config.js';
import { firstLineOf } from './first-line-of.js';

export type { EnvVar, LogLevel } from '@ot-mqtt/app-kit';

const isWebSocketUrl = (u: string) => /^wss?:/iu.test(u);
const pathOf = (u: string) => {
  const url = new URL(u);
  return `${url.pathname}${url.search}`;
};
/** A number in `[min, max]`, digits and one optional point (no sign, no exponent). */
const decimal = (min: number, max: number): z.ZodType<number, string> =>
  z
    .string()
    .trim()
    .regex(/^(?:\d+(?:\.\d*)?|\.\d+)$/u, 'not a number')
    .transform(Number)
    .pipe(z.number().min(min, `below the minimum ${min}`).max(max, `above the maximum ${max}`));

/**
 * Every variable the gateway reads, in `--help` order: the shared broker, metrics and logging
 * variables of `@ot-mqtt/app-kit` (the subset the gateway honours) and the gateway's own.
 */
export const ENV_VARS = [
  ...restateEnv(MQTT_ENV, {
    MQTT_BROKER_HOST: { description: 'Broker host (ignored when MQTT_URL is set).' },
    MQTT_BROKER_PORT: { description: 'Broker port (ignored when MQTT_URL is set).' },
    MQTT_URL: {
      description:
        'Full broker URL; overrides host and port. Several (the nodes of a cluster): every connection starts on the first and moves to the next at each reconnect.',
      // mqtt.js's `servers` failover takes one WebSocket path for all (connect-brokers.ts).
      refine: {
        check: (list) => new Set(list.split(',').filter(isWebSocketUrl).map(pathOf)).size <= 1,
        message: 'ws/wss entries with different paths',
        allowed: 'ws/wss ones with one path',
      },
    },
    MQTT_CLIENT_ID: {
      description:
        'Client id prefix: ingest connection n uses <id>-<n>, each with a persistent session. Give each gateway its own.',
      default: 'ot-mqtt-gateway',
    },
    MQTT_KEEPALIVE: {
      description:
        'MQTT keepalive of every connection (ingest and alarm events) in seconds: how soon a silent broker is noticed.',
      // What the gateway used before the variable existed (the shared default is 60 s).
      default: 30,
    },
    MQTT_TLS_SERVERNAME: {
      description:
        'Name every broker certificate must carry, when it differs from the host connected to (e.g. an IP address).',
      defaultText: "(each broker's own host, also for every node of an MQTT_URL list)",
    },
  }),
  // Gateway-only: the viewer lets its user choose too, but defaults to 4.
  {
    ...MQTT_PROTOCOL_VERSION,
    description: 'MQTT protocol level of the ingest connections (4 for brokers without MQTT 5).',
    default: 5 as 4 | 5,
  },
  envVar({
    name: 'TOPIC_ROOT',
    group: 'Ingest',
    description: 'Root of the bottle-filler topics the gateway stores.',
    allowed: 'topic levels without +, # or empty levels',
    schema: textRule(topicRootProblem),
    default: DEFAULT_TOPIC_ROOT,
  }),
  envVar({
    name: 'GATEWAY_SHARE_GROUP',
    group: 'Ingest',
    description:
      'Shared subscription group ($share/<group>/…): gateways in one group split the scans (none: a plain subscription on one connection).',
    allowed: '1-64 letters, digits, . _ -',
    schema: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]{1,64}$/u, 'not 1-64 letters, digits, . _ -'),
    default: 'historian',
  }),
  envVar({
    name: 'GATEWAY_INGEST_CONNECTIONS',
    group: 'Ingest',
    description:
      'MQTT connections in the share group (persistent sessions); the broker spreads the scans over them.',
    allowed: 'a whole number, 1-64',
    schema: wholeNumber(1, 64),
    default: 4,
  }),
  envVar({
    name: 'GATEWAY_INGEST_INFLIGHT',
    group: 'Ingest',
    description:
      'Scans each connection holds unacknowledged until committed (also sent as its MQTT 5 receive maximum): a commit holds up to connections × this.',
    allowed: 'a whole number, 1-65535',
    schema: wholeNumber(1, 65535),
    default: 64,
  }),
  envVar({
    name: 'GATEWAY_SPARKPLUG',
    group: 'Ingest',
    description:
      'Also store Sparkplug B fillers (spBv1.0/#, not shared): every DBIRTH/DDATA of a device becomes a scan of the machine named by its device id (docs/sparkplug.md).',
    allowed: BOOLEAN_ALLOWED,
    schema: boolean,
    default: false,
  }),
  envVar({
    name: 'GATEWAY_HOST',
    group: 'HTTP',
    description: 'HTTP listen address (set GATEWAY_TOKEN before listening beyond localhost).',
    allowed: 'a host name or IP address to listen on',
    schema: host,
    default: '127.0.0.1',
  }),
  envVar({
    name: 'GATEWAY_PORT',
    group: 'HTTP',
    description: 'HTTP port.',
    allowed: 'a whole number, 0-65535 (0: any free port)',
    schema: wholeNumber(0, 65535),
    default: 8080,
  }),
  envVar({
    name: 'GATEWAY_TOKEN',
    group: 'HTTP',
    description: 'Bearer token required on /api/* (never printed; prefer GATEWAY_TOKEN_FILE).',
    allowed: 'at least 16 characters',
    secret: true,
    schema: textRule(tokenProblem),
    defaultText: '(none: no authentication)',
  }),
  envVar({
    name: 'GATEWAY_TOKEN_FILE',
    group: 'HTTP',
    description: 'File holding the bearer token.',
    allowed: 'a readable file whose first line is the token (at least 16 characters)',
    schema: filePath,
    defaultText: '(none)',
  }),
  envVar({
    name: 'DASHBOARD_MQTT_URL',
    group: 'HTTP',
    description: 'Broker URL the dashboard page connects to (served as /dashboard-config.json).',
    allowed: 'a URL with scheme ws: or wss:',
    schema: textRule((s) => {
      try {
        return ['ws:', 'wss:'].includes(new URL(s).protocol) ? undefined : 'not ws: or wss:';
      } catch {
        return 'not a URL';
      }
    }),
    defaultText: '(unset: the page uses ws://<its host>:9001)',
  }),
  envVar({
    name: 'DASHBOARD_DIR',
    group: 'HTTP',
    description: "The dashboard's built files, served at /.",
    allowed: 'a folder',
    schema: filePath,
    defaultText: 'apps/dashboard/dist (when it exists)',
  }),
  envVar({
    name: 'HISTORIAN_DB',
    group: 'Historian',
    description: 'Where the history is stored; the SQLite file and its folder are created.',
    allowed: 'a file path (SQLite) or a postgres:// URL',
    schema: textRule((s) =>
      /^[a-z][a-z0-9+.-]*:\/\//iu.test(s) && !isPostgresUrl(s)
        ? 'a URL that is not postgres:// or postgresql://'
        : undefined,
    ),
    default: DEFAULT_HISTORIAN_DB,
  }),
  envVar({
    name: 'HISTORIAN_RETENTION_DAYS',
    group: 'Historian',
    description: 'Older data is dropped (checked at start and hourly).',
    allowed: 'a whole number of days, 1-36500',
    schema: wholeNumber(1, 36500),
    default: 30,
  }),
  envVar({
    name: 'HISTORIAN_DEADBAND_PERCENT',
    group: 'Historian',
    description:
      'REAL tags are stored when they move more than this % of their span (0: every change).',
    allowed: 'a number from 0 to 100',
    schema: decimal(0, 100),
    default: 0.5,
  }),
  envVar({
    name: 'HISTORIAN_HEARTBEAT_SECONDS',
    group: 'Historian',
    description: 'Every tag is stored at least this often, changed or not.',
    allowed: 'a number of seconds, 1-86400',
    schema: decimal(1, 86400),
    default: 60,
  }),
  ...ALARM_ENV,
  ...METRICS_ENV,
  {
    ...LOG_LEVEL,
    description: "Least severe level of the gateway's log lines (on stdout/stderr).",
  },
  LOG_FORMAT,
] as const;

/** Name of a variable the gateway reads. */
export type GatewayEnvName = EnvName<typeof ENV_VARS>;

/** Validated configuration of the gateway. */
export interface GatewayConfig {
  /** Broker URL, or several comma-separated (failover, in order); credentials never in it. */
  readonly mqttUrl: string;
  /** Broker user name. */
  readonly username: string | undefined;
  /** Broker password (never printed). */
  readonly password: string | undefined;
  /** MQTT keepalive of every connection, seconds. */
  readonly keepaliveSeconds: number;
  /**
   * TLS material (file contents read once at start, never printed): present exactly when the
   * connection is TLS (`MQTT_TLS`, or an mqtts:// or wss:// `MQTT_URL`).
   */
  readonly tls: MqttConnection['tls'];
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
  /** Log line format: text for people, json for log shippers. */
  readonly logFormat: 'text' | 'json';
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
  | {
      readonly kind: 'ok';
      readonly config: GatewayConfig;
      /** Valid settings without effect (e.g. MQTT_BROKER_HOST beside MQTT_URL): one log line each. */
      readonly warnings: readonly string[];
    }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly errors: readonly string[] };

/**
 * Reads the gateway's configuration from environment variables and arguments. Every bad value is
 * reported at once, naming the variable and what is allowed (never echoing a secret).
 */
export function parseConfig(
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[],
): ConfigResult {
  const args = parseArgv(argv);
  if (args.help) return { kind: 'help' };
  const parsed = parseEnv(ENV_VARS, env);
  const { values: v, given: g } = parsed;

  // The broker rules shared with the agent and viewer (URL or host/port/TLS, credentials, TLS
  // files read here, once): an unreadable file is an error against its variable, so exit 2.
  const connection = resolveMqttConnection(parsed);

  let token = g.GATEWAY_TOKEN;
  const tokenFile = firstLineOf(parsed, 'GATEWAY_TOKEN_FILE');
  if (tokenFile !== undefined) {
    token = tokenFile;
    const why = tokenProblem(token);
    if (why !== undefined) parsed.fail('GATEWAY_TOKEN_FILE', `the file's first line: ${why}`);
  }
  const alarms = alarmSettings(parsed, token);
  const errors = [...args.errors, ...parsed.errors.map((e) => e.message)];
  if (errors.length > 0) return { kind: 'error', errors };

  const shareGroup = v.GATEWAY_SHARE_GROUP === 'none' ? undefined : v.GATEWAY_SHARE_GROUP;
  return {
    kind: 'ok',
    warnings: parsed.warnings,
    config: {
      mqttUrl: (connection.urls ?? [connection.url]).join(','),
      username: connection.username,
      password: connection.password,
      keepaliveSeconds: connection.keepaliveSeconds,
      tls: connection.tls,
      clientId: v.MQTT_CLIENT_ID,
      topicRoot: v.TOPIC_ROOT,
      protocolVersion: v.MQTT_PROTOCOL_VERSION,
      shareGroup,
      // Without a share group every connection would receive every scan: one connection.
      ingestConnections: shareGroup === undefined ? 1 : v.GATEWAY_INGEST_CONNECTIONS,
      ingestInflight: v.GATEWAY_INGEST_INFLIGHT,
      host: v.GATEWAY_HOST,
      port: v.GATEWAY_PORT,
      token,
      db: v.HISTORIAN_DB,
      retentionDays: v.HISTORIAN_RETENTION_DAYS,
      deadbandPercent: v.HISTORIAN_DEADBAND_PERCENT,
      heartbeatMs: v.HISTORIAN_HEARTBEAT_SECONDS * 1000,
      dashboardMqttUrl: g.DASHBOARD_MQTT_URL,
      dashboardDir: g.DASHBOARD_DIR,
      logLevel: v.LOG_LEVEL,
      logFormat: v.LOG_FORMAT,
      alarms,
      sparkplug: v.GATEWAY_SPARKPLUG,
      metrics: {
        port: g.METRICS_PORT,
        host: v.METRICS_HOST,
        maxMachines: v.METRICS_MAX_MACHINES,
      },
    },
  };
}

/** The `--help` text: usage and every variable with its default and allowed values. */
export function helpText(): string {
  return formatEnvHelp(ENV_VARS, {
    intro: [
      'Usage: gateway [--help]   (npx nx serve gateway)',
      '',
      'Historian and REST gateway: subscribes to the fleet ($share group, QoS 1, persistent sessions),',
      'stores every scan (acknowledged to the broker only once committed) and serves the REST API,',
      'OpenAPI at /openapi.json and the dashboard at /. Configured with environment variables; an',
      'empty value counts as unset.',
    ],
    flags: { '--help': 'Show this help and exit', '-h': 'Same as --help' },
    outro: ['Exit codes: 0 stopped, 1 failed at run time, 2 invalid configuration.'],
  });
}
