import { backoffDelay, DEFAULT_RECONNECT, type ReconnectOptions } from '@ot-mqtt/mqtt-client';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  mqtt: 1883,
  mqtts: 8883,
  ws: 80,
  wss: 443,
};

type Scheme = 'mqtt' | 'mqtts' | 'ws' | 'wss';

/** One failed attempt or lost connection, as {@link BrokerFailover.onRetry} reports it. */
export interface BrokerRetry {
  /** The node that failed or closed, `host:port`. */
  readonly broker: string;
  /** The connection had been up (CONNACK) before it closed; else the attempt failed. */
  readonly wasConnected: boolean;
  /** What mqtt.js reported for it, if anything. */
  readonly error: string | undefined;
  /** Milliseconds until the next attempt (on the next node of a list). */
  readonly delayMs: number;
}

/** Retry timing and reporting of {@link connectBrokers}. */
export interface BrokerFailover {
  /**
   * Backoff between attempts (default: mqtt-client's, starting at the mqtt.js `reconnectPeriod`
   * given, 1 s if none, and capped at 10 s). With several brokers the delay grows once per round
   * over all of them, so one dead node costs the initial delay, not a doubling.
   */
  readonly reconnect?: ReconnectOptions;
  /** Told of each failed attempt or lost connection, with the node: one log line per node. */
  readonly onRetry?: (retry: BrokerRetry) => void;
  /** Random source of the jitter, in [0, 1) (default `Math.random`); for tests. */
  readonly random?: () => number;
}

/**
 * Connects mqtt.js to `MQTT_URL` (as validated by config.ts: one URL or a comma-separated list).
 * A list becomes mqtt.js's `servers` option: the first URL is tried first, and every reconnect
 * moves on to the next one (wrapping around), so a dead cluster node is left at the next attempt.
 * mqtt.js takes one WebSocket path for every server, hence config.ts's rule that ws/wss entries
 * share theirs. mqtt.js retries at a fixed `reconnectPeriod`; here it grows by `failover`'s backoff
 * (reset by a CONNACK), and each failure is reported with its node.
 */
export function connectBrokers(
  mqttUrl: string,
  failover: BrokerFailover,
  options: IClientOptions,
): MqttClient {
  const urls = mqttUrl.split(',').map((u) => new URL(u));
  const client = urls.length === 1 ? mqtt.connect(mqttUrl, options) : connectList(urls, options);
  if (options.reconnectPeriod !== 0) backOff(client, urls.length, options, failover);
  return client;
}

function connectList(urls: readonly URL[], options: IClientOptions): MqttClient {
  const scheme = (u: URL) => u.protocol.replace(/:$/u, '') as Scheme;
  const web = urls.find((u) => scheme(u).startsWith('ws'));
  const client = mqtt.connect({
    ...options,
    servers: urls.map((u) => ({
      host: u.hostname.replace(/^\[(.*)\]$/u, '$1'),
      port: u.port === '' ? DEFAULT_PORTS[scheme(u)]! : Number(u.port),
      protocol: scheme(u),
    })),
    // mqtt.js drops `path` unless its top-level protocol is a WebSocket one; each server's own
    // protocol still decides how that server is reached.
    protocol: scheme(web ?? urls[0]!),
    ...(web ? { path: `${web.pathname}${web.search}` } : {}),
  });
  // mqtt.js's TLS transport fills `servername` (SNI and the certificate's host check) from the
  // first host and keeps it: cleared before each attempt, it is set from the host tried.
  if (options.servername === undefined)
    client.on('reconnect', () => delete (client.options as { servername?: string }).servername);
  return client;
}

/**
 * mqtt.js reads `options.reconnectPeriod` when a connection closes (or, on a CONNACK or keep-alive
 * timeout, just before) and retries after it. So the delay for the next failure is always set in
 * advance: after a close, the one after it; after a CONNACK, the first one again.
 */
function backOff(
  client: MqttClient,
  nodes: number,
  options: IClientOptions,
  failover: BrokerFailover,
): void {
  const timing = {
    ...DEFAULT_RECONNECT,
    initialDelayMs: options.reconnectPeriod ?? 1_000,
    maxDelayMs: 10_000,
    ...failover.reconnect,
  };
  let failures = 0;
  let connected = false;
  let lastError: string | undefined;
  const planNext = () => {
    const round = Math.ceil((failures + 1) / nodes);
    client.options.reconnectPeriod = Math.max(1, backoffDelay(round, timing, failover.random));
  };
  planNext();
  client.on('connect', () => {
    connected = true;
    failures = 0;
    planNext();
  });
  client.on('error', (error) => {
    lastError ??= error.message;
  });
  client.on('close', () => {
    if (client.disconnecting) return;
    failover.onRetry?.({
      broker: brokerOf(client),
      wasConnected: connected,
      error: lastError,
      delayMs: client.options.reconnectPeriod!,
    });
    connected = false;
    lastError = undefined;
    failures++;
    planNext();
  });
}

/** The broker a client is connected to (or last tried), for logs: `host:port`. */
export function brokerOf(client: MqttClient): string {
  const { hostname, host, port } = client.options;
  return `${hostname ?? host ?? '?'}:${port ?? '?'}`;
}
