import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appMain, startApp, type AppProcess } from './app-process.test-helper.js';
import { freePorts } from './free-ports.js';
import { createSequenceLog, type SequenceLog } from './sequence-log.test-helper.js';
import { findNatsServer, startNatsCluster, type NatsCluster } from './start-nats-cluster.js';

const built = existsSync(appMain('agent')) && existsSync(appMain('viewer'));
const available = findNatsServer() !== undefined && built;
if (!available)
  console.warn(
    'apps-on-cluster: skipped, needs nats-server and the built agent and viewer (npx nx run-many -t build -p agent viewer)',
  );

let cluster: NatsCluster;
const apps: AppProcess[] = [];
beforeAll(async () => {
  if (available) cluster = await startNatsCluster();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.kill()));
});
afterAll(async () => {
  await cluster?.stop();
});

/** `MQTT_URL` listing every node, starting with node `first`. */
const urlList = (first: number): string =>
  cluster.nodes.map((_, i) => cluster.nodes[(first + i) % cluster.nodes.length]!.mqttUrl).join(',');

const app = (...args: Parameters<typeof startApp>) => {
  const started = startApp(...args);
  apps.push(started);
  return started;
};

/** The viewer's NDJSON data records, by machine: sequence numbers with duplicates removed. */
const scansByMachine = (viewer: AppProcess): Map<string, SequenceLog> => {
  const byMachine = new Map<string, SequenceLog>();
  for (const line of viewer.stdout) {
    if (!line.startsWith('{')) continue;
    const record = JSON.parse(line) as { kind?: string; machineId?: string; sequence?: number };
    if (record.kind !== 'data' || record.machineId == null || record.sequence == null) continue;
    let log = byMachine.get(record.machineId);
    if (!log) byMachine.set(record.machineId, (log = createSequenceLog()));
    log.add(record.sequence);
  }
  return byMachine;
};

const lastSequence = (log: SequenceLog | undefined): number => {
  if (!log) return -1;
  let n = log.distinct;
  while (log.arrivedAt(n) !== undefined) n++;
  return n - 1;
};

const highestSequence = (log: SequenceLog): number => {
  let n = lastSequence(log);
  for (let seq = n + 1; seq < n + 10_000; seq++) if (log.arrivedAt(seq) !== undefined) n = seq;
  return n;
};

const summaryOf = (agent: AppProcess): string =>
  [...agent.stdout, ...agent.stderr].filter((l) => l.includes(' summary ')).at(-1) ?? '';

