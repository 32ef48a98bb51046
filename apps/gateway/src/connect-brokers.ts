import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  mqtt: 1883,
  mqtts: 8883,
  ws: 80,
  wss: 443,
};

type Scheme = 'mqtt' | 'mqtts' | 'ws' | 'wss';

/**
 * Connects mqtt.js to `MQTT_URL` (as validated by config.ts: one URL or a comma-separated list).
 * A list becomes mqtt.js's `servers` option: the first URL is tried first, and every reconnect
 * moves on to the next one (wrapping around), so a dead cluster node is left at the next attempt.
 * mqtt.js takes one WebSocket path for every server, hence config.ts's rule that ws/wss entries
 * share theirs.
 */
export function connectBrokers(mqttUrl: string, options: IClientOptions): MqttClient {
  const urls = mqttUrl.split(',').map((u) => new URL(u));
  if (urls.length === 1) return mqtt.connect(mqttUrl, options);
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

/** The broker a client is connected to (or last tried), for logs: `host:port`. */
export function brokerOf(client: MqttClient): string {
  const { hostname, host, port } = client.options;
  return `${hostname ?? host ?? '?'}:${port ?? '?'}`;
}
