/** One environment variable of the metrics endpoint, for `--help` texts and docs tables. */
export interface MetricsVariable {
  /** Variable name. */
  readonly name: string;
  /** Default as shown to users (`unset` when the feature is off without it). */
  readonly default: string;
  /** One line: what it does. */
  readonly description: string;
}

/** The variables every app reads for its `/metrics` endpoint, in the order docs list them. */
export const METRICS_VARIABLES: readonly MetricsVariable[] = [
  {
    name: 'METRICS_PORT',
    default: 'unset',
    description:
      'Serve Prometheus metrics on http://METRICS_HOST:METRICS_PORT/metrics (unset: off)',
  },
  {
    name: 'METRICS_HOST',
    default: '127.0.0.1',
    description:
      'Address of the metrics endpoint (0.0.0.0 to let a Prometheus on another host scrape)',
  },
  {
    name: 'METRICS_MAX_MACHINES',
    default: '100',
    description:
      'Machines that get their own `machine` label; later ones share machine="_other" (bounds the series)',
  },
];

/** Parsed metrics settings: `port` undefined means the endpoint is off. */
export interface MetricsSettings {
  /** Port of the `/metrics` endpoint, or `undefined` when `METRICS_PORT` is unset (off). */
  readonly port: number | undefined;
  /** Address to listen on. */
  readonly host: string;
  /** Machines with their own `machine` label. */
  readonly maxMachines: number;
}

/** Result of {@link readMetricsEnv}: the settings, or one message per bad variable. */
export type MetricsEnvResult =
  | { readonly ok: true; readonly settings: MetricsSettings }
  | { readonly ok: false; readonly errors: readonly { variable: string; message: string }[] };

const wholeNumber = (text: string, min: number, max: number): number | undefined => {
  if (!/^\d+$/u.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
};

/**
 * Reads `METRICS_PORT`, `METRICS_HOST` and `METRICS_MAX_MACHINES` (blank counts as unset). Errors
 * name the variable and what is allowed, for the app to print before exiting with code 2.
 *
 * @example
 * ```ts
 * const read = readMetricsEnv(process.env);
 * if (!read.ok) for (const e of read.errors) console.error(e.message);
 * else if (read.settings.port !== undefined) console.log('metrics on', read.settings.port);
 * ```
 */
export function readMetricsEnv(
  env: Readonly<Record<string, string | undefined>>,
): MetricsEnvResult {
  const errors: { variable: string; message: string }[] = [];
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const portText = value('METRICS_PORT');
  let port: number | undefined;
  if (portText !== undefined) {
    port = wholeNumber(portText, 1, 65_535);
    if (port === undefined)
      errors.push({
        variable: 'METRICS_PORT',
        message: `METRICS_PORT must be a port number 1-65535 (or unset to turn metrics off), got ${JSON.stringify(portText)}`,
      });
  }
  const host = value('METRICS_HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]+$/u.test(host))
    errors.push({
      variable: 'METRICS_HOST',
      message: `METRICS_HOST must be a host name or IP address, got ${JSON.stringify(host)}`,
    });
  const maxText = value('METRICS_MAX_MACHINES');
  const maxMachines = maxText === undefined ? 100 : wholeNumber(maxText, 0, 100_000);
  if (maxMachines === undefined)
    errors.push({
      variable: 'METRICS_MAX_MACHINES',
      message: `METRICS_MAX_MACHINES must be a whole number 0-100000, got ${JSON.stringify(maxText)}`,
    });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: { port, host: host.replace(/^\[(.*)\]$/u, '$1'), maxMachines: maxMachines ?? 100 },
  };
}
