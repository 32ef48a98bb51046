// `npx nx run cluster:bench [-- --quick]`: the three-node NATS cluster against one Mosquitto in
// the same run, on this machine: QoS 1 throughput one publisher → one subscriber, the agent fleet's
// end-to-end latency at a 2 s interval, and failover time after kill -9 of the stream leader.
// Prints a table and writes reports/bench/cluster.json; docs/cluster.md quotes it.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { startMosquitto } from '@ot-mqtt/broker';
import { createMqttClient } from '@ot-mqtt/mqtt-client';
import { percentile } from '@ot-mqtt/scan-monitor';
import mqtt from 'mqtt';
import { appMain } from './app-process.test-helper.js';
import { startNatsCluster, type NatsCluster } from './start-nats-cluster.js';

const QUICK = process.argv.includes('--quick');
const WINDOW_MS = QUICK ? 2_000 : 10_000;
const FLEETS = QUICK ? [50] : [100, 500, 1000, 2000];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** QoS 1, 200-byte payloads, at most 100 unacknowledged: messages per second the subscriber got. */
async function throughput(pubUrl: string, subUrl: string): Promise<number> {
  const tag = Math.random().toString(36).slice(2, 8);
  const sub = await mqtt.connectAsync(subUrl, { clientId: `bench-sub-${tag}`, reconnectPeriod: 0 });
  const pub = await mqtt.connectAsync(pubUrl, { clientId: `bench-pub-${tag}`, reconnectPeriod: 0 });
  let received = 0;
  sub.on('message', () => received++);
  await sub.subscribeAsync(`bench/${tag}`, { qos: 1 });
  await pause(1_000); // NATS creates the subscription's JetStream consumer after SUBACK
  const payload = Buffer.alloc(200, 1);
  let stop = false;
  const worker = async () => {
    while (!stop) await pub.publishAsync(`bench/${tag}`, payload, { qos: 1 });
  };
  const workers = Array.from({ length: 100 }, worker);
  await pause(1_000); // warm-up
  const from = received;
  const t0 = performance.now();
  await pause(WINDOW_MS);
  const rate = ((received - from) * 1000) / (performance.now() - t0);
  stop = true;
  await Promise.all(workers);
  await Promise.all([pub.endAsync(), sub.endAsync()]);
  return Math.round(rate);
}

interface FleetCell {
  readonly fillers: number;
  readonly offered: number;
  readonly received: number;
  readonly p50: number;
  readonly p99: number;
}

/** The built agent with `fillers` fillers at 2 s; a subscriber on `subUrl` times every full scan. */
async function fleet(agentUrl: string, subUrl: string, fillers: number): Promise<FleetCell> {
  const root = `bench${fillers}${Math.random().toString(36).slice(2, 6)}`;
  const sub = await mqtt.connectAsync(subUrl, {
    clientId: `fleet-sub-${root}`,
    reconnectPeriod: 0,
  });
  const latencies: number[] = [];
  let counting = false;
  sub.on('message', (_t, payload) => {
    if (!counting) return;
    const ts = /"timestamp":"([^"]+)"/.exec(payload.toString())?.[1];
    if (ts) latencies.push(Date.now() - Date.parse(ts));
  });
  await sub.subscribeAsync(`${root}/+/data`, { qos: 1 });
  await pause(1_000);
  const agent = spawn(process.execPath, [appMain('agent')], {
    env: { ...process.env, MQTT_URL: agentUrl, FILLER_COUNT: String(fillers), TOPIC_ROOT: root },
    stdio: 'ignore',
  });
  await pause(4_000); // connect, first interval
  counting = true;
  await pause(WINDOW_MS);
  counting = false;
  await new Promise((r) => {
    agent.once('exit', r);
    agent.kill('SIGTERM');
  });
  await sub.endAsync();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    fillers,
    offered: Math.round((fillers * WINDOW_MS) / 2_000),
    received: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/**
 * Publisher (ot-mqtt's client, every node in `urls`) on the stream leader's node at 50 msg/s,
 * subscriber on another node; kill -9 the leader. Gaps: the subscriber's (last arrival before the
 * kill → first arrival of a message sent after it) and the publisher's (kill → first PUBACK).
 */
