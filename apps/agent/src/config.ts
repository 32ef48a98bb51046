import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ENV_VARS, type EnvVar, type EnvVarName } from './env-vars.js';
import {
  DEFAULT_FLEET_PREFIX,
  fleetMachineId,
  parseShard,
  shardRange,
  type Shard,
} from './fleet-plan.js';

/** Log levels, most severe first. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** The agent's validated configuration, built from the environment by {@link loadConfig}. */
export interface AgentConfig {
  /** Broker URL to connect to (never holds credentials). */
  readonly url: string;
  /** MQTT client id (stable: the broker keeps the session across reconnects). */
  readonly clientId: string;
  /** MQTT keepalive in seconds. */
  readonly keepaliveSeconds: number;
  /** Credentials, when the broker needs them. */
  readonly auth?: { readonly username: string; readonly password?: string };
  /** TLS material (file contents, not paths); set for mqtts:// and wss:// URLs. */
  readonly tls?: {
    readonly ca?: string;
    readonly cert?: string;
    readonly key?: string;
    readonly servername?: string;
  };
  /** Machine id carried in every payload (one filler), or the prefix of the numbered ids (a fleet). */
  readonly machineId: string;
  /** The fillers this agent simulates, and how they connect (issue 6). */
  readonly fleet: FleetConfig;
  /** Topic root of the seven data topics and the connection topic. */
  readonly topicRoot: string;
  /** Milliseconds between two published scans. */
  readonly publishIntervalMs: number;
  /** Simulator seed; `undefined` lets the agent pick one (and log it). */
  readonly seed: number | undefined;
  /** Simulated time per real time. */
  readonly timeScale: number;
  /** Bound of the client's offline buffer. */
  readonly outbox: {
    readonly maxMessages: number;
    readonly overflow: 'drop-oldest' | 'reject-new';
    /** OUTBOX_BUDGET_MB: one byte budget shared by every connection of the process. */
    readonly budgetBytes: number;
  };
  /** Bounded wait for unacknowledged messages on shutdown. */
  readonly shutdownTimeoutMs: number;
  /** Least severe level logged. */
  readonly logLevel: LogLevel;
  /** Log line format. */
  readonly logFormat: 'text' | 'json';
  /** Milliseconds between two summary lines; 0 turns them off. */
  readonly summaryIntervalMs: number;
}

/** Fleet mode: which machines this process simulates and over which connections. */
export interface FleetConfig {
  /** FILLER_COUNT: machines of the whole fleet, all shards together. */
  readonly size: number;
  /** FILLER_SHARD: this agent's slice. */
  readonly shard: Shard;
  /** Machine ids of this agent's slice, in machine-number order. */
  readonly machineIds: readonly string[];
  /** `<root>/<machineId>/<kind>` topics (any fleet of more than one), or the seed's flat topics. */
  readonly includeMachineLevel: boolean;
  /** One connection for all fillers, or one per filler. */
  readonly connectionMode: 'shared' | 'per-filler';
  /**
   * One client id per connection: `[clientId]` when shared, one per machine (aligned with
   * `machineIds`) when per-filler.
   */
  readonly clientIds: readonly string[];
}

/** One rejected variable: what the user set, why it is wrong and what is allowed. */
export interface ConfigError {
  /** The variable at fault. */
  readonly variable: EnvVarName;
  /** Full sentence naming the variable, its value (unless secret) and what is allowed. */
  readonly message: string;
}

/** Result of {@link loadConfig}: the config, or every problem found (not just the first). */
export type LoadConfigResult =
  | {
      readonly ok: true;
      readonly config: AgentConfig;
      /** Settings that are valid but have no effect, worth a line in the log. */
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };

type Env = Readonly<Record<string, string | undefined>>;
type Spec = (typeof ENV_VARS)[number];
type Parsed = { -readonly [V in Spec as V['name']]?: z.output<V['schema']> };

/** Reads a file named by a variable; replaced in tests. */
export type ReadTextFile = (path: string) => string;

const readText: ReadTextFile = (path) => readFileSync(path, 'utf8');

/**
 * Validates the agent's environment. Empty values count as unset (as `VAR=` in a compose file
 * usually means "use the default"). Never throws; secrets never appear in messages.
 */
