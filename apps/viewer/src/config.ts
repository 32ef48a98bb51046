import { z } from 'zod';
import { topicRootProblem } from '@ot-mqtt/tag-model';

/** How messages are shown. */
export const VIEWER_MODES = ['pretty', 'summary', 'ndjson'] as const;
/** `pretty`: every message as formatted JSON; `summary`: one block per scan; `ndjson`: for scripts. */
export type ViewerMode = (typeof VIEWER_MODES)[number];

/** Log levels, least to most verbose. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
/** How much the viewer says about itself (connection, gaps, stale machines, periodic stats). */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Validated configuration of the viewer (secrets still as file paths; see `loadConfigFiles`). */
export interface ViewerConfig {
  /** Broker URL (`MQTT_URL`, or built from host, port and `MQTT_TLS`). */
  readonly url: string;
  /** Topic filter to subscribe to (`VIEWER_TOPIC`). */
  readonly topic: string;
  /** Topic root of the tag model (`TOPIC_ROOT`). */
  readonly topicRoot: string;
  /** Output mode (`VIEWER_MODE` or `--pretty`/`--summary`/`--ndjson`). */
  readonly mode: ViewerMode;
  /** MQTT client id; `undefined` lets the client generate one. */
  readonly clientId: string | undefined;
  /** Clean session: no state kept on the broker between connections. */
  readonly clean: boolean;
  /** QoS of the subscription. */
  readonly qos: 0 | 1;
  /** MQTT protocol level: 4 (3.1.1) or 5. */
  readonly protocolVersion: 4 | 5;
  /** Verbosity of the viewer's own lines. */
  readonly logLevel: LogLevel;
  /** Payloads larger than this are reported, not parsed or printed. */
  readonly maxPayloadBytes: number;
  /** Period of the per-machine statistics line; 0 turns it off. */
  readonly statsIntervalMs: number;
  /** Most machines tracked at once (`VIEWER_MAX_MACHINES`). */
  readonly maxMachines: number;
  /** A machine silent this long is forgotten (`VIEWER_FORGET_AFTER`, ms). */
  readonly forgetAfterMs: number;
  /** A scan timestamp further ahead than this is suspect (`VIEWER_CLOCK_TOLERANCE`, ms). */
  readonly futureToleranceMs: number;
  /** `NO_COLOR` is set (non-empty): never emit ANSI colours. */
  readonly noColor: boolean;
  /** `FORCE_COLOR` is set (non-empty, not `0`): colour even when output is not a terminal. */
  readonly forceColor: boolean;
  /** User name for the broker. */
  readonly username: string | undefined;
  /** Password given inline (never printed). */
  readonly password: string | undefined;
  /** File holding the password (first line). */
  readonly passwordFile: string | undefined;
  /** CA certificate file (PEM) to trust. */
  readonly caFile: string | undefined;
  /** Client certificate file (PEM). */
  readonly certFile: string | undefined;
  /** Client private key file (PEM). */
  readonly keyFile: string | undefined;
  /** Name expected in the broker's certificate when it differs from the host. */
  readonly tlsServername: string | undefined;
}

/** One environment variable (or flag) of the viewer, as `--help` lists it. */
export interface VariableSpec {
  /** Environment variable name. */
  readonly name: string;
  /** Default, as text; `undefined` when unset means "not used". */
  readonly defaultText: string | undefined;
  /** What values are allowed, in words (used in error messages). */
  readonly allowed: string;
  /** What it does. */
  readonly description: string;
  /** Never echo the value (passwords). */
  readonly secret?: boolean;
}

const bool = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']))
  .transform((s) => s === 'true' || s === '1' || s === 'yes' || s === 'on');
const BOOL_ALLOWED = 'true or false (also 1/0, yes/no, on/off)';

const nonEmpty = z
  .string()
  .trim()
  .min(1)
  .refine((s) => !s.includes('\u0000'));

