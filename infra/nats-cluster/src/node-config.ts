/** The TCP ports of one cluster node. */
export interface NodePorts {
  /** NATS clients (`nats://`); the MQTT gateway needs it even when nothing else uses it. */
  readonly client: number;
  /** HTTP monitoring (`/healthz`, `/jsz`): readiness and the stream leader come from here. */
  readonly http: number;
  /** Cluster routes between the nodes. */
  readonly route: number;
  /** MQTT 3.1.1 over TCP. */
  readonly mqtt: number;
  /** MQTT over WebSocket (path `/mqtt`, no TLS). */
  readonly ws: number;
}

/** Everything that differs between the nodes of one cluster, for {@link natsNodeConfig}. */
export interface NodeConfigOptions {
  /** Server name, unique in the cluster (JetStream and the MQTT gateway require one). */
  readonly name: string;
  /** Name of the cluster, the same on every node. */
  readonly clusterName: string;
  /** Address every listener binds to (default `127.0.0.1`). */
  readonly host?: string;
  /** This node's ports. */
  readonly ports: NodePorts;
  /** Route URLs of every node, this one included (`nats-route://host:port`). */
  readonly routes: readonly string[];
  /** JetStream's folder for this node: sessions, queued and retained messages live here. */
  readonly storeDir: string;
  /**
   * Replicas of the MQTT streams (default 3): with 3, a session, its queued QoS 1 messages and the
   * retained messages survive the loss of any one node.
   */
  readonly streamReplicas?: number;
}

const quote = (text: string): string => JSON.stringify(text);

/**
 * The `nats-server` configuration of one node of an MQTT cluster (NATS 2.9 syntax).
 *
 * The MQTT gateway of NATS stores sessions, QoS 1 messages and retained messages in JetStream
 * streams; `stream_replicas: 3` replicates them to every node of a three-node cluster, which is
 * what lets a persistent session reconnect to another node after its own died.
 *
 * @example
 * ```ts
 * const text = natsNodeConfig({
 *   name: 'n1',
 *   clusterName: 'ot-mqtt',
 *   ports: { client: 4222, http: 8222, route: 6222, mqtt: 1883, ws: 9001 },
 *   routes: ['nats-route://127.0.0.1:6222', 'nats-route://127.0.0.1:6223', 'nats-route://127.0.0.1:6224'],
 *   storeDir: '/var/lib/nats/n1',
 * });
 * ```
 */
export function natsNodeConfig(options: NodeConfigOptions): string {
  const host = options.host ?? '127.0.0.1';
  const { ports } = options;
  if (!/^[A-Za-z0-9_-]+$/u.test(options.name))
    throw new Error(`node name must be letters, digits, - or _, got ${quote(options.name)}`);
  for (const [which, port] of Object.entries(ports))
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`${which} port must be 1-65535, got ${String(port)}`);
  return [
    `# ot-mqtt cluster node ${options.name} (infra/nats-cluster, generated)`,
    `server_name: ${quote(options.name)}`,
    `listen: ${quote(`${host}:${ports.client}`)}`,
    `http: ${quote(`${host}:${ports.http}`)}`,
    `jetstream {`,
    `  store_dir: ${quote(options.storeDir)}`,
    `}`,
    `cluster {`,
    `  name: ${quote(options.clusterName)}`,
    `  listen: ${quote(`${host}:${ports.route}`)}`,
    `  routes: [`,
    ...options.routes.map((route) => `    ${quote(route)}`),
    `  ]`,
    `}`,
    `mqtt {`,
    `  listen: ${quote(`${host}:${ports.mqtt}`)}`,
    `  stream_replicas: ${options.streamReplicas ?? 3}`,
    `}`,
    // MQTT over WebSocket is served on the path /mqtt, as Mosquitto's and browsers' clients expect.
    `websocket {`,
    `  listen: ${quote(`${host}:${ports.ws}`)}`,
    `  no_tls: true`,
    `}`,
    '',
  ].join('\n');
}
