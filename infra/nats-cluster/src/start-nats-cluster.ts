import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from '@ot-mqtt/broker';
import { freePorts } from './free-ports.js';
import { mqttAnswers } from './mqtt-answers.js';
import { natsNodeConfig, type NodePorts } from './node-config.js';

/** Where `nats-server` is looked for, in order (override with `NATS_SERVER_BIN`). */
export const NATS_SERVER_CANDIDATES = [
  '/usr/sbin/nats-server',
  '/usr/bin/nats-server',
  '/usr/local/bin/nats-server',
];

/** Path of the `nats-server` binary on this machine, or `undefined` when none is installed. */
export const findNatsServer = (): string | undefined =>
  findExecutable('NATS_SERVER_BIN', NATS_SERVER_CANDIDATES);

/** Options of {@link startNatsCluster}. */
export interface StartNatsClusterOptions {
  /** Nodes in the cluster (default 3: the smallest that keeps a JetStream quorum after one loss). */
  readonly nodes?: number;
  /** Address every listener binds to (default `127.0.0.1`). */
  readonly host?: string;
  /** MQTT port of each node, in node order (default: free ports). */
  readonly mqttPorts?: readonly number[];
  /** WebSocket port of each node, in node order (default: free ports). */
  readonly wsPorts?: readonly number[];
  /** Folder for configs, logs and JetStream data; kept on stop (default: a temp folder, removed). */
  readonly dataDir?: string;
  /** Name of the cluster (default `ot-mqtt`). */
  readonly clusterName?: string;
  /** How long to wait for every node's MQTT gateway to answer (default 30 s). */
  readonly startTimeoutMs?: number;
}

/** One node of a running cluster. */
export interface NatsNode {
  /** Server name (`n1`, `n2`, …). */
  readonly name: string;
  /** Its ports (fixed for its lifetime, also across restarts). */
  readonly ports: NodePorts;
  /** `mqtt://host:port`. */
  readonly mqttUrl: string;
  /** `ws://host:port/mqtt`. */
  readonly wsUrl: string;
  /** Its JetStream folder. */
  readonly storeDir: string;
  /** Its log file. */
  readonly logFile: string;
  /** Process id of the current process (changes on restart), or `undefined` while it is down. */
  readonly pid: number | undefined;
  /** SIGKILL, as a crash or power loss would; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts the node again on the same ports and folder and waits until its MQTT gateway answers. */
  restart(): Promise<void>;
}

/** A running cluster from {@link startNatsCluster}. */
export interface NatsCluster {
  /** The nodes, in order. */
  readonly nodes: readonly NatsNode[];
  /** Every node's MQTT URL, comma-separated: the value for an app's `MQTT_URL`. */
  readonly mqttUrlList: string;
  /** Folder holding every node's config, log and data. */
  readonly dataDir: string;
  /** Name of the node that leads the stream holding the MQTT messages, when there is one. */
  streamLeader(): Promise<string | undefined>;
  /** Stops every node (SIGTERM, then SIGKILL after 5 s) and removes a temp data folder. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

const until = async (what: string, timeoutMs: number, check: () => Promise<boolean>) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const healthy = async (httpPort: number, host: string): Promise<boolean> => {
  try {
    // js-server-only: NATS 2.9.10's full check reports the idle consumers of MQTT sessions "not
    // current" for minutes after a node restarts, although the node serves MQTT at once.
    const response = await fetch(`http://${host}:${httpPort}/healthz?js-server-only=true`, {
      signal: AbortSignal.timeout(2_000),
    });
    return response.ok;
  } catch {
    return false;
  }
};

/**
 * Starts a NATS cluster (default three nodes) whose MQTT gateway replicates sessions, QoS 1
 * messages and retained messages to every node, and resolves once each node's MQTT listener
 * answers a CONNECT.
 *
 * @example
 * ```ts
 * const cluster = await startNatsCluster();
 * // MQTT_URL=cluster.mqttUrlList for an agent; kill a node with cluster.nodes[0].kill()
 * await cluster.stop();
 * ```
 */
export async function startNatsCluster(
  options: StartNatsClusterOptions = {},
): Promise<NatsCluster> {
  const bin = findNatsServer();
  if (!bin) throw new Error('nats-server is not installed (apt-get install -y nats-server)');
  const count = options.nodes ?? 3;
  const host = options.host ?? '127.0.0.1';
  for (const [name, list] of [
    ['mqttPorts', options.mqttPorts],
    ['wsPorts', options.wsPorts],
  ] as const)
    if (list !== undefined && list.length !== count)
      throw new Error(`${name} must list ${count} ports (one per node), got ${list.length}`);
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'ot-mqtt-nats-')));
  const free = await freePorts(count * 5, host);
  const portsOf = (i: number): NodePorts => ({
    client: free[i * 5]!,
    http: free[i * 5 + 1]!,
    route: free[i * 5 + 2]!,
    mqtt: options.mqttPorts?.[i] ?? free[i * 5 + 3]!,
    ws: options.wsPorts?.[i] ?? free[i * 5 + 4]!,
  });
  const allPorts = Array.from({ length: count }, (_, i) => portsOf(i));
  const routes = allPorts.map((p) => `nats-route://${host}:${p.route}`);

  const nodes = await Promise.all(
    allPorts.map(async (ports, i) => {
      const name = `n${i + 1}`;
      const storeDir = join(dataDir, name);
      await mkdir(storeDir, { recursive: true });
      const configFile = join(dataDir, `${name}.conf`);
      const logFile = join(dataDir, `${name}.log`);
      const clusterName = options.clusterName ?? 'ot-mqtt';
      await writeFile(
        configFile,
        natsNodeConfig({ name, clusterName, host, ports, routes, storeDir }),
      );
      return createNode({ bin, name, host, ports, configFile, logFile, storeDir });
    }),
  );
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.all(nodes.map((node) => node.start()));
    await Promise.all(nodes.map((node) => node.ready(options.startTimeoutMs ?? 30_000)));
  } catch (error) {
    const logs = await Promise.all(
      nodes.map(
        async (n) =>
          `--- ${n.name}\n${(await readFile(n.logFile, 'utf8').catch(() => '')).slice(-1500)}`,
      ),
    );
    await stop();
    throw new Error(`${(error as Error).message}\n${logs.join('\n')}`);
  }
  return {
    nodes,
    mqttUrlList: nodes.map((n) => n.mqttUrl).join(','),
    dataDir,
    streamLeader: async () => {
      for (const node of nodes) {
        if (node.pid === undefined) continue;
        const leader = await msgsStreamLeader(host, node.ports.http);
        if (leader !== undefined) return leader;
      }
      return undefined;
    },
    stop,
  };
}

