// Gateway benchmarks (issue 11): end-to-end ingest (MQTT → committed, acknowledged) into SQLite
// and PostgreSQL beside a plain mqtt.js QoS 1 subscriber on the same broker (no database), and
// /latest p99 at 100 requests/s (autocannon) beside /healthz. `npx nx run gateway:bench`.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import mqtt from 'mqtt';
import { startMosquitto } from '@ot-mqtt/broker';
import { encodeScan } from '@ot-mqtt/tag-model';
import { parseConfig } from './config.js';
import { silent } from './api-test.test-helper.js';
import { someTags } from './gateway-process.test-helper.js';
import { startGateway, type Gateway } from './start-gateway.js';

const N = Number(process.env['BENCH_GATEWAY_SCANS'] ?? 10_000);
const MACHINES = 5_000;
const SUSTAINED_RATE = Number(process.env['BENCH_GATEWAY_RATE'] ?? 2_500);
const SUSTAINED_SECONDS = Number(process.env['BENCH_GATEWAY_SECONDS'] ?? 20);
const broker = await startMosquitto();
const dir = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
const lines: string[] = [];
const report = (l: string) => {
  lines.push(l);
  console.log(l);
};

async function publishAll(prefix: string): Promise<number> {
  const pub = await mqtt.connectAsync(broker.url, { clientId: `bench-pub-${prefix}`, clean: true });
  const start = Date.now() - 3_600_000;
  const payloads = Array.from({ length: N }, (_, n) =>
    encodeScan(someTags(n % 100), {
      machineId: `${prefix}-${n % MACHINES}`,
      sequence: Math.floor(n / MACHINES),
      timestamp: new Date(start + n),
      includeMachineLevel: true,
    }).find((m) => m.topic.endsWith('/data'))!,
  );
  const t0 = Date.now();
  const window = 200;
  for (let i = 0; i < payloads.length; i += window) {
    await Promise.all(
      payloads.slice(i, i + window).map((m) => pub.publishAsync(m.topic, m.payload, { qos: 1 })),
    );
  }
  await pub.endAsync();
  return t0;
}

/**
 * Sustained ingest: the fleet's rate (5,000 fillers at 2 s = 2,500 scans/s) published paced for
 * `seconds`; the gateway keeps up when its lag (age of the oldest uncommitted scan) stays flat and
 * everything is stored within a second or two of the last publish.
 */
async function sustained(gw: Gateway, prefix: string, rate: number, seconds: number) {
  const pub = await mqtt.connectAsync(broker.url, {
    clientId: `bench-pace-${prefix}`,
    clean: true,
  });
  const total = rate * seconds;
  const before = gw.queue.status().stored;
  const start = Date.now() - 3_600_000;
  const tick = 100;
  const perTick = (rate * tick) / 1000;
  let maxLagMs = 0;
  const lagProbe = setInterval(
    () => (maxLagMs = Math.max(maxLagMs, gw.queue.status().oldestHeldMs)),
    50,
  );
  const t0 = Date.now();
  let sent = 0;
  const inflight: Array<Promise<unknown>> = [];
  while (sent < total) {
    const due = Math.min(total, Math.round(((Date.now() - t0) / tick + 1) * perTick));
    for (; sent < due; sent++) {
      const m = encodeScan(someTags(sent % 100), {
        machineId: `${prefix}-${sent % MACHINES}`,
        sequence: Math.floor(sent / MACHINES),
        timestamp: new Date(start + sent),
        includeMachineLevel: true,
      }).find((x) => x.topic.endsWith('/data'))!;
      inflight.push(pub.publishAsync(m.topic, m.payload, { qos: 1 }));
    }
    await new Promise((r) => setTimeout(r, tick));
  }
  const publishedMs = Date.now() - t0;
  await Promise.all(inflight);
  await waitUntil(() => gw.queue.status().stored - before >= total);
  const drainMs = Date.now() - t0 - publishedMs;
  clearInterval(lagProbe);
  await pub.endAsync();
  report(
    `| ${prefix}: sustained ${rate} scans/s for ${seconds} s (published at ${Math.round((total / publishedMs) * 1000)}/s) | ${drainMs <= 2_000 ? 'kept up' : 'fell behind'}: all stored ${(drainMs / 1000).toFixed(1)} s after the last publish | max ingest lag ${(maxLagMs / 1000).toFixed(1)} s, longest commit so far ${gw.queue.status().longestCommitMs.toFixed(1)} ms |`,
  );
}