export function loadConfig(env: Env, readFile: ReadTextFile = readText): LoadConfigResult {
  const errors: ConfigError[] = [];
  const warnings: string[] = [];
  const fail = (spec: EnvVar, reason: string, value = env[spec.name]) => {
    const shown = spec.secret ? '(hidden)' : JSON.stringify(value);
    errors.push({
      variable: spec.name as EnvVarName,
      message: `Invalid ${spec.name}=${shown}: ${reason}. Allowed: ${spec.allowed}.`,
    });
  };
  const spec = (name: EnvVarName): EnvVar => ENV_VARS.find((v) => v.name === name)!;

  const parsed: Record<string, unknown> = {};
  for (const v of ENV_VARS as readonly EnvVar[]) {
    const raw = env[v.name];
    if (raw === undefined || raw === '') continue;
    const result = v.schema.safeParse(raw);
    if (result.success) parsed[v.name] = result.data;
    else fail(v, result.error.issues.map((i) => i.message).join('; '));
  }
  const p = parsed as Parsed;

  // Cross-variable rules, each reported against the variable the user has to change.
  let tls = p.MQTT_TLS ?? false;
  let url: string;
  if (p.MQTT_URL !== undefined) {
    const scheme = new URL(p.MQTT_URL).protocol;
    const secure = scheme === 'mqtts:' || scheme === 'wss:';
    if (p.MQTT_TLS === false && secure)
      fail(spec('MQTT_TLS'), `contradicts MQTT_URL, whose scheme ${scheme} is TLS`);
    if (p.MQTT_TLS === true && !secure)
      fail(
        spec('MQTT_TLS'),
        `contradicts MQTT_URL, whose scheme ${scheme} is plain: use mqtts:// or wss://`,
      );
    tls = secure;
    url = p.MQTT_URL;
    for (const name of ['MQTT_BROKER_HOST', 'MQTT_BROKER_PORT'] as const)
      if (p[name] !== undefined) warnings.push(`${name} is ignored: MQTT_URL is set`);
  } else {
    const hostName = p.MQTT_BROKER_HOST ?? 'localhost';
    const bare = hostName.replace(/^\[(.*)\]$/, '$1');
    const hostPart = bare.includes(':') ? `[${bare}]` : bare;
    url = `${tls ? 'mqtts' : 'mqtt'}://${hostPart}:${p.MQTT_BROKER_PORT ?? (tls ? 8883 : 1883)}`;
  }

  for (const name of [
    'MQTT_CA_FILE',
    'MQTT_CERT_FILE',
    'MQTT_KEY_FILE',
    'MQTT_TLS_SERVERNAME',
  ] as const)
    if (p[name] !== undefined && !tls)
      fail(
        spec(name),
        'is set but the connection is not TLS (set MQTT_TLS=true, or an mqtts:// or wss:// MQTT_URL)',
      );
  if ((p.MQTT_CERT_FILE === undefined) !== (p.MQTT_KEY_FILE === undefined)) {
    const missing = p.MQTT_CERT_FILE === undefined ? 'MQTT_CERT_FILE' : 'MQTT_KEY_FILE';
    const given = missing === 'MQTT_CERT_FILE' ? 'MQTT_KEY_FILE' : 'MQTT_CERT_FILE';
    fail(spec(given), `needs ${missing} as well (a certificate and its key go together)`);
  }
  if (p.MQTT_PASSWORD !== undefined && p.MQTT_PASSWORD_FILE !== undefined)
    fail(spec('MQTT_PASSWORD_FILE'), 'set together with MQTT_PASSWORD: choose one');
  if (
    (p.MQTT_PASSWORD !== undefined || p.MQTT_PASSWORD_FILE !== undefined) &&
    p.MQTT_USERNAME === undefined
  )
    fail(
      spec(p.MQTT_PASSWORD !== undefined ? 'MQTT_PASSWORD' : 'MQTT_PASSWORD_FILE'),
      'is set without MQTT_USERNAME',
    );

  const fleetSize = p.FILLER_COUNT ?? 1;
  const shard = p.FILLER_SHARD === undefined ? { index: 0, count: 1 } : parseShard(p.FILLER_SHARD)!;
  if (shard.count > fleetSize)
    fail(
      spec('FILLER_SHARD'),
      `has more shards (${shard.count}) than FILLER_COUNT has fillers (${fleetSize}): some agents would simulate nothing`,
    );
  const prefix = p.MACHINE_ID ?? (fleetSize > 1 ? DEFAULT_FLEET_PREFIX : 'filler-01');
  if (fleetSize > 1 && fleetMachineId(prefix, fleetSize, fleetSize).length > 64)
    fail(
      spec('MACHINE_ID'),
      `is too long as the prefix of ${fleetSize} numbered machine ids (${fleetMachineId(prefix, fleetSize, fleetSize)} is over 64 characters)`,
    );
  const perFiller = p.CONNECTION_MODE === 'per-filler';
  if (
    perFiller &&
    p.MQTT_CLIENT_ID !== undefined &&
    `${p.MQTT_CLIENT_ID}-${fleetMachineId(prefix, fleetSize, fleetSize)}`.length > 128
  )
    fail(
      spec('MQTT_CLIENT_ID'),
      'is too long as the prefix of one client id per filler (with -<machine id> it exceeds 128 characters)',
    );

  const file = (name: EnvVarName, path: string | undefined): string | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      fail(spec(name), `cannot read the file (${code})`);
      return undefined;
    }
  };
  // Only the first line: `echo secret > file` leaves a newline that is not part of the password.
  const password =
    p.MQTT_PASSWORD ?? file('MQTT_PASSWORD_FILE', p.MQTT_PASSWORD_FILE)?.split(/\r?\n/)[0];
  const ca = file('MQTT_CA_FILE', p.MQTT_CA_FILE);
  const cert = file('MQTT_CERT_FILE', p.MQTT_CERT_FILE);
  const key = file('MQTT_KEY_FILE', p.MQTT_KEY_FILE);
  if (errors.length > 0) return { ok: false, errors };

  const machineId = prefix;
  const { first, last } = shardRange(fleetSize, shard);
  const machineIds =
    fleetSize === 1
      ? [machineId]
      : Array.from({ length: last - first + 1 }, (_, i) =>
          fleetMachineId(prefix, first + i, fleetSize),
        );
  // A shared fleet connection is named after its slice, so every shard has its own stable session.
  const clientId =
    p.MQTT_CLIENT_ID ??
    (fleetSize === 1 || perFiller
      ? `ot-mqtt-agent-${machineId}`
      : `ot-mqtt-agent-${prefix}-shard-${shard.index}-of-${shard.count}`);
  const fleet: FleetConfig = {
    size: fleetSize,
    shard,
    machineIds,
    includeMachineLevel: fleetSize > 1,
    connectionMode: perFiller ? 'per-filler' : 'shared',
    clientIds: perFiller
      ? machineIds.map((id) => `${p.MQTT_CLIENT_ID ?? 'ot-mqtt-agent'}-${id}`)
      : [clientId],
  };
  const config: AgentConfig = {
    url,
    clientId,
    keepaliveSeconds: p.MQTT_KEEPALIVE ?? 60,
    ...(p.MQTT_USERNAME === undefined
      ? {}
      : {
          auth: {
            username: p.MQTT_USERNAME,
            ...(password === undefined ? {} : { password }),
          },
        }),
    ...(tls
      ? {
          tls: {
            ...(ca === undefined ? {} : { ca }),
            ...(cert === undefined ? {} : { cert }),
            ...(key === undefined ? {} : { key }),
            ...(p.MQTT_TLS_SERVERNAME === undefined ? {} : { servername: p.MQTT_TLS_SERVERNAME }),
          },
        }
      : {}),
    machineId,
    fleet,
    topicRoot: p.TOPIC_ROOT ?? 'plc/bottlefiller',
    publishIntervalMs: Math.round((p.PUBLISH_INTERVAL ?? 2) * 1000),
    seed: p.SIM_SEED,
    timeScale: p.SIM_TIME_SCALE ?? 1,
    outbox: {
      // The bound is per connection: a shared fleet connection holds two scans of each of its
      // fillers at least, or one slow round trip would drop scans.
      maxMessages:
        p.OUTBOX_MAX_MESSAGES ?? Math.max(10_000, perFiller ? 0 : 14 * machineIds.length),
      overflow: p.OUTBOX_OVERFLOW ?? 'drop-oldest',
      budgetBytes: (p.OUTBOX_BUDGET_MB ?? 128) * 1024 * 1024,
    },
    shutdownTimeoutMs: Math.round((p.SHUTDOWN_TIMEOUT ?? 5) * 1000),
    logLevel: p.LOG_LEVEL ?? 'info',
    logFormat: p.LOG_FORMAT ?? 'text',
    summaryIntervalMs: Math.round((p.SUMMARY_INTERVAL ?? 30) * 1000),
  };
  return { ok: true, config, warnings };
}