/** Every variable the viewer reads, in `--help` order. */
export const VARIABLES = [
  {
    name: 'MQTT_BROKER_HOST',
    defaultText: 'localhost',
    allowed: 'a host name or IP address',
    description: 'Broker host (ignored when MQTT_URL is set)',
  },
  {
    name: 'MQTT_BROKER_PORT',
    defaultText: '1883',
    allowed: 'an integer from 1 to 65535',
    description: 'Broker port (ignored when MQTT_URL is set)',
  },
  {
    name: 'MQTT_URL',
    defaultText: undefined,
    allowed: 'a URL with scheme mqtt:, mqtts:, ws: or wss:, e.g. ws://broker:9001',
    description: 'Full broker URL; overrides host, port and MQTT_TLS',
  },
  {
    name: 'VIEWER_TOPIC',
    defaultText: '<TOPIC_ROOT>/# = plc/bottlefiller/#',
    allowed: 'an MQTT topic filter (+ and # as whole levels; $share/<group>/<filter> for a share)',
    description: 'Topic filter to subscribe to',
  },
  {
    name: 'VIEWER_MODE',
    defaultText: 'pretty',
    allowed: VIEWER_MODES.join(', '),
    description:
      'Output: pretty JSON, scan summaries, or NDJSON for scripts (or --pretty/--summary/--ndjson)',
  },
  {
    name: 'TOPIC_ROOT',
    defaultText: 'plc/bottlefiller',
    allowed: 'topic levels without +, # or empty levels',
    description: 'Root of the bottle-filler topics',
  },
  {
    name: 'MQTT_CLIENT_ID',
    defaultText: undefined,
    allowed: '1 to 128 printable ASCII characters without spaces',
    description: 'Client id; when set the session is persistent (no scan lost while offline)',
  },
  {
    name: 'MQTT_CLEAN_SESSION',
    defaultText: 'false with MQTT_CLIENT_ID, else true',
    allowed: BOOL_ALLOWED,
    description: 'Start with a clean session',
  },
  {
    name: 'MQTT_PROTOCOL_VERSION',
    defaultText: '4',
    allowed: '4 (MQTT 3.1.1) or 5 (MQTT 5)',
    description: 'MQTT protocol level',
  },
  {
    name: 'VIEWER_QOS',
    defaultText: '1',
    allowed: '0 or 1',
    description: 'QoS of the subscription',
  },
  {
    name: 'VIEWER_MAX_PAYLOAD_BYTES',
    defaultText: '262144',
    allowed: 'an integer from 1 to 268435455',
    description: 'Larger payloads are reported in one line, not parsed or printed',
  },
  {
    name: 'VIEWER_STATS_INTERVAL',
    defaultText: '10',
    allowed: 'seconds, a number from 0 to 86400 (0 = off)',
    description: 'Period of the per-machine statistics line (rate, gaps, latency)',
  },
  {
    name: 'VIEWER_MAX_MACHINES',
    defaultText: '10000',
    allowed: 'an integer from 1 to 1000000',
    description:
      'Most machines tracked at once; messages of further machines are shown but not tracked (said once)',
  },
  {
    name: 'VIEWER_FORGET_AFTER',
    defaultText: '900',
    allowed: 'seconds, a number from 1 to 604800',
    description: 'A machine silent this long (and for 3 of its intervals) is forgotten',
  },
  {
    name: 'VIEWER_CLOCK_TOLERANCE',
    defaultText: '300',
    allowed: 'seconds, a number from 0 to 86400',
    description:
      'A scan stamped further in the future is suspect: shown, but not used for gaps or latency',
  },
  {
    name: 'LOG_LEVEL',
    defaultText: 'info',
    allowed: LOG_LEVELS.join(', '),
    description: "Verbosity of the viewer's own lines",
  },
  {
    name: 'NO_COLOR',
    defaultText: undefined,
    allowed: 'any non-empty value',
    description: 'Disable ANSI colours (they are off anyway when output is not a terminal)',
  },
  {
    name: 'FORCE_COLOR',
    defaultText: undefined,
    allowed: 'any non-empty value but 0',
    description: 'Colour even when output is piped (e.g. through npm start); NO_COLOR wins',
  },
  {
    name: 'MQTT_USERNAME',
    defaultText: undefined,
    allowed: 'a non-empty user name',
    description: 'User name for the broker',
  },
  {
    name: 'MQTT_PASSWORD',
    defaultText: undefined,
    allowed: 'a non-empty password',
    description: 'Password (prefer MQTT_PASSWORD_FILE; never printed)',
    secret: true,
  },
  {
    name: 'MQTT_PASSWORD_FILE',
    defaultText: undefined,
    allowed: 'a readable file whose first line is the password',
    description: 'File holding the password',
  },
  {
    name: 'MQTT_TLS',
    defaultText: 'false',
    allowed: BOOL_ALLOWED,
    description: 'Use TLS (mqtts:) with host and port',
  },
  {
    name: 'MQTT_CA_FILE',
    defaultText: undefined,
    allowed: 'a readable PEM file',
    description: "CA certificate(s) to trust for the broker's certificate",
  },
  {
    name: 'MQTT_CERT_FILE',
    defaultText: undefined,
    allowed: 'a readable PEM file (with MQTT_KEY_FILE)',
    description: 'Client certificate for certificate authentication',
  },
  {
    name: 'MQTT_KEY_FILE',
    defaultText: undefined,
    allowed: 'a readable PEM file (with MQTT_CERT_FILE)',
    description: 'Private key of the client certificate',
  },
  {
    name: 'MQTT_TLS_SERVERNAME',
    defaultText: undefined,
    allowed: 'a host name',
    description: "Name expected in the broker's certificate, when it differs from the host",
  },
] as const satisfies readonly VariableSpec[];