async function waitUntil(f: () => boolean, timeoutMs = 600_000) {
  const end = Date.now() + timeoutMs;
  while (!f()) {
    if (Date.now() > end) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function baselineSubscriber(): Promise<number> {
  const sub = await mqtt.connectAsync(broker.url, {
    clientId: 'bench-raw',
    clean: true,
    protocolVersion: 5,
  });
  let got = 0;
  sub.on('message', () => got++);
  await sub.subscribeAsync('$share/raw/plc/bottlefiller/+/data', { qos: 1 });
  const t0 = await publishAll('raw');
  await waitUntil(() => got >= N);
  const ms = Date.now() - t0;
  await sub.endAsync();
  return ms;
}

async function gatewayIngest(engine: string, db: string, connections: number): Promise<number> {
  const parsed = parseConfig(
    {
      MQTT_URL: broker.url,
      HISTORIAN_DB: db,
      GATEWAY_PORT: '0',
      MQTT_CLIENT_ID: `bench-${engine}-${connections}`,
      GATEWAY_SHARE_GROUP: `bench-${engine}-${connections}`,
      GATEWAY_INGEST_CONNECTIONS: String(connections),
    },
    [],
  );
  if (parsed.kind !== 'ok') throw new Error(JSON.stringify(parsed));
  const gw = await startGateway(parsed.config, silent);
  try {
    await waitUntil(() => gw.ingest.status().connected === connections, 30_000);
    await new Promise((r) => setTimeout(r, 500)); // subscriptions granted
    const t0 = await publishAll(`${engine}${connections}`);
    await waitUntil(() => gw.queue.status().stored >= N);
    const ms = Date.now() - t0;
    const q = gw.queue.status();
    report(
      `| ${engine}, ${connections} ingest connection(s) | ${Math.round((N / ms) * 1000)} scans/s | largest batch ${q.largestBatch}, ${q.batches} commits, longest commit ${q.longestCommitMs.toFixed(1)} ms |`,
    );
    if (connections === 4) {
      if (engine === 'SQLite') await latencyBench(gw.url, `${engine}4-0`, 'gateway idle');
      const latency =
        engine === 'SQLite'
          ? latencyBench(gw.url, `${engine}4-0`, `during the paced ${SUSTAINED_RATE} scans/s`)
          : undefined;
      await sustained(gw, `${engine}-paced`, SUSTAINED_RATE, SUSTAINED_SECONDS);
      await latency;
    }
    return ms;
  } finally {
    await gw.close();
  }
}

async function latencyBench(url: string, machine: string, during: string) {
  // Both at once, so the trivial /healthz shows what the machine alone adds to the tail.
  const run = (path: string) =>
    autocannon({ url: `${url}${path}`, connections: 4, overallRate: 100, duration: 10 });
  const [healthz, latest] = await Promise.all([
    run('/healthz'),
    run(`/api/machines/${machine}/latest`),
  ]);
  report(
    `| /latest at 100 req/s (autocannon, 10 s, ${during}) | p99 ${latest.latency.p99} ms, p50 ${latest.latency.p50} ms, ${latest.non2xx} non-2xx | /healthz at the same time, same rate: p99 ${healthz.latency.p99} ms, p50 ${healthz.latency.p50} ms |`,
  );
}

console.log(
  `gateway bench: ${N} scans over ${MACHINES} machines, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const rawMs = await baselineSubscriber();
report(
  `| baseline: plain mqtt.js QoS 1 subscriber (no database) | ${Math.round((N / rawMs) * 1000)} scans/s | |`,
);
const only = process.env['BENCH_ONLY']; // 'sqlite' or 'postgres' to run one engine
if (only !== 'postgres')
  for (const c of [1, 4, 16]) await gatewayIngest('SQLite', join(dir, `bench-${c}.sqlite`), c);
if (process.env['BENCH_PG_URL'] && only !== 'sqlite') {
  for (const c of [4, 16]) await gatewayIngest('PostgreSQL', process.env['BENCH_PG_URL'], c);
}
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
await broker.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
