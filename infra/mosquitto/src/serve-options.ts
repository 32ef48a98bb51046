import { isIP } from 'node:net';

/** Which broker `npx nx serve broker` runs when the port is free. */
export type BrokerChoice = 'auto' | 'mosquitto' | 'aedes';

/** Validated settings of `npx nx serve broker` (and of `npm start`'s broker). */
export interface ServeOptions {
  /** MQTT over TCP port (`MQTT_BROKER_PORT` or `--port`, default 1883). */
  readonly port: number;
  /** MQTT over WebSockets port (`MQTT_WS_PORT` or `--ws-port`, default 9001). */
  readonly wsPort: number;
  /** Address the listeners bind to (`MQTT_BIND_ADDRESS` or `--bind`, default `127.0.0.1`). */
  readonly bindAddress: string;
  /** `OT_MQTT_BROKER` or `--broker`: `auto` (Mosquitto if installed, else aedes), `mosquitto`, `aedes`. */
  readonly broker: BrokerChoice;
  /** Run directory for Mosquitto's adapted config, data and log (`OT_MQTT_RUN_DIR` or `--run-dir`). */
  readonly runDir: string | undefined;
}

/** One setting of {@link ServeOptions}, as `--help` lists it. */
export interface ServeVariable {
  /** Environment variable. */
  readonly name: string;
  /** Equivalent command-line flag. */
  readonly flag: string;
  /** Default, as shown to the user. */
  readonly defaultText: string;
  /** What it does. */
  readonly description: string;
}

/** Every setting of the broker script, in `--help` order. */
export const SERVE_VARIABLES: readonly ServeVariable[] = [
  {
    name: 'MQTT_BROKER_PORT',
    flag: '--port',
    defaultText: '1883',
    description: 'MQTT over TCP port',
  },
  {
    name: 'MQTT_WS_PORT',
    flag: '--ws-port',
    defaultText: '9001',
    description: 'MQTT over WebSockets port',
  },
  {
    name: 'MQTT_BIND_ADDRESS',
    flag: '--bind',
    defaultText: '127.0.0.1',
    description:
      'Address to listen on (0.0.0.0: every interface, e.g. for an HMI on another machine)',
  },
  {
    name: 'OT_MQTT_BROKER',
    flag: '--broker',
    defaultText: 'auto',
    description:
      'auto (Mosquitto if installed, else the embedded aedes broker), mosquitto or aedes',
  },
  {
    name: 'OT_MQTT_RUN_DIR',
    flag: '--run-dir',
    defaultText: 'infra/mosquitto/run',
    description: "Mosquitto's adapted config, persistence data and log (kept between runs)",
  },
];

/** A setting that could not be used: names the variable, the value and what is allowed. */
export class ServeOptionError extends Error {
  override readonly name = 'ServeOptionError';
}

/**
 * Reads the broker script's settings from flags (first) and environment variables, and rejects a
 * bad value with a {@link ServeOptionError} naming the variable, the value and what is allowed.
 *
 * @example
 * ```ts
 * const options = parseServeOptions(process.env, process.argv.slice(2));
 * ```
 */
export function parseServeOptions(
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[] = [],
): ServeOptions {
  const values = new Map<string, string>();
  for (const variable of SERVE_VARIABLES) {
    const fromEnv = env[variable.name];
    if (fromEnv !== undefined && fromEnv !== '') values.set(variable.name, fromEnv);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag = '', inline] = arg.split(/=(.*)/s, 2);
    const variable = SERVE_VARIABLES.find((v) => v.flag === flag);
    if (!variable) {
      throw new ServeOptionError(
        `unknown argument ${JSON.stringify(arg)}; allowed: ${SERVE_VARIABLES.map((v) => v.flag).join(', ')}, --help`,
      );
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ServeOptionError(`${flag} needs a value`);
    values.set(variable.name, value);
  }
  const port = parsePort('MQTT_BROKER_PORT', values.get('MQTT_BROKER_PORT') ?? '1883');
  const wsPort = parsePort('MQTT_WS_PORT', values.get('MQTT_WS_PORT') ?? '9001');
  if (port === wsPort && port !== 0) {
    throw new ServeOptionError(
      `MQTT_WS_PORT=${wsPort} is the same as MQTT_BROKER_PORT: the two listeners need different ports`,
    );
  }
  const bindAddress = values.get('MQTT_BIND_ADDRESS') ?? '127.0.0.1';
  if (isIP(bindAddress) === 0) {
    throw new ServeOptionError(
      `MQTT_BIND_ADDRESS=${JSON.stringify(bindAddress)} is not an IP address; allowed: an IPv4 or IPv6 address such as 127.0.0.1 or 0.0.0.0`,
    );
  }
  const broker = values.get('OT_MQTT_BROKER') ?? 'auto';
  if (broker !== 'auto' && broker !== 'mosquitto' && broker !== 'aedes') {
    throw new ServeOptionError(
      `OT_MQTT_BROKER=${JSON.stringify(broker)} is not allowed; allowed: auto, mosquitto, aedes`,
    );
  }
  return { port, wsPort, bindAddress, broker, runDir: values.get('OT_MQTT_RUN_DIR') };
}

function parsePort(name: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ServeOptionError(
      `${name}=${JSON.stringify(text)} is not a TCP port; allowed: an integer from 1 to 65535 (0: any free port)`,
    );
  }
  return port;
}

/** The `--help` text of the broker script. */
export function serveHelp(): string {
  const rows = SERVE_VARIABLES.map(
    (v) => `  ${`${v.name} / ${v.flag}`.padEnd(32)} ${v.description} (default: ${v.defaultText})`,
  );
  return [
    'Usage: npx nx serve broker [-- flags]   (or: node infra/mosquitto/dist/serve.js [flags])',
    '',
    'Starts an MQTT broker for development: Mosquitto with infra/mosquitto/config/mosquitto.conf when',
    'the binary is installed, otherwise an embedded broker (aedes). If an MQTT broker already answers',
    'on the port, says so and exits 0 (use that one); if something else holds it, exits 1.',
    '',
    'Settings (flag wins over environment variable):',
    ...rows,
    '',
  ].join('\n');
}
