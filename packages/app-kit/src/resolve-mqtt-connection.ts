import { readFileSync } from 'node:fs';
import type { MQTT_ENV } from './mqtt-env.js';
import type { ParsedEnv } from './parse-env.js';

/** Reads a file a variable names, as text; replaced in tests. */
export type ReadTextFile = (path: string) => string;

/** Broker connection settings from the `MQTT_*` variables, ready to spread into `createMqttClient`. */
export interface MqttConnection {
  /**
   * Broker URL (`MQTT_URL`, or built from host, port and `MQTT_TLS`); never holds credentials. The
   * first one when `MQTT_URL` lists several.
   */
  readonly url: string;
  /**
   * Every broker, when `MQTT_URL` lists more than one (a cluster): give `createMqttClient`
   * `{ urls }` instead of `{ url }` then, and it fails over between them.
   */
  readonly urls?: readonly string[];
  /** Keepalive in seconds (`MQTT_KEEPALIVE`). */
  readonly keepaliveSeconds: number;
  /** `MQTT_USERNAME`, when set. */
  readonly username?: string;
  /** `MQTT_PASSWORD`, or the first line of `MQTT_PASSWORD_FILE`. Never print it. */
  readonly password?: string;
  /** TLS material (file contents, not paths): present exactly when the connection is TLS. */
  readonly tls?: {
    /** Contents of `MQTT_CA_FILE`. */
    readonly ca?: string;
    /** Contents of `MQTT_CERT_FILE`. */
    readonly cert?: string;
    /** Contents of `MQTT_KEY_FILE`. */
    readonly key?: string;
    /** `MQTT_TLS_SERVERNAME`. */
    readonly servername?: string;
  };
}

/** Options of {@link resolveMqttConnection}. */
export interface ResolveMqttConnectionOptions {
  /** Reads the password and PEM files (default: `fs.readFileSync` as UTF-8). */
  readonly readFile?: ReadTextFile;
}

const readText: ReadTextFile = (path) => readFileSync(path, 'utf8');

const WHY: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'a directory, not a file',
};

const TLS_FILES = [
  'MQTT_CA_FILE',
  'MQTT_CERT_FILE',
  'MQTT_KEY_FILE',
  'MQTT_TLS_SERVERNAME',
] as const;

/**
 * Applies the rules between the `MQTT_*` variables and reads the files they name. Every problem is
 * recorded on `parsed` against the variable the user has to change (`parsed.errors`), so an app
 * reports them all at once:
 *
 * - `MQTT_URL` wins over host and port (a warning says they are ignored); its scheme decides TLS,
 *   and an `MQTT_TLS` that contradicts it is an error;
 * - TLS files on a plain connection are refused rather than silently sending in clear text;
 * - a client certificate needs its key; a password needs a user name; password and password file
 *   exclude each other;
 * - files must be readable and non-empty; a password file's first line is the password (the
 *   newline `echo secret > file` leaves is not part of it).
 *
 * @example
 * ```ts
 * import { createMqttClient } from '@ot-mqtt/mqtt-client';
 * import { MQTT_ENV, parseEnv, resolveMqttConnection } from '@ot-mqtt/app-kit';
 *
 * const parsed = parseEnv(MQTT_ENV, process.env);
 * const connection = resolveMqttConnection(parsed);
 * if (parsed.errors.length === 0) createMqttClient({ ...connection, clientId: 'my-app' });
 * ```
 */
