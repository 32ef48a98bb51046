import { readFileSync } from 'node:fs';
import { readMetricsEnv } from '@ot-mqtt/metrics';

/** The exporter's configuration, from the environment. */
export interface ExporterConfig {
  /** Broker URL without credentials. */
  readonly url: string;
  /** MQTT client id. */
  readonly clientId: string;
  /** `MQTT_USERNAME` (the `$SYS`-only account, `broker-metrics` in the production profile). */
  readonly username: string | undefined;
  /** `MQTT_PASSWORD` or the first line of `MQTT_PASSWORD_FILE`; never printed. */
  readonly password: string | undefined;
  /** Contents of `MQTT_CA_FILE` (TLS), when set. */
  readonly ca: string | undefined;
  /** `/metrics` port. */
  readonly port: number;
  /** `/metrics` address. */
  readonly host: string;
  /** The broker counts as down after this long without `$SYS`, in ms. */
  readonly staleAfterMs: number;
}

/** One documented variable (for `--help`). */
export const VARIABLES: readonly { name: string; default: string; description: string }[] = [
  {
    name: 'MQTT_URL',
    default: 'mqtt://MQTT_BROKER_HOST:MQTT_BROKER_PORT',
    description: 'Broker URL (mqtt://, mqtts://, ws://, wss://)',
  },
  { name: 'MQTT_BROKER_HOST', default: 'localhost', description: 'Broker host' },
  { name: 'MQTT_BROKER_PORT', default: '1883', description: 'Broker port' },
  { name: 'MQTT_CLIENT_ID', default: 'ot-mqtt-broker-exporter', description: 'MQTT client id' },
  {
    name: 'MQTT_USERNAME',
    default: '(none)',
    description: 'Account that may read $SYS/# (production profile: broker-metrics)',
  },
  {
    name: 'MQTT_PASSWORD_FILE',
    default: '(none)',
    description: 'File whose first line is the password (preferred to MQTT_PASSWORD)',
  },
  {
    name: 'MQTT_PASSWORD',
    default: '(none)',
    description: 'Password (visible in the process environment)',
  },
  {
    name: 'MQTT_CA_FILE',
    default: '(none)',
    description: 'CA certificate (PEM) for mqtts:// and wss://',
  },
  { name: 'METRICS_PORT', default: '9234', description: 'Port of /metrics' },
  {
    name: 'METRICS_HOST',
    default: '127.0.0.1',
    description: 'Address of /metrics (0.0.0.0 for a Prometheus on another host)',
  },
  {
    name: 'SYS_STALE_AFTER',
    default: '35',
    description:
      'Seconds without $SYS after which otmqtt_broker_up is 0 (3 × sys_interval + slack)',
  },
];

/** Result of {@link loadConfig}: the config, or one message per bad variable. */
export type LoadedConfig =
  | { readonly ok: true; readonly config: ExporterConfig }
  | { readonly ok: false; readonly errors: readonly string[] };

const wholeNumber = (text: string, min: number, max: number) =>
  /^\d+$/u.test(text) && Number(text) >= min && Number(text) <= max ? Number(text) : undefined;

/** Reads and checks the environment; every error names its variable and what is allowed. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): LoadedConfig {
  const errors: string[] = [];
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const file = (name: string) => {
    const path = get(name);
    if (path === undefined) return undefined;
    try {
      return readFile(path);
    } catch (error) {
      errors.push(
        `${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
      return undefined;
    }
  };
  const metrics = readMetricsEnv({ ...env, METRICS_PORT: get('METRICS_PORT') ?? '9234' });
  if (!metrics.ok) errors.push(...metrics.errors.map((e) => e.message));

  const host = get('MQTT_BROKER_HOST') ?? 'localhost';
  const portText = get('MQTT_BROKER_PORT') ?? '1883';
  const brokerPort = wholeNumber(portText, 1, 65_535);
  if (brokerPort === undefined)
    errors.push(`MQTT_BROKER_PORT must be a port number 1-65535, got ${JSON.stringify(portText)}`);
  let url = get('MQTT_URL') ?? `mqtt://${host.includes(':') ? `[${host}]` : host}:${brokerPort}`;
  try {
    const parsed = new URL(url);
    if (!['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(parsed.protocol))
      errors.push(
        `MQTT_URL must start with mqtt://, mqtts://, ws:// or wss://, got ${parsed.protocol}//`,
      );
    if (parsed.username !== '' || parsed.password !== '')
      errors.push('MQTT_URL must not hold credentials: use MQTT_USERNAME and MQTT_PASSWORD_FILE');
    url = parsed.toString().replace(/\/$/u, '');
  } catch {
    errors.push(`MQTT_URL must be a URL such as mqtt://broker:1883, got ${JSON.stringify(url)}`);
  }
  const passwordFile = file('MQTT_PASSWORD_FILE');
  const password = passwordFile?.split(/\r?\n/u)[0] ?? get('MQTT_PASSWORD');
  const staleText = get('SYS_STALE_AFTER') ?? '35';
  const stale = wholeNumber(staleText, 1, 86_400);
  if (stale === undefined)
    errors.push(`SYS_STALE_AFTER must be whole seconds 1-86400, got ${JSON.stringify(staleText)}`);
  if (errors.length > 0 || !metrics.ok) return { ok: false, errors };
  return {
    ok: true,
    config: {
      url,
      clientId: get('MQTT_CLIENT_ID') ?? 'ot-mqtt-broker-exporter',
      username: get('MQTT_USERNAME'),
      password,
      ca: file('MQTT_CA_FILE'),
      port: metrics.settings.port ?? 9234,
      host: metrics.settings.host,
      staleAfterMs: (stale ?? 35) * 1000,
    },
  };
}