async function failover(cluster: NatsCluster) {
  const leaderName = (await cluster.streamLeader()) ?? 'n1';
  const leader = cluster.nodes.findIndex((n) => n.name === leaderName);
  const client = (first: number, clientId: string) =>
    createMqttClient({
      urls: cluster.nodes.map((_, i) => cluster.nodes[(first + i) % 3]!.mqttUrl),
      clientId,
      clean: false,
      keepaliveSeconds: 5,
      connectTimeoutMs: 2_000,
      reconnect: { initialDelayMs: 100, maxDelayMs: 1_000 },
    });
  const sub = client(leader + 1, 'fo-sub');
  const pub = client(leader, 'fo-pub');
  const arrivals = new Map<number, number>();
  sub.observe('failover/x', { qos: 1 }).subscribe((m) => {
    const n = Number(new TextDecoder().decode(m.payload));
    if (!arrivals.has(n)) arrivals.set(n, performance.now());
  });
  while (arrivals.size === 0) {
    await pub.publish('failover/x', '-1', { qos: 1 });
    await pause(200);
  }
  let seq = 0;
  const acked = new Map<number, number>();
  const sends: Promise<void>[] = [];
  const timer = setInterval(() => {
    const n = seq++;
    sends.push(
      pub
        .publish('failover/x', String(n), { qos: 1 })
        .then(() => void acked.set(n, performance.now())),
    );
  }, 20);
  await pause(2_000);
  const killedAt = performance.now();
  const sentAtKill = seq;
  await cluster.nodes[leader]!.kill();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !arrivals.has(sentAtKill + 5)) await pause(50);
  await pause(1_000);
  clearInterval(timer);
  await Promise.allSettled(sends);
  const all = Date.now() + 30_000;
  while (Date.now() < all && [...acked.keys()].some((n) => !arrivals.has(n))) await pause(100);
  const lastBefore = Math.max(...[...arrivals.values()].filter((t) => t <= killedAt));
  const after = (m: Map<number, number>) =>
    Math.min(...[...m.entries()].filter(([n]) => n >= sentAtKill).map(([, t]) => t));
  const result = {
    leader: leaderName,
    subscriberGapMs: Math.round(after(arrivals) - lastBefore),
    publisherAckGapMs: Math.round(after(acked) - killedAt),
    sent: seq,
    lost: [...acked.keys()].filter((n) => !arrivals.has(n)).length + (seq - acked.size),
  };
  await Promise.all([sub.close({ timeoutMs: 500 }), pub.close({ timeoutMs: 500 })]);
  await cluster.nodes[leader]!.restart();
  return result;
}

const rows: Record<string, unknown>[] = [];
console.log(`cluster bench (${QUICK ? 'quick' : 'full'}), load average ${load()}`);
const mosquitto = await startMosquitto({ persistence: false });
const cluster = await startNatsCluster();
try {
  const [n1, n2] = cluster.nodes;
  // Fleets first: the throughput test leaves the cluster replicating and purging a backlog.
  for (const fillers of FLEETS) {
    const m = await fleet(mosquitto.url, mosquitto.url, fillers);
    const c = await fleet(cluster.mqttUrlList, n2!.mqttUrl, fillers);
    rows.push({ bench: 'fleet at 2 s', mosquitto: m, cluster: c, load: load() });
    console.log(
      `fleet ${fillers} fillers at 2 s, ${m.offered} full scans offered: Mosquitto received ${m.received} p50 ${m.p50} ms p99 ${m.p99} ms | cluster received ${c.received} p50 ${c.p50} ms p99 ${c.p99} ms  [load ${load()}]`,
    );
  }
  const single = await throughput(mosquitto.url, mosquitto.url);
  const clustered = await throughput(n1!.mqttUrl, n2!.mqttUrl);
  rows.push({
    bench: 'qos1 throughput msg/s',
    mosquitto: single,
    cluster: clustered,
    load: load(),
  });
  console.log(
    `QoS 1 one pub → one sub, 200 B, ≤100 in flight: Mosquitto ${single} msg/s, cluster (pub n1 → sub n2) ${clustered} msg/s  [load ${load()}]`,
  );
  const f = await failover(cluster);
  rows.push({ bench: 'failover', ...f, load: load() });
  console.log(
    `kill -9 of stream leader ${f.leader}: subscriber gap ${f.subscriberGapMs} ms, first PUBACK after the kill ${f.publisherAckGapMs} ms, ${f.sent} sent, lost ${f.lost}  [load ${load()}]`,
  );
} finally {
  await cluster.stop();
  await mosquitto.stop();
}
const out = resolve(process.cwd(), 'reports', 'bench');
await mkdir(out, { recursive: true });
await writeFile(resolve(out, 'cluster.json'), JSON.stringify({ quick: QUICK, rows }, null, 2));
