import { parseArgs } from 'node:util';

/** Settings of `npx nx serve cluster`, from its command line. */
export interface ClusterServeOptions {
  /** MQTT port per node, or `undefined` for free ports. */
  readonly mqttPorts: readonly number[] | undefined;
  /** WebSocket port per node, or `undefined` for free ports. */
  readonly wsPorts: readonly number[] | undefined;
  /** Data folder (kept), or `undefined` for a temp folder removed on exit. */
  readonly dataDir: string | undefined;
  /** Address the listeners bind to. */
  readonly host: string;
}

/** A bad command-line option; the message names it. */
export class ClusterOptionError extends Error {
  override readonly name = 'ClusterOptionError';
}

/** The text `--help` prints. */
export function clusterServeHelp(): string {
  return `Usage: npx nx serve cluster [-- options]

Starts a three-node NATS cluster whose MQTT gateway replicates sessions, queued QoS 1 messages and
retained messages to every node, waits until every node answers MQTT, prints the MQTT_URL that
lists all nodes, and stops them all on Ctrl-C. Needs nats-server 2.9+ (apt-get install nats-server).

Options:
  --mqtt-ports A,B,C  MQTT (TCP) port of each node    (default: free ports)
  --ws-ports A,B,C    MQTT over WebSocket (path /mqtt) (default: free ports)
  --data-dir DIR      configs, logs and JetStream data, kept after exit
                      (default: a temp folder, removed on exit)
  --host ADDRESS      address every listener binds to  (default: 127.0.0.1)
  -h, --help          this text

The cluster speaks MQTT 3.1.1 only, QoS 0 and 1; no $share, no "." or space in topic levels
(docs/cluster.md).
`;
}

const portList = (option: string, text: string): number[] => {
  const parts = text.split(',').map((p) => p.trim());
  const ports = parts.map(Number);
  if (parts.length !== 3 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))
    throw new ClusterOptionError(
      `--${option} must be three TCP ports 1-65535, comma-separated, got ${JSON.stringify(text)}`,
    );
  if (new Set(ports).size !== 3)
    throw new ClusterOptionError(`--${option} lists a port twice: ${JSON.stringify(text)}`);
  return ports;
};

/**
 * Parses the command line of `npx nx serve cluster`.
 *
 * @throws {@link ClusterOptionError} naming the option that is wrong.
 * @example
 * ```ts
 * parseClusterServeOptions(['--mqtt-ports', '1883,1884,1885']).mqttPorts; // [1883, 1884, 1885]
 * ```
 */
export function parseClusterServeOptions(args: readonly string[]): ClusterServeOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        'mqtt-ports': { type: 'string' },
        'ws-ports': { type: 'string' },
        'data-dir': { type: 'string' },
        host: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ClusterOptionError((error as Error).message);
  }
  const mqttPorts =
    values['mqtt-ports'] === undefined ? undefined : portList('mqtt-ports', values['mqtt-ports']);
  const wsPorts =
    values['ws-ports'] === undefined ? undefined : portList('ws-ports', values['ws-ports']);
  const clash = mqttPorts?.find((p) => wsPorts?.includes(p));
  if (clash !== undefined)
    throw new ClusterOptionError(`--mqtt-ports and --ws-ports both list port ${clash}`);
  if (values['data-dir'] === '') throw new ClusterOptionError('--data-dir must not be empty');
  return { mqttPorts, wsPorts, dataDir: values['data-dir'], host: values.host ?? '127.0.0.1' };
}
