import { envVar } from './env-var.js';
import { host, wholeNumber } from './env-schemas.js';

// The /metrics variables every app shares (README "Monitoring"). Names, defaults and rules are
// those of @ot-mqtt/metrics' readMetricsEnv, which builds the endpoint from them; here they are
// in the table form an app's --help, docs table and start-up check are made from.

/** `METRICS_PORT`: serve Prometheus metrics on this port (unset: no endpoint). */
export const METRICS_PORT = envVar({
  name: 'METRICS_PORT',
  group: 'Metrics',
  description: 'Serve Prometheus metrics on http://METRICS_HOST:METRICS_PORT/metrics.',
  allowed: 'a TCP port, 1-65535',
  schema: wholeNumber(1, 65535),
  defaultText: '(unset: no metrics endpoint)',
});

/** `METRICS_HOST`: address of the metrics endpoint (default `127.0.0.1`). */
export const METRICS_HOST = envVar({
  name: 'METRICS_HOST',
  group: 'Metrics',
  description:
    'Address of the metrics endpoint (0.0.0.0 to let a Prometheus on another host scrape).',
  allowed: 'a host name or an IPv4/IPv6 address',
  schema: host,
  default: '127.0.0.1',
});

/** `METRICS_MAX_MACHINES`: machines with a `machine` label of their own (default 100). */
export const METRICS_MAX_MACHINES = envVar({
  name: 'METRICS_MAX_MACHINES',
  group: 'Metrics',
  description:
    'Machines that get their own `machine` label; later ones share machine="_other" (bounds the series).',
  allowed: 'a whole number, 0-100000',
  schema: wholeNumber(0, 100_000),
  default: 100,
});

/**
 * The metrics variables, in `--help` order, to spread into an app's table.
 *
 * @example
 * ```ts
 * import { METRICS_ENV, MQTT_ENV, parseEnv } from '@ot-mqtt/app-kit';
 *
 * const ENV = [...MQTT_ENV, ...METRICS_ENV] as const;
 * const parsed = parseEnv(ENV, process.env);
 * if (parsed.values.METRICS_PORT !== undefined) console.log('metrics on', parsed.values.METRICS_PORT);
 * ```
 */
export const METRICS_ENV = [METRICS_PORT, METRICS_HOST, METRICS_MAX_MACHINES] as const;
