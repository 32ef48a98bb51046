import { readFileSync } from 'node:fs';
import {
  parseEnv,
  resolveMqttConnection,
  type EnvError,
  type LogLevel,
  type ReadTextFile,
} from '@ot-mqtt/app-kit';
import { ENV_VARS } from './env-vars.js';
import type { SimScenarios } from './sim-scenarios.js';
import { payloadConfig, type PayloadConfig } from './payload-config.js';
import {
  MACHINE_ID_PLACEHOLDER,
  PER_MACHINE_VARIABLES,
  forMachine,
  isPerMachine,
  machineAuths,
  type MachineAuth,
} from './machine-identity.js';
import { DEFAULT_FLEET_PREFIX, fleetMachineId, shardRange, type Shard } from '@ot-mqtt/plc-sim';
import { natsPortabilityWarnings } from '@ot-mqtt/tag-model';

/** The agent's validated configuration, built from the environment by {@link loadConfig}. */
export interface AgentConfig {
  /** Broker URL to connect to (never holds credentials); the first when MQTT_URL lists several. */
  readonly url: string;
  /** Every broker when MQTT_URL lists several (a cluster): the client fails over between them. */
  readonly urls?: readonly string[];
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
  /** SIM_SCENARIO: the shift every filler runs, or each range of machines. */
  readonly scenario: SimScenarios;
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
  /** JSON (optionally compressed) or Sparkplug B (issue 16, payload-config.ts). */
  readonly payload: PayloadConfig;
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
  /**
   * Per-filler identities (`{machineId}` in MQTT_USERNAME): each machine's user name and password,
   * aligned with `machineIds`; its data and command connections log in with them.
   */
  readonly identities?: readonly MachineAuth[];
}

/** One rejected variable: what the user set, why it is wrong and what is allowed. */
export type ConfigError = EnvError;

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

export type { LogLevel, ReadTextFile };

/**
 * Validates the agent's environment. Empty values count as unset (as `VAR=` in a compose file
 * usually means "use the default"). Never throws; secrets never appear in messages. The shared
 * MQTT_* and LOG_* rules are @ot-mqtt/app-kit's; the fleet rules are the agent's own.
 */