/** Name of a variable the viewer reads. */
export type VariableName = (typeof VARIABLES)[number]['name'];

/** Command-line flags. */
export const FLAGS = {
  '--help': 'Show this help and exit',
  '-h': 'Same as --help',
  '--pretty': 'Same as VIEWER_MODE=pretty',
  '--summary': 'Same as VIEWER_MODE=summary',
  '--ndjson': 'Same as VIEWER_MODE=ndjson',
} as const;

/** Outcome of {@link parseConfig}. */
export type ConfigResult =
  | { readonly kind: 'ok'; readonly config: ViewerConfig }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly errors: readonly string[] };

const specOf = (name: VariableName): VariableSpec => VARIABLES.find((v) => v.name === name)!;

/** The error line for a bad value: names the variable, the value (unless secret) and what is allowed. */
export function invalidValueMessage(name: VariableName, value: string, reason?: string): string {
  const spec = specOf(name);
  const shown = spec.secret ? '(hidden)' : JSON.stringify(value);
  const dflt = spec.defaultText === undefined ? '' : ` (default: ${spec.defaultText})`;
  return `${name}=${shown} is not valid${reason ? ` (${reason})` : ''}: expected ${spec.allowed}${dflt}`;
}

/** Checks {@link parseConfig} borrows from libraries it does not load itself. */
export interface ConfigChecks {
  /**
   * Why a topic filter is invalid, or `undefined` (mqtt-client's `assertValidFilter`). `main.ts`
   * checks `VIEWER_TOPIC` once MQTT.js is loaded, so `--help` answers without loading it.
   */
  readonly filterProblem?: (filter: string) => string | undefined;
}

/**
 * Adapts mqtt-client's throwing `assertValidFilter` to {@link ConfigChecks.filterProblem}: the
 * filter rule lives once, in the client.
 */
