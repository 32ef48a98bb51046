import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startEmbeddedBroker } from './embedded-broker.js';
import { freePort } from './free-port.js';
import { probeMqtt } from './probe-mqtt.js';
import type { ServeOptions } from './serve-options.js';
import { CONFIG_DIR, findMosquitto, startMosquitto } from './start-mosquitto.js';
import { canConnect } from './wait-for-port.js';

/** Where `npx nx serve broker` keeps Mosquitto's adapted config, data and log: `infra/mosquitto/run`. */
export const DEFAULT_RUN_DIR = resolve(CONFIG_DIR, '..', 'run');

/** The broker {@link serveBroker} found or started. */
export type ServedBroker =
  | {
      /** An MQTT broker already answered on the port; nothing was started. */
      readonly kind: 'existing';
      /** `mqtt://host:port` of that broker. */
      readonly url: string;
      /** Nothing to stop: resolves at once. */
      stop(): Promise<void>;
    }
  | {
      /** Mosquitto started from its binary with `config/mosquitto.conf`. */
      readonly kind: 'mosquitto';
      /** `mqtt://host:port`. */
      readonly url: string;
      /** `ws://host:port`. */
      readonly wsUrl: string;
      /** Process id of the Mosquitto child. */
      readonly pid: number;
      /** `mosquitto version 2.0.11`, as the binary reports itself. */
      readonly version: string;
      /** Path of the binary. */
      readonly binary: string;
      /** Mosquitto's log file. */
      readonly logFile: string;
      /** Run directory (adapted config, `data/`). */
      readonly runDir: string;
      /** Settles when Mosquitto ends (also when it dies on its own). */
      readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
      /** SIGTERM: Mosquitto saves its database and exits. */
      stop(): Promise<void>;
    }
  | {
      /** The embedded aedes broker, in this process. */
      readonly kind: 'aedes';
      /** `mqtt://host:port`. */
      readonly url: string;
      /** `ws://host:port`. */
      readonly wsUrl: string;
      /** aedes version. */
      readonly version: string;
      /** Why not Mosquitto: asked for with `OT_MQTT_BROKER=aedes`, or no binary found. */
      readonly reason: 'asked' | 'no-mosquitto';
      /** Closes the listeners and every connection. */
      stop(): Promise<void>;
    };

/** The port is held by something that is not an MQTT broker, or the binary asked for is missing. */
export class BrokerStartError extends Error {
  override readonly name = 'BrokerStartError';
}

/**
 * Makes sure an MQTT broker answers on `options.port`: reuses one that already does (probed with
 * a real CONNECT/CONNACK), else starts Mosquitto with the development config, else (no binary,
 * or `broker: 'aedes'`) the embedded aedes broker — with a TCP and a WebSocket listener.
 * Throws {@link BrokerStartError} when a non-MQTT program holds a port. With `{ detached: true }`,
 * Mosquitto runs in its own process group (a terminal's Ctrl-C does not reach it directly).
 *
 * @example
 * ```ts
 * const broker = await serveBroker(parseServeOptions(process.env));
 * console.log(describeBroker(broker));
 * process.once('SIGINT', () => void broker.stop());
 * ```
 */
