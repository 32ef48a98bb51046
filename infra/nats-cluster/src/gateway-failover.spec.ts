import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appMain, startApp, type AppProcess } from './app-process.test-helper.js';
import { freePorts } from './free-ports.js';
import { findNatsServer, startNatsCluster, type NatsCluster } from './start-nats-cluster.js';

const available =
  findNatsServer() !== undefined && existsSync(appMain('agent')) && existsSync(appMain('gateway'));
if (!available)
  console.warn(
    'gateway-failover: skipped, needs nats-server and the built agent and gateway (npx nx run-many -t build -p agent gateway)',
  );

// A cluster of its own: this test kills a node, which must not disturb the other cluster specs.
let cluster: NatsCluster;
let dir: string;
const apps: AppProcess[] = [];
beforeAll(async () => {
  if (!available) return;
  cluster = await startNatsCluster();
  dir = mkdtempSync(join(tmpdir(), 'ot-mqtt-gateway-failover-'));
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.kill()));
});
afterAll(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The `broker=host:port` of the gateway's newest `ingest connected` log line (stdout). */
const ingestBroker = (gateway: AppProcess): string | undefined =>
  gateway.stdout
    .findLast((line) => line.includes('ingest connected'))
    ?.match(/ broker=(\S+)/u)?.[1];

describe.skipIf(!available)('the gateway on the three-node NATS cluster', () => {
  afterEach((context) => {
    if (context.task.result?.state === 'fail')
      for (const a of apps)
        console.log(`pid ${a.pid}:\n${[...a.stdout, ...a.stderr].slice(-40).join('\n')}`);
  });

  it('with MQTT_URL listing every node it starts on the first, and after a kill -9 of that node reconnects to another and keeps storing scans', async () => {
    const port = await freePorts(1).then(([p]) => p!);
    const gateway = startApp('gateway', {
      MQTT_URL: cluster.mqttUrlList,
      MQTT_PROTOCOL_VERSION: '4',
      GATEWAY_SHARE_GROUP: 'none',
      MQTT_CLIENT_ID: 'failover-gateway',
      HISTORIAN_DB: join(dir, 'historian.sqlite'),
      GATEWAY_PORT: String(port),
    });
    apps.push(gateway);
    // The agent on node 3, listed first, so the kill of node 1 leaves it alone.
    const [n1, n2, n3] = cluster.nodes;
    const agentUrls = [n3!, n1!, n2!].map((n) => n.mqttUrl).join(',');
    apps.push(
      startApp('agent', {
        MQTT_URL: agentUrls,
        PUBLISH_INTERVAL: '0.2',
        MACHINE_ID: 'gw-failover',
      }),
    );
    const latest = async (): Promise<number> => {
      const response = await fetch(`http://127.0.0.1:${port}/api/machines/gw-failover/latest`);
      if (response.status !== 200) return -1;
      return ((await response.json()) as { sequence: number }).sequence;
    };

    await expect.poll(latest, { timeout: 60_000, interval: 250 }).toBeGreaterThan(5);
    const first = new URL(n1!.mqttUrl);
    expect(ingestBroker(gateway)).toBe(`${first.hostname}:${first.port}`);

    await n1!.kill();
    const atKill = await latest();
    const others = [n2!, n3!].map((n) => new URL(n.mqttUrl)).map((u) => `${u.hostname}:${u.port}`);
    await expect
      .poll(() => ingestBroker(gateway), { timeout: 60_000, interval: 250 })
      .toBeOneOf(others);
    await expect.poll(latest, { timeout: 60_000, interval: 250 }).toBeGreaterThan(atKill + 10);
    // One line per failure, naming the node: the lost one, with the backoff before the next try.
    expect(gateway.stderr.join('\n')).toMatch(
      new RegExp(
        `ingest disconnected: reconnecting .*broker=${first.hostname}:${first.port} .*retryInMs=\\d+`,
      ),
    );
    await n1!.restart();
  });
});
