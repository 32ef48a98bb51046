import {
  LOG_LEVEL,
  LOG_LEVELS,
  METRICS_ENV,
  MQTT_CLEAN_SESSION,
  MQTT_ENV,
  MQTT_PROTOCOL_VERSION,
  envVar,
  formatEnvHelp,
  oneOf,
  oneOfNumbers,
  parseArgv,
  parseEnv,
  resolveMqttConnection,
  restateEnv,
  textRule,
  seconds,
  wholeNumber,
  envErrorMessage,
  type EnvVar,
  type LogLevel,
  type MqttConnection,
  type ReadTextFile,
} from '@ot-mqtt/app-kit';
import { z } from 'zod';
import { natsPortabilityWarnings, topicRootProblem } from '@ot-mqtt/tag-model';

/** How messages are shown. */
export const VIEWER_MODES = ['pretty', 'summary', 'ndjson'] as const;
/** `pretty`: every message as formatted JSON; `summary`: one block per scan; `ndjson`: for scripts. */
export type ViewerMode = (typeof VIEWER_MODES)[number];

export { LOG_LEVELS };
export type { LogLevel };

/** Validated configuration of the viewer, files already read (see {@link parseConfig}). */
export interface ViewerConfig {
  /** Broker URL (`MQTT_URL`, or built from host, port and `MQTT_TLS`). */
  readonly url: string;
  /** URL, keepalive, credentials and TLS material, ready for `createMqttClient`. */
  readonly connection: MqttConnection;
  /** Topic filter to subscribe to (`VIEWER_TOPIC`). */
  readonly topic: string;
  /** Topic root of the tag model (`TOPIC_ROOT`). */
  readonly topicRoot: string;
  /** Output mode (`VIEWER_MODE` or `--pretty`/`--summary`/`--ndjson`). */
  readonly mode: ViewerMode;
  /** MQTT client id; `undefined` lets the viewer pick a random one. */
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
}

/** One environment variable of the viewer, as `--help` lists it (the app kit's shape). */
export type VariableSpec = EnvVar;

/**
 * Every variable the viewer reads, in `--help` order: the shared broker variables of
 * `@ot-mqtt/app-kit` and the viewer's own.
 */
export const VARIABLES = [
  ...restateEnv(MQTT_ENV, {
    MQTT_CLIENT_ID: {
      defaultText: '(unset: ot-viewer-<random>)',
      description: 'Client id; when set the session is persistent (no scan lost while offline).',
    },
  }),
  MQTT_CLEAN_SESSION,
  MQTT_PROTOCOL_VERSION,
  envVar({
    name: 'TOPIC_ROOT',
    group: 'Topics',
    description: 'Root of the bottle-filler topics.',
    allowed: 'topic levels without +, # or empty levels',
    schema: textRule(topicRootProblem),
    default: 'plc/bottlefiller',
  }),
  envVar({
    name: 'VIEWER_TOPIC',
    group: 'Topics',
    description: 'Topic filter to subscribe to.',
    allowed: 'an MQTT topic filter (+ and # as whole levels; $share/<group>/<filter> for a share)',
    // The filter rule is mqtt-client's (assertValidFilter), applied through ConfigChecks so that
    // --help answers without loading MQTT.js.
    schema: textRule((v) => (v === '' ? 'a topic filter must not be empty' : undefined)),
    defaultText: '<TOPIC_ROOT>/# = plc/bottlefiller/#',
  }),
  envVar({
    name: 'VIEWER_QOS',
    group: 'Topics',
    description: 'QoS of the subscription.',
    allowed: '0 or 1',
    schema: oneOfNumbers([0, 1] as const),
    default: 1,
  }),
  envVar({
    name: 'VIEWER_MODE',
    group: 'Output',
    description:
      'Output: pretty JSON, scan summaries, or NDJSON for scripts (or --pretty/--summary/--ndjson).',
    allowed: VIEWER_MODES.join(', '),
    schema: oneOf(VIEWER_MODES),
    default: 'pretty' as ViewerMode,
  }),
  envVar({
    name: 'VIEWER_MAX_PAYLOAD_BYTES',
    group: 'Output',
    description: 'Larger payloads are reported in one line, not parsed or printed.',
    allowed: 'a whole number, 1-268435455',
    schema: wholeNumber(1, 268_435_455),
    default: 262_144,
  }),
  envVar({
    name: 'VIEWER_STATS_INTERVAL',
    group: 'Output',
    description: 'Period of the per-machine statistics line (rate, gaps, latency).',
    allowed: 'seconds, 0-86400 (0 = off)',
    schema: seconds(0, 86_400),
    default: 10,
  }),
  envVar({
    name: 'VIEWER_MAX_MACHINES',
    group: 'Tracking',
    description:
      'Most machines tracked at once; messages of further machines are shown but not tracked (said once).',
    allowed: 'a whole number, 1-1000000',
    schema: wholeNumber(1, 1_000_000),
    default: 10_000,
  }),
  envVar({
    name: 'VIEWER_FORGET_AFTER',
    group: 'Tracking',
    description: 'A machine silent this long (and for 3 of its intervals) is forgotten.',
    allowed: 'seconds, 1-604800',
    schema: seconds(1, 604_800),
    default: 900,
  }),
  envVar({
    name: 'VIEWER_CLOCK_TOLERANCE',
    group: 'Tracking',
    description:
      'A scan stamped further in the future is suspect: shown, but not used for gaps or latency.',
    allowed: 'seconds, 0-86400',
    schema: seconds(0, 86_400),
    default: 300,
  }),
  envVar({
    name: 'NO_COLOR',
    group: 'Output',
    description: 'Disable ANSI colours (they are off anyway when output is not a terminal).',
    allowed: 'any non-empty value',
    schema: z.string(),
  }),
  envVar({
    name: 'FORCE_COLOR',
    group: 'Output',
    description: 'Colour even when output is piped (e.g. through npm start); NO_COLOR wins.',
    allowed: 'any non-empty value but 0',
    schema: z.string(),
  }),
  { ...LOG_LEVEL, description: "Verbosity of the viewer's own lines (connection, gaps, stats)." },
  ...METRICS_ENV,
] as const;

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