export async function serveBroker(
  options: ServeOptions,
  how: { readonly detached?: boolean } = {},
): Promise<ServedBroker> {
  const host = probeHostFor(options.bindAddress);
  if (options.port !== 0) {
    const occupant = await probeMqtt(options.port, { host });
    if (occupant === 'mqtt') {
      return { kind: 'existing', url: `mqtt://${host}:${options.port}`, stop: async () => {} };
    }
    if (occupant === 'other') {
      throw new BrokerStartError(
        `port ${options.port} on ${host} is held by a program that is not an MQTT broker (it did not answer an MQTT CONNECT with a CONNACK). ` +
          `Find it with \`ss -ltnp | grep ':${options.port} '\`, stop it, or move the broker: MQTT_BROKER_PORT=<port> npx nx serve broker`,
      );
    }
  }
  if (options.wsPort !== 0 && (await canConnect(options.wsPort, host))) {
    throw new BrokerStartError(
      `port ${options.wsPort} on ${host} (MQTT over WebSockets) is already in use by another program. ` +
        `Find it with \`ss -ltnp | grep ':${options.wsPort} '\`, or move the listener: MQTT_WS_PORT=<port> npx nx serve broker`,
    );
  }
  const binary = options.broker === 'aedes' ? undefined : findMosquitto();
  if (options.broker === 'mosquitto' && !binary) {
    throw new BrokerStartError(
      'OT_MQTT_BROKER=mosquitto but no Mosquitto binary was found (looked in /usr/sbin, /usr/local/sbin, /usr/bin, /opt/homebrew/sbin and MOSQUITTO_BIN). ' +
        'Install it (apt-get install mosquitto / brew install mosquitto) or use OT_MQTT_BROKER=auto',
    );
  }
  if (!binary) {
    const embedded = await startEmbeddedBroker({
      port: options.port,
      wsPort: options.wsPort,
      host: options.bindAddress,
    });
    return {
      kind: 'aedes',
      url: embedded.url,
      wsUrl: embedded.wsUrl,
      version: aedesVersion(),
      reason: options.broker === 'aedes' ? 'asked' : 'no-mosquitto',
      stop: () => embedded.close(),
    };
  }
  const port = options.port === 0 ? await freePort(host) : options.port;
  const wsPort = options.wsPort === 0 ? await freePort(host) : options.wsPort;
  const mosquitto = await startMosquitto({
    runDir: options.runDir ?? DEFAULT_RUN_DIR,
    ports: { 1883: port, 9001: wsPort },
    bindAddress: options.bindAddress,
    ...(how.detached === undefined ? {} : { detached: how.detached }),
  });
  return {
    kind: 'mosquitto',
    url: mosquitto.url,
    wsUrl: mosquitto.wsUrl ?? `ws://${host}:${wsPort}`,
    pid: mosquitto.pid,
    version: mosquittoVersion(binary),
    binary,
    logFile: mosquitto.logFile,
    runDir: mosquitto.runDir,
    exited: mosquitto.exited,
    stop: () => mosquitto.stop(),
  };
}

/** The one-line notice saying which broker runs (or is reused) and where. */
export function describeBroker(broker: ServedBroker): string {
  switch (broker.kind) {
    case 'existing':
      return `broker: an MQTT broker already answers on ${broker.url}; using it (not starting another)`;
    case 'mosquitto':
      return `broker: ${broker.version} (${broker.binary}, pid ${broker.pid}) with infra/mosquitto/config/mosquitto.conf on ${broker.url} and ${broker.wsUrl}; log ${shown(broker.logFile)}, data ${shown(join(broker.runDir, 'data'))}/`;
    case 'aedes':
      return `broker: embedded aedes ${broker.version} on ${broker.url} and ${broker.wsUrl} (${broker.reason === 'asked' ? 'OT_MQTT_BROKER=aedes' : 'Mosquitto is not installed'}; in memory: nothing survives a restart)`;
  }
}

function probeHostFor(bindAddress: string): string {
  if (bindAddress === '0.0.0.0') return '127.0.0.1';
  if (bindAddress === '::') return '::1';
  return bindAddress;
}

function shown(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd.startsWith('..') ? path : fromCwd;
}

function mosquittoVersion(binary: string): string {
  // `mosquitto -h` prints "mosquitto version 2.0.11" first and exits 3: read it either way.
  const { stdout } = spawnSync(binary, ['-h'], { encoding: 'utf8', timeout: 5_000 });
  return /mosquitto version [\w.]+/.exec(stdout ?? '')?.[0] ?? 'mosquitto';
}

function aedesVersion(): string {
  try {
    const url = new URL('package.json', import.meta.resolve('aedes'));
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: string };
    return pkg.version ?? '';
  } catch {
    return '';
  }
}