describe.skipIf(!available)('agent and viewer on the three-node NATS cluster', () => {
  afterEach((context) => {
    if (context.task.result?.state === 'fail')
      for (const a of apps) console.log(`pid ${a.pid} stderr:\n${a.stderr.slice(-30).join('\n')}`);
  });

  it('a viewer asked for a shared subscription says at start that the NATS cluster will deliver nothing to it', async () => {
    const viewer = app('viewer', {
      MQTT_URL: urlList(1),
      VIEWER_TOPIC: '$share/historians/plc/bottlefiller/#',
      VIEWER_STATS_INTERVAL: '0',
    });
    await vi.waitFor(
      () => expect(viewer.stderr.join('\n')).toMatch(/VIEWER_TOPIC=.*\$share.*never delivers/),
      { timeout: 20_000, interval: 100 },
    );
  });

  it.skipIf(!existsSync(appMain('gateway')))(
    'the gateway with its NATS profile (MQTT 3.1.1, no share group) on node 3 stores the scans an agent publishes on node 1',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ot-mqtt-cluster-gateway-'));
      const port = await freePorts(1).then(([p]) => p!);
      try {
        app('gateway', {
          MQTT_URL: cluster.nodes[2]!.mqttUrl,
          MQTT_PROTOCOL_VERSION: '4',
          GATEWAY_SHARE_GROUP: 'none',
          HISTORIAN_DB: join(dir, 'historian.sqlite'),
          GATEWAY_PORT: String(port),
        });
        app('agent', { MQTT_URL: urlList(0), PUBLISH_INTERVAL: '0.5', MACHINE_ID: 'gw-filler' });
        await vi.waitFor(
          async () => {
            const response = await fetch(`http://127.0.0.1:${port}/api/machines`);
            expect(await response.text()).toContain('gw-filler');
          },
          { timeout: 60_000, interval: 500 },
        );
      } finally {
        await Promise.all(apps.splice(0).map((a) => a.kill()));
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('an agent fleet sharded over nodes 1 and 3, a viewer on node 2: kill -9 the agent’s node, then (healed) the viewer’s — every scan of every machine arrives, none lost', async () => {
    const viewer = app(
      'viewer',
      {
        MQTT_URL: urlList(1),
        MQTT_CLIENT_ID: 'cluster-viewer',
        VIEWER_STATS_INTERVAL: '0',
        MQTT_KEEPALIVE: '5',
      },
      ['--ndjson'],
    );
    // Its subscription is live once a probe comes through (SUBACK alone is early on NATS).
    const probe = await mqtt.connectAsync(cluster.nodes[2]!.mqttUrl, {
      clientId: 'probe',
      reconnectPeriod: 0,
    });
    await vi.waitFor(
      async () => {
        await probe.publishAsync('plc/bottlefiller/probe', 'probe', { qos: 1 });
        expect(viewer.stdout.some((line) => line.includes('plc/bottlefiller/probe'))).toBe(true);
      },
      { timeout: 30_000, interval: 500 },
    );
    await probe.endAsync();
    const fleet = {
      FILLER_COUNT: '4',
      PUBLISH_INTERVAL: '0.2',
      MQTT_KEEPALIVE: '5',
      LOG_LEVEL: 'debug', // logs each dropped message, should there be one
      // The stop's last messages are the retained `offline` announcements; NATS stores each in its
      // retained stream before the PUBACK, which stalls for seconds while a killed node's streams
      // elect new leaders. The default 5 s would give them up (as dropped) in such a stall.
      SHUTDOWN_TIMEOUT: '20',
    };
    const first = app('agent', { ...fleet, MQTT_URL: urlList(0), FILLER_SHARD: '0/2' });
    const second = app('agent', { ...fleet, MQTT_URL: urlList(2), FILLER_SHARD: '1/2' });
    const everyMachineBeyond = (n: number) => () => {
      const scans = scansByMachine(viewer);
      expect([...scans.keys()].sort()).toEqual([
        'filler-0001',
        'filler-0002',
        'filler-0003',
        'filler-0004',
      ]);
      for (const log of scans.values()) expect(lastSequence(log)).toBeGreaterThan(n);
    };
    await vi.waitFor(everyMachineBeyond(10), { timeout: 60_000, interval: 200 });
    // The agent on node 1 saw it go: its commands connection never worked (MQTT 5), said once.
    expect(first.stderr.join('\n')).toContain('commands unavailable: the broker refuses MQTT 5');

    await cluster.nodes[0]!.kill();
    const atKill = Math.max(...[...scansByMachine(viewer).values()].map(lastSequence));
    await vi.waitFor(everyMachineBeyond(atKill + 20), { timeout: 60_000, interval: 200 });
    await cluster.nodes[0]!.restart();
    await cluster.nodes[1]!.kill();
    const atSecondKill = Math.max(...[...scansByMachine(viewer).values()].map(lastSequence));
    await vi.waitFor(everyMachineBeyond(atSecondKill + 20), { timeout: 60_000, interval: 200 });

    // Graceful stops flush the agents' outboxes; then the viewer must hold every sequence number.
    expect(await first.stop()).toBe(0);
    expect(await second.stop()).toBe(0);
    // Nothing given up either: a write cut by kill -9 is re-sent on the next node (at least once),
    // never counted as dropped. A drop is logged (debug) with its topic and reason: shown if any.
    for (const agent of [first, second]) {
      console.log(`apps-on-cluster agent summary: ${summaryOf(agent)}`);
      const drops = [...agent.stdout, ...agent.stderr].filter((l) => l.includes('message dropped'));
      expect({ summary: summaryOf(agent), drops }).toMatchObject({
        summary: expect.stringMatching(/failed=0 dropped=0 /),
        drops: [],
      });
    }
    await vi.waitFor(
      () => {
        for (const [machine, log] of scansByMachine(viewer)) {
          const highest = highestSequence(log);
          expect({ machine, missing: log.missing(highest + 1) }).toEqual({ machine, missing: [] });
        }
      },
      { timeout: 30_000, interval: 200 },
    );
    const totals = [...scansByMachine(viewer).values()];
    console.log(
      `apps-on-cluster: ${totals.reduce((n, l) => n + l.distinct, 0)} scans of 4 machines across two node kills, none lost, ${totals.reduce((n, l) => n + l.duplicates, 0)} duplicates removed by sequence`,
    );
    await cluster.nodes[1]!.restart();
  });
});