/** The error line for a bad value, in the app kit's words (names the variable, hides secrets). */
export function invalidValueMessage(name: VariableName, value: string, reason: string): string {
  return envErrorMessage(
    VARIABLES.find((v) => v.name === name)!,
    value,
    reason,
  );
}

/** Checks and inputs {@link parseConfig} borrows from outside (replaced in tests). */
export interface ConfigChecks {
  /**
   * Why a topic filter is invalid, or `undefined` (mqtt-client's `assertValidFilter`). `main.ts`
   * checks `VIEWER_TOPIC` once MQTT.js is loaded, so `--help` answers without loading it.
   */
  readonly filterProblem?: (filter: string) => string | undefined;
  /** Reads the password and PEM files (default: `fs.readFileSync`). */
  readonly readFile?: ReadTextFile;
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

/** Outcome of {@link parseConfig}. */
export type ConfigResult =
  | { readonly kind: 'ok'; readonly config: ViewerConfig; readonly warnings: readonly string[] }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly errors: readonly string[] };

/**
 * Reads the viewer's configuration from environment variables, command-line arguments and the
 * files they name (password, certificates). Never exits; `main.ts` prints the errors and exits 2.
 */
export function parseConfig(
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[],
  checks: ConfigChecks = {},
): ConfigResult {
  const args = parseArgv(argv, VIEWER_MODES);
  if (args.help) return { kind: 'help' };
  const errors: string[] = [...args.errors];
  const modes = [...new Set(args.flags)];
  if (modes.length > 1)
    errors.push(
      `${modes.map((m) => `--${m}`).join(' and ')} cannot be used together: choose one output mode`,
    );

  const parsed = parseEnv(VARIABLES, env);
  const { readFile, filterProblem } = checks;
  const connection = resolveMqttConnection(parsed, readFile === undefined ? {} : { readFile });
  const filter = parsed.given.VIEWER_TOPIC;
  const filterWhy = filter === undefined ? undefined : filterProblem?.(filter);
  if (filterWhy !== undefined) parsed.fail('VIEWER_TOPIC', filterWhy);
  errors.push(...parsed.errors.map((e) => e.message));
  if (errors.length > 0) return { kind: 'error', errors };

  const { values: v } = parsed;
  const topic = v.VIEWER_TOPIC ?? `${v.TOPIC_ROOT}/#`;
  // Valid MQTT that a NATS cluster's MQTT gateway refuses: said at start, not found out from a
  // connection it closes (docs/scaling.md).
  for (const warning of natsPortabilityWarnings({ TOPIC_ROOT: v.TOPIC_ROOT, VIEWER_TOPIC: topic }))
    parsed.warn(warning);
  // NATS grants a $share/ subscription and delivers nothing on it: nothing to catch later.
  if (topic.startsWith('$share/'))
    parsed.warn(
      `VIEWER_TOPIC=${JSON.stringify(topic)}: shared subscriptions need broker support (Mosquitto 2, EMQX…); a NATS cluster accepts $share/ and delivers nothing (docs/cluster.md)`,
    );
  const clientId = v.MQTT_CLIENT_ID;
  return {
    kind: 'ok',
    warnings: parsed.warnings,
    config: {
      url: connection.url,
      connection,
      topic,
      topicRoot: v.TOPIC_ROOT,
      mode: modes[0] ?? v.VIEWER_MODE,
      clientId,
      // A named client wants its session kept (no scan lost while offline); an anonymous one cannot
      // resume a session anyway.
      clean: v.MQTT_CLEAN_SESSION ?? clientId === undefined,
      qos: v.VIEWER_QOS,
      protocolVersion: v.MQTT_PROTOCOL_VERSION,
      logLevel: v.LOG_LEVEL,
      maxPayloadBytes: v.VIEWER_MAX_PAYLOAD_BYTES,
      statsIntervalMs: Math.round(v.VIEWER_STATS_INTERVAL * 1000),
      maxMachines: v.VIEWER_MAX_MACHINES,
      forgetAfterMs: Math.round(v.VIEWER_FORGET_AFTER * 1000),
      futureToleranceMs: Math.round(v.VIEWER_CLOCK_TOLERANCE * 1000),
      noColor: v.NO_COLOR !== undefined,
      forceColor: v.FORCE_COLOR !== undefined && v.FORCE_COLOR !== '0',
    },
  };
}

/** The `--help` text: usage, flags, and every variable with its default and allowed values. */
export function helpText(): string {
  return formatEnvHelp(VARIABLES, {
    intro: [
      'ot-mqtt viewer — subscribes to the bottle-filler topics and shows, validates and tracks them.',
      '',
      'Usage: npx nx serve viewer   |   node apps/viewer/dist/main.js [--pretty | --summary | --ndjson]',
      '',
      'Configured by environment variables; an empty value counts as unset.',
    ],
    flags: FLAGS,
    outro: [
      'Exit codes: 0 after Ctrl-C, 2 for invalid configuration, 1 when the connection is closed for good.',
    ],
  }).trimEnd();
}