export function resolveMqttConnection(
  parsed: Pick<ParsedEnv<typeof MQTT_ENV>, 'values' | 'given' | 'fail' | 'warn'>,
  options: ResolveMqttConnectionOptions = {},
): MqttConnection {
  const { values: v, given: g, fail } = parsed;
  const readFile = options.readFile ?? readText;

  let tls = v.MQTT_TLS;
  let url: string;
  let urls: string[] | undefined;
  if (g.MQTT_URL !== undefined) {
    const scheme = new URL(g.MQTT_URL.split(',')[0]!).protocol;
    const secure = scheme === 'mqtts:' || scheme === 'wss:';
    if (g.MQTT_TLS === false && secure)
      fail('MQTT_TLS', `contradicts MQTT_URL, whose scheme ${scheme} is TLS`);
    if (g.MQTT_TLS === true && !secure)
      fail(
        'MQTT_TLS',
        `contradicts MQTT_URL, whose scheme ${scheme} is plain: use mqtts:// or wss://`,
      );
    tls = secure;
    const all = g.MQTT_URL.split(',');
    url = all[0]!;
    if (all.length > 1) urls = all;
    for (const name of ['MQTT_BROKER_HOST', 'MQTT_BROKER_PORT'] as const)
      if (g[name] !== undefined) parsed.warn(`${name} is ignored: MQTT_URL is set`);
  } else {
    const bare = v.MQTT_BROKER_HOST.replace(/^\[(.*)\]$/, '$1');
    const hostPart = bare.includes(':') ? `[${bare}]` : bare;
    url = `${tls ? 'mqtts' : 'mqtt'}://${hostPart}:${g.MQTT_BROKER_PORT ?? (tls ? 8883 : 1883)}`;
  }

  if ((g.MQTT_CERT_FILE === undefined) !== (g.MQTT_KEY_FILE === undefined)) {
    const missing = g.MQTT_CERT_FILE === undefined ? 'MQTT_CERT_FILE' : 'MQTT_KEY_FILE';
    const given = missing === 'MQTT_CERT_FILE' ? 'MQTT_KEY_FILE' : 'MQTT_CERT_FILE';
    fail(given, `needs ${missing} as well (a certificate and its key go together)`);
  }
  for (const name of TLS_FILES)
    if (g[name] !== undefined && !tls)
      fail(
        name,
        'is set but the connection is not TLS (set MQTT_TLS=true, or an mqtts:// or wss:// MQTT_URL)',
      );
  if (g.MQTT_PASSWORD !== undefined && g.MQTT_PASSWORD_FILE !== undefined)
    fail('MQTT_PASSWORD_FILE', 'set together with MQTT_PASSWORD: choose one');
  if (
    (g.MQTT_PASSWORD !== undefined || g.MQTT_PASSWORD_FILE !== undefined) &&
    g.MQTT_USERNAME === undefined
  )
    fail(
      g.MQTT_PASSWORD !== undefined ? 'MQTT_PASSWORD' : 'MQTT_PASSWORD_FILE',
      'is set without MQTT_USERNAME (MQTT sends a password only with a user name)',
    );

  const file = (
    name: 'MQTT_PASSWORD_FILE' | 'MQTT_CA_FILE' | 'MQTT_CERT_FILE' | 'MQTT_KEY_FILE',
  ): string | undefined => {
    const path = g[name];
    if (path === undefined) return undefined;
    try {
      const content = readFile(path);
      if (content.length === 0) {
        fail(name, 'the file is empty');
        return undefined;
      }
      return content;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      fail(name, `cannot read the file (${code})${WHY[code] ? `: ${WHY[code]}` : ''}`);
      return undefined;
    }
  };
  let password = g.MQTT_PASSWORD;
  const passwordFile = file('MQTT_PASSWORD_FILE');
  if (passwordFile !== undefined) {
    password = passwordFile.split(/\r?\n/)[0];
    if (!password) fail('MQTT_PASSWORD_FILE', 'the first line of the file is empty');
  }
  const ca = file('MQTT_CA_FILE');
  const cert = file('MQTT_CERT_FILE');
  const key = file('MQTT_KEY_FILE');

  return {
    url,
    ...(urls === undefined ? {} : { urls }),
    keepaliveSeconds: v.MQTT_KEEPALIVE,
    ...(g.MQTT_USERNAME === undefined ? {} : { username: g.MQTT_USERNAME }),
    ...(password ? { password } : {}),
    ...(tls
      ? {
          tls: {
            ...(ca === undefined ? {} : { ca }),
            ...(cert === undefined ? {} : { cert }),
            ...(key === undefined ? {} : { key }),
            ...(g.MQTT_TLS_SERVERNAME === undefined ? {} : { servername: g.MQTT_TLS_SERVERNAME }),
          },
        }
      : {}),
  };
}