export function mqttFilterProblem(
  assertValidFilter: (filter: string) => void,
  filter: string,
): string | undefined {
  try {
    assertValidFilter(filter);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Reads the viewer's configuration from environment variables and command-line arguments. Pure: it
 * neither reads files nor exits; `main.ts` prints the errors and exits with code 2.
 */
export function parseConfig(
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[],
  checks: ConfigChecks = {},
): ConfigResult {
  const errors: string[] = [];
  let flagMode: ViewerMode | undefined;
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const mode = arg.startsWith('--') ? (arg.slice(2) as ViewerMode) : undefined;
    if (mode !== undefined && (VIEWER_MODES as readonly string[]).includes(mode)) {
      if (flagMode !== undefined && flagMode !== mode)
        errors.push(`--${flagMode} and --${mode} cannot be used together: choose one output mode`);
      flagMode = mode;
    } else {
      errors.push(
        `Unknown argument ${JSON.stringify(arg)}: allowed are ${Object.keys(FLAGS).join(', ')}`,
      );
    }
  }

  // Empty strings count as unset: `FOO= viewer` is how shells clear a variable for one command.
  const raw = (name: VariableName): string | undefined => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const read = <T>(
    name: VariableName,
    schema: z.ZodType<T>,
    fallback: T,
    check?: (v: T) => string | undefined,
  ): T => {
    const value = raw(name);
    if (value === undefined) return fallback;
    const parsed = schema.safeParse(value);
    const problem = parsed.success ? check?.(parsed.data) : undefined;
    if (!parsed.success || problem !== undefined) {
      errors.push(invalidValueMessage(name, value, problem));
      return fallback;
    }
    return parsed.data;
  };
  const intIn = (min: number, max: number) =>
    z.string().trim().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));

  const host = read(
    'MQTT_BROKER_HOST',
    nonEmpty.refine((s) => /^[A-Za-z0-9._:[\]-]+$/.test(s)),
    'localhost',
  );
  const port = read('MQTT_BROKER_PORT', intIn(1, 65_535), 1883);
  const tls = read('MQTT_TLS', bool, false);
  const urlText = read(
    'MQTT_URL',
    z
      .string()
      .trim()
      .refine((s) => {
        const url = URL.parse(s);
        return (
          url !== null &&
          ['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(url.protocol) &&
          url.hostname !== ''
        );
      }),
    undefined as string | undefined,
  );
  const topicRoot = read('TOPIC_ROOT', z.string().trim(), 'plc/bottlefiller', topicRootProblem);
  const topic = read('VIEWER_TOPIC', nonEmpty, `${topicRoot}/#`, checks.filterProblem);
  const envMode = read(
    'VIEWER_MODE',
    z.string().trim().toLowerCase().pipe(z.enum(VIEWER_MODES)),
    'pretty',
  );
  const clientId = read(
    'MQTT_CLIENT_ID',
    z.string().regex(/^[\x21-\x7e]{1,128}$/),
    undefined as string | undefined,
  );
  const clean = read('MQTT_CLEAN_SESSION', bool, clientId === undefined);
  const protocolVersion = read(
    'MQTT_PROTOCOL_VERSION',
    z.enum(['4', '5']).transform((s) => (s === '5' ? 5 : 4) as 4 | 5),
    4 as 4 | 5,
  );
  const qos = read(
    'VIEWER_QOS',
    z.enum(['0', '1']).transform((s) => (s === '1' ? 1 : 0) as 0 | 1),
    1 as 0 | 1,
  );
  const maxPayloadBytes = read('VIEWER_MAX_PAYLOAD_BYTES', intIn(1, 268_435_455), 262_144);
  const statsSeconds = read(
    'VIEWER_STATS_INTERVAL',
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number)
      .pipe(z.number().min(0).max(86_400)),
    10,
  );
  const seconds = (max: number) =>
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number)
      .pipe(z.number().min(0).max(max));
  const maxMachines = read('VIEWER_MAX_MACHINES', intIn(1, 1_000_000), 10_000);
  const forgetAfterSeconds = read(
    'VIEWER_FORGET_AFTER',
    seconds(604_800).pipe(z.number().min(1)),
    900,
  );
  const toleranceSeconds = read('VIEWER_CLOCK_TOLERANCE', seconds(86_400), 300);
  const logLevel = read(
    'LOG_LEVEL',
    z.string().trim().toLowerCase().pipe(z.enum(LOG_LEVELS)),
    'info',
  );
  const optionalText = (name: VariableName) =>
    read(name, nonEmpty, undefined as string | undefined);
  const username = optionalText('MQTT_USERNAME');
  const password = read('MQTT_PASSWORD', z.string().min(1), undefined as string | undefined);
  const passwordFile = optionalText('MQTT_PASSWORD_FILE');
  const caFile = optionalText('MQTT_CA_FILE');
  const certFile = optionalText('MQTT_CERT_FILE');
  const keyFile = optionalText('MQTT_KEY_FILE');
  const tlsServername = read(
    'MQTT_TLS_SERVERNAME',
    nonEmpty.refine((s) => /^[A-Za-z0-9.-]+$/.test(s)),
    undefined as string | undefined,
  );

  if (password !== undefined && passwordFile !== undefined)
    errors.push('MQTT_PASSWORD and MQTT_PASSWORD_FILE are both set: use one of them');
  if ((password !== undefined || passwordFile !== undefined) && username === undefined)
    errors.push(
      `${password !== undefined ? 'MQTT_PASSWORD' : 'MQTT_PASSWORD_FILE'} is set but MQTT_USERNAME is not: MQTT sends a password only with a user name`,
    );
  if ((certFile === undefined) !== (keyFile === undefined))
    errors.push('MQTT_CERT_FILE and MQTT_KEY_FILE go together: set both or neither');

  if (errors.length > 0) return { kind: 'error', errors };
  const url =
    urlText ??
    `${tls ? 'mqtts' : 'mqtt'}://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
  return {
    kind: 'ok',
    config: {
      url,
      topic,
      topicRoot,
      mode: flagMode ?? envMode,
      clientId,
      clean,
      qos,
      protocolVersion,
      logLevel,
      maxPayloadBytes,
      statsIntervalMs: Math.round(statsSeconds * 1000),
      maxMachines,
      forgetAfterMs: Math.round(forgetAfterSeconds * 1000),
      futureToleranceMs: Math.round(toleranceSeconds * 1000),
      noColor: (env['NO_COLOR'] ?? '') !== '',
      forceColor: (env['FORCE_COLOR'] ?? '0') !== '0' && env['FORCE_COLOR'] !== '',
      username,
      password,
      passwordFile,
      caFile,
      certFile,
      keyFile,
      tlsServername,
    },
  };
}

/** The `--help` text: usage, flags, and every variable with its default and allowed values. */
export function helpText(): string {
  const width = Math.max(...VARIABLES.map((v) => v.name.length));
  const lines = [
    'ot-mqtt viewer — subscribes to the bottle-filler topics and shows, validates and tracks them.',
    '',
    'Usage: npx nx serve viewer   |   node apps/viewer/dist/main.js [--pretty | --summary | --ndjson]',
    '',
    'Flags:',
    ...Object.entries(FLAGS).map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    '',
    'Environment variables:',
  ];
  for (const v of VARIABLES) {
    lines.push(`  ${v.name.padEnd(width)}  ${v.description}`);
    lines.push(
      `  ${''.padEnd(width)}  default: ${v.defaultText ?? '(unset)'}; allowed: ${v.allowed}`,
    );
  }
  lines.push(
    '',
    'Exit codes: 0 after Ctrl-C, 2 for invalid configuration, 1 when the connection is closed for good.',
  );
  return lines.join('\n');
}
