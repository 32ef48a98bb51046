import {
  METRICS_HOST,
  METRICS_PORT,
  MQTT_ENV,
  envVar,
  parseEnv,
  resolveMqttConnection,
  restateEnv,
  wholeNumber,
  type EnvError,
  type MqttConnection,
  type ReadTextFile,
} from '@ot-mqtt/app-kit';

/** The exporter's configuration, from the environment. */
export interface ExporterConfig {
  /** URL(s), keepalive, credentials and TLS material, ready for `createMqttClient`. */
  readonly connection: MqttConnection;
  /** MQTT client id. */
  readonly clientId: string;
  /** `/metrics` port. */
  readonly port: number;
  /** `/metrics` address. */
  readonly host: string;
  /** The broker counts as down after this long without `$SYS`, in ms. */
  readonly staleAfterMs: number;
}

const DEFAULT_CLIENT_ID = 'ot-mqtt-broker-exporter';
const DEFAULT_METRICS_PORT = 9234;

/** Every variable the exporter reads, in `--help` order: the shared ones of the app kit and its own. */
export const ENV = [
  ...restateEnv(MQTT_ENV, {
    MQTT_CLIENT_ID: {
      defaultText: DEFAULT_CLIENT_ID,
      description:
        'MQTT client id (a clean session: $SYS values are retained, re-sent on subscribe).',
    },
    MQTT_USERNAME: {
      description: 'Account that may read $SYS/# (production profile: broker-metrics).',
    },
  }),
  ...restateEnv([METRICS_PORT, METRICS_HOST] as const, {
    METRICS_PORT: { description: 'Port of /metrics.', defaultText: String(DEFAULT_METRICS_PORT) },
    METRICS_HOST: {
      description: 'Address of /metrics (0.0.0.0 for a Prometheus on another host).',
    },
  }),
  envVar({
    name: 'SYS_STALE_AFTER',
    group: 'Metrics',
    description:
      'Seconds without $SYS after which otmqtt_broker_up is 0 (3 × sys_interval + slack).',
    allowed: 'whole seconds, 1-86400',
    schema: wholeNumber(1, 86_400),
    default: 35,
  }),
] as const;

/** Result of {@link loadConfig}: the config, or one error per bad variable. */
export type LoadedConfig =
  | { readonly ok: true; readonly config: ExporterConfig; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly EnvError[] };

/** Reads and checks the environment; every error names its variable and what is allowed. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  readFile?: ReadTextFile,
): LoadedConfig {
  const parsed = parseEnv(ENV, env);
  const connection = resolveMqttConnection(parsed, readFile === undefined ? {} : { readFile });
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors };
  const v = parsed.values;
  return {
    ok: true,
    warnings: parsed.warnings,
    config: {
      connection,
      clientId: v.MQTT_CLIENT_ID ?? DEFAULT_CLIENT_ID,
      port: v.METRICS_PORT ?? DEFAULT_METRICS_PORT,
      host: v.METRICS_HOST,
      staleAfterMs: v.SYS_STALE_AFTER * 1000,
    },
  };
}