export function loadConfig(env: Env, readFile?: ReadTextFile): LoadConfigResult {
  const parsed = parseEnv(ENV_VARS, env);
  const { values: v, given: g, fail } = parsed;
  const fleetSize = v.FILLER_COUNT;
  const shard = v.FILLER_SHARD;
  const perFiller = v.CONNECTION_MODE === 'per-filler';
  const prefix = g.MACHINE_ID ?? (fleetSize > 1 ? DEFAULT_FLEET_PREFIX : 'filler-01');
  const { first, last } = shardRange(fleetSize, shard);
  const machineIds =
    fleetSize === 1
      ? [prefix]
      : Array.from({ length: Math.max(0, last - first + 1) }, (_, i) =>
          fleetMachineId(prefix, first + i, fleetSize),
        );

  // Per-filler identities: the shared rules check the first machine's password file; the others
  // are read below, once the rest is valid.
  for (const name of PER_MACHINE_VARIABLES)
    if (isPerMachine(g[name]) && !perFiller)
      fail(
        name,
        `contains ${MACHINE_ID_PLACEHOLDER}, which needs CONNECTION_MODE=per-filler (one connection, so one identity, per filler)`,
      );
  const passwordTemplate = isPerMachine(g.MQTT_PASSWORD_FILE) ? g.MQTT_PASSWORD_FILE : undefined;
  if (
    passwordTemplate !== undefined &&
    g.MQTT_USERNAME !== undefined &&
    !isPerMachine(g.MQTT_USERNAME)
  )
    fail(
      'MQTT_PASSWORD_FILE',
      `contains ${MACHINE_ID_PLACEHOLDER} but MQTT_USERNAME does not: one user name has one password`,
    );
  const connection = resolveMqttConnection(
    passwordTemplate === undefined
      ? parsed
      : {
          ...parsed,
          given: { ...g, MQTT_PASSWORD_FILE: forMachine(passwordTemplate, machineIds[0] ?? '') },
        },
    readFile === undefined ? {} : { readFile },
  );

  if (shard.count > fleetSize)
    fail(
      'FILLER_SHARD',
      `has more shards (${shard.count}) than FILLER_COUNT has fillers (${fleetSize}): some agents would simulate nothing`,
    );
  const lastId = fleetMachineId(prefix, fleetSize, fleetSize);
  if (fleetSize > 1 && lastId.length > 64)
    fail(
      'MACHINE_ID',
      `is too long as the prefix of ${fleetSize} numbered machine ids (${lastId} is over 64 characters)`,
    );
  const clientIdOf = (id: string, template = g.MQTT_CLIENT_ID): string =>
    isPerMachine(template) ? forMachine(template, id) : `${template ?? 'ot-mqtt-agent'}-${id}`;
  if (perFiller && g.MQTT_CLIENT_ID !== undefined && clientIdOf(lastId).length > 128)
    fail(
      'MQTT_CLIENT_ID',
      isPerMachine(g.MQTT_CLIENT_ID)
        ? `is too long: with the longest machine id (${lastId}) it exceeds 128 characters`
        : 'is too long as the prefix of one client id per filler (with -<machine id> it exceeds 128 characters)',
    );
  const identities =
    parsed.errors.length === 0 && perFiller && isPerMachine(g.MQTT_USERNAME)
      ? machineAuths(
          machineIds,
          { username: g.MQTT_USERNAME, passwordFile: passwordTemplate },
          { password: connection.password },
          readFile ?? ((path) => readFileSync(path, 'utf8')),
          (reason) => fail('MQTT_PASSWORD_FILE', reason),
        )
      : undefined;
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors };
  // Valid MQTT that a NATS cluster's MQTT gateway refuses: said at start, not found out from a
  // connection it closes (docs/scaling.md).
  for (const warning of natsPortabilityWarnings({ TOPIC_ROOT: v.TOPIC_ROOT, MACHINE_ID: prefix }))
    parsed.warn(warning);

  const machineId = prefix;
  // A shared fleet connection is named after its slice, so every shard has its own stable session.
  // With {machineId} in it, the agent's own connection (commands) is named after its slice.
  const clientId = isPerMachine(g.MQTT_CLIENT_ID)
    ? forMachine(g.MQTT_CLIENT_ID, `${prefix}-shard-${shard.index}-of-${shard.count}`)
    : (g.MQTT_CLIENT_ID ??
      (fleetSize === 1 || perFiller
        ? `ot-mqtt-agent-${machineId}`
        : `ot-mqtt-agent-${prefix}-shard-${shard.index}-of-${shard.count}`));
  const payload = payloadConfig(v, {
    clientId,
    connectionMode: v.CONNECTION_MODE,
    given: g,
    fail,
    warn: (message) => parsed.warn(message),
  });
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors };
  const fleet: FleetConfig = {
    size: fleetSize,
    shard,
    machineIds,
    includeMachineLevel: fleetSize > 1,
    connectionMode: perFiller ? 'per-filler' : 'shared',
    clientIds: perFiller ? machineIds.map((id) => clientIdOf(id)) : [clientId],
    ...(identities === undefined ? {} : { identities }),
  };
  const config: AgentConfig = {
    url: connection.url,
    ...(connection.urls === undefined ? {} : { urls: connection.urls }),
    clientId,
    keepaliveSeconds: connection.keepaliveSeconds,
    ...(connection.username === undefined
      ? {}
      : {
          auth: {
            username: connection.username,
            ...(connection.password === undefined ? {} : { password: connection.password }),
          },
        }),
    ...(connection.tls === undefined ? {} : { tls: connection.tls }),
    machineId,
    fleet,
    topicRoot: v.TOPIC_ROOT,
    publishIntervalMs: Math.round(v.PUBLISH_INTERVAL * 1000),
    seed: v.SIM_SEED,
    timeScale: v.SIM_TIME_SCALE,
    scenario: v.SIM_SCENARIO,
    outbox: {
      // The bound is per connection: a shared fleet connection holds two scans of each of its
      // fillers at least, or one slow round trip would drop scans.
      maxMessages:
        v.OUTBOX_MAX_MESSAGES ?? Math.max(10_000, perFiller ? 0 : 14 * machineIds.length),
      overflow: v.OUTBOX_OVERFLOW,
      budgetBytes: v.OUTBOX_BUDGET_MB * 1024 * 1024,
    },
    shutdownTimeoutMs: Math.round(v.SHUTDOWN_TIMEOUT * 1000),
    logLevel: v.LOG_LEVEL,
    logFormat: v.LOG_FORMAT,
    summaryIntervalMs: Math.round(v.SUMMARY_INTERVAL * 1000),
    payload,
  };
  return { ok: true, config, warnings: parsed.warnings };
}