interface NodeSpec {
  readonly bin: string;
  readonly name: string;
  readonly host: string;
  readonly ports: NodePorts;
  readonly configFile: string;
  readonly logFile: string;
  readonly storeDir: string;
}

function createNode(spec: NodeSpec) {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const { host, ports } = spec;
  const start = async () => {
    const proc = spawn(spec.bin, ['-c', spec.configFile, '-l', spec.logFile], {
      stdio: 'ignore',
    });
    child = proc;
    running.add(proc);
    exited = new Promise((resolve) =>
      proc.once('exit', () => {
        running.delete(proc);
        if (child === proc) child = undefined;
        resolve();
      }),
    );
    await new Promise<void>((resolve, reject) => {
      proc.once('spawn', resolve);
      proc.once('error', reject);
    });
  };
  const ready = async (timeoutMs: number) => {
    await until(`node ${spec.name} did not report healthy`, timeoutMs, async () => {
      if (!child) throw new Error(`node ${spec.name} exited while starting (see ${spec.logFile})`);
      return healthy(ports.http, host);
    });
    await until(`node ${spec.name}'s MQTT gateway did not answer`, timeoutMs, () =>
      mqttAnswers(`mqtt://${host}:${ports.mqtt}`),
    );
  };
  const signal = async (sig: NodeJS.Signals) => {
    const proc = child;
    if (!proc) return;
    proc.kill(sig);
    await exited;
  };
  return {
    name: spec.name,
    ports,
    mqttUrl: `mqtt://${host}:${ports.mqtt}`,
    wsUrl: `ws://${host}:${ports.ws}/mqtt`,
    storeDir: spec.storeDir,
    logFile: spec.logFile,
    get pid() {
      return child?.pid;
    },
    start,
    ready,
    kill: () => signal('SIGKILL'),
    restart: async () => {
      if (child) throw new Error(`node ${spec.name} is running (pid ${child.pid})`);
      await start();
      await ready(60_000);
    },
    stop: async () => {
      const proc = child;
      if (!proc) return;
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await signal('SIGTERM');
      clearTimeout(timer);
    },
  };
}

/** The leader of `$MQTT_msgs` as one node's monitoring endpoint sees it. */
async function msgsStreamLeader(host: string, httpPort: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://${host}:${httpPort}/jsz?accounts=true&streams=true`, {
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await response.json()) as {
      account_details?: { stream_detail?: { name: string; cluster?: { leader?: string } }[] }[];
    };
    for (const account of body.account_details ?? [])
      for (const stream of account.stream_detail ?? [])
        if (stream.name === '$MQTT_msgs' && stream.cluster?.leader) return stream.cluster.leader;
  } catch {
    // a node that is going down or not up yet: ask the next one
  }
  return undefined;
}
