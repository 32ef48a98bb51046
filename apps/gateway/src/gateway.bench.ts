// Gateway benchmarks (issue 11): end-to-end ingest (MQTT → committed, acknowledged) into SQLite
// and PostgreSQL beside a plain mqtt.js QoS 1 subscriber on the same broker (no database), and
// /latest p99 at 100 requests/s beside /healthz, idle and during the fleet's ingest, with the load
// generators and the fleet's publisher in child processes. `npx nx run gateway:bench`.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import mqtt from 'mqtt';
import { startMosquitto } from '@ot-mqtt/broker';
import { encodeScan } from '@ot-mqtt/tag-model';
import type { LoadJob, PathLatency } from './bench-load.bench.js';
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

interface SustainedRun {
  /** Machine-id prefix of this run's scans (keeps runs apart in one database). */
  readonly prefix: string;
  /** Scans per second, published evenly paced by a child process. */
  readonly rate: number;
  readonly seconds: number;
  /** Also measure /latest and /healthz while it runs. */
  readonly latency: boolean;
}

/**
 * Sustained ingest: the fleet's rate (5,000 fillers at 2 s = 2,500 scans/s) published paced for
 * `seconds` by a child process; the gateway keeps up when its lag (age of the oldest uncommitted
 * scan) stays flat and everything is stored within a second or two of the last publish. With
 * `latency`, /latest and /healthz are measured while it runs.
 */
async function sustained(gw: Gateway, { prefix, rate, seconds, latency }: SustainedRun) {
  const total = rate * seconds;
  const before = gw.queue.status().stored;
  const cpu0 = cpuTicks();
  let maxLagMs = 0;
  const lagProbe = setInterval(
    () => (maxLagMs = Math.max(maxLagMs, gw.queue.status().oldestHeldMs)),
    50,
  );
  const published = load({
    kind: 'publish',
    brokerUrl: broker.url,
    prefix,
    rate,
    seconds,
  }) as Promise<{ total: number; publishedMs: number }>;
  if (latency) {
    // After 2 s of ingest, both load generators in turn, in the same ingest window.
    await new Promise((r) => setTimeout(r, 2_000));
    const each = Math.max(2, Math.floor((seconds - 4) / 2));
    await latencyBench(gw.url, `${prefix}-0`, `during the paced ${rate} scans/s`, each);
  }
  const { publishedMs } = await published;
  const t0 = Date.now();
  await waitUntil(() => gw.queue.status().stored - before >= total);
  const drainMs = Date.now() - t0;
  const cpu1 = cpuTicks();
  clearInterval(lagProbe);
  // CPU time per scan stored (10 ms ticks over the whole run, requests included when `latency`):
  // what each scan costs the HTTP thread, whatever the machine's load.
  const perScan = (ticks: number) => ((ticks * 10_000) / total).toFixed(0);
  report(
    `| ${prefix}: sustained ${rate} scans/s for ${seconds} s (published at ${Math.round((total / publishedMs) * 1000)}/s) | ${drainMs <= 2_000 ? 'kept up' : 'fell behind'}: all stored ${(drainMs / 1000).toFixed(1)} s after the last publish | max ingest lag ${(maxLagMs / 1000).toFixed(1)} s, longest commit so far ${gw.queue.status().longestCommitMs.toFixed(1)} ms; CPU per scan: HTTP thread ${perScan(cpu1.main - cpu0.main)} µs, whole process ${perScan(cpu1.process - cpu0.process)} µs |`,
  );
}

/** Runs bench-load.bench.ts in a child process and parses its one JSON line. */
async function load(job: LoadJob): Promise<unknown> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./bench-load.bench.ts', import.meta.url)),
      JSON.stringify(job),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`bench load ${job.kind} exited with ${code}`);
  return JSON.parse(out) as unknown;
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
      if (engine === 'SQLite') {
        await floorBench();
        await latencyBench(gw.url, `${engine}4-0`, 'gateway idle');
      }
      await sustained(gw, {
        prefix: `${engine}-paced`,
        rate: SUSTAINED_RATE,
        seconds: SUSTAINED_SECONDS,
        latency: engine === 'SQLite',
      });
    }
    return ms;
  } finally {
    await gw.close();
  }
}

const GOAL_P99_MS = 5;
const verdicts: string[] = [];
const LATENCY_RATE = 100;
const WARMUP_SECONDS = 1;
/** The floor rows' /latest p99 per generator, printed beside the gateway's verdicts. */
const floors: Record<'autocannon' | 'paced', string[]> = { autocannon: [], paced: [] };

/**
 * The floor, measured the same way in the same run: a bare `node:http` server and a bare Fastify
 * answering a constant on both paths, in this process (where the gateway's HTTP thread runs too),
 * while the gateway is up and idle. What they show is the machine's, the generators' and this
 * process's share of the tail; what the gateway adds is its rows minus these.
 */
async function floorBench() {
  const body = JSON.stringify({ status: 'ok' });
  const bare = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(body),
  );
  await new Promise<void>((ready) => bare.listen(0, '127.0.0.1', ready));
  const fastify = Fastify({ logger: false });
  fastify.get('/healthz', async () => ({ status: 'ok' }));
  fastify.get('/api/machines/:machineId/latest', async () => ({ status: 'ok' }));
  await fastify.listen({ host: '127.0.0.1', port: 0 });
  const urlOf = (server: http.Server) => {
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  };
  try {
    await latencyBench(urlOf(bare), 'floor', 'floor: bare node:http (constant)');
    await latencyBench(urlOf(fastify.server), 'floor', 'floor: bare Fastify (constant)');
  } finally {
    await fastify.close();
    await new Promise((closed) => bare.close(closed));
  }
}

/**
 * /latest and /healthz (which does nothing: what the process and machine alone add) at 100
 * requests/s each, from a child process: first autocannon, then an evenly paced open-loop
 * generator (bench-load.bench.ts says why both). Beside them, the gateway's own event-loop stalls
 * in the same window (a 1 ms timer's lateness): what a request can wait behind.
 */
async function latencyBench(url: string, machine: string, during: string, seconds = 10) {
  const paths = ['/healthz', `/api/machines/${machine}/latest`];
  for (const kind of ['autocannon', 'paced'] as const) {
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const cpu0 = cpuTicks();
    const t0 = Date.now();
    const [healthz, latest] = (await load({
      kind,
      url,
      paths,
      rate: LATENCY_RATE,
      seconds,
      warmupSeconds: WARMUP_SECONDS,
    })) as PathLatency[];
    loop.disable();
    const cpu = cpuShare(cpu0, cpuTicks(), Date.now() - t0);
    const stall = (ns: number) => Math.max(0, ns / 1e6 - 1).toFixed(1);
    const met = latest!.p99 <= GOAL_P99_MS && latest!.errors === 0;
    if (during.startsWith('floor')) floors[kind].push(`${during.slice(7)} ${latest!.p99} ms`);
    else
      verdicts.push(
        `${during}, ${kind}: /latest p99 ${latest!.p99} ms → ${met ? 'met' : 'not met'} (/healthz ${healthz!.p99} ms; idle floor, same run: ${floors[kind].join(', ') || 'not measured'})`,
      );
    const late =
      latest!.sentLateP99 === undefined
        ? ''
        : `; the generator's own lateness in it p99 ${latest!.sentLateP99} ms`;
    report(
      `| /latest at ${LATENCY_RATE} req/s, ${kind === 'paced' ? 'evenly paced open loop' : 'autocannon'}, ${seconds} s, ${during} (load ${loadAverage()}) | **p99 ${latest!.p99} ms** ${during.startsWith('floor') ? '(floor, no goal)' : `(goal ≤ ${GOAL_P99_MS} ms: ${met ? 'met' : 'not met'})`}, p50 ${latest!.p50} ms, max ${latest!.max} ms, ${latest!.errors} errors of ${latest!.requests} | /healthz same run: p99 ${healthz!.p99} ms, p50 ${healthz!.p50} ms${late}; ${WARMUP_SECONDS} s warm-up not counted; event loop of this process (the gateway's HTTP thread) stalled p99 ${stall(loop.percentile(99))} ms, max ${stall(loop.max)} ms; CPU of the HTTP thread ${cpu.main} %, of the whole gateway process ${cpu.process} % |`,
    );
  }
}

/**
 * CPU clock ticks (user + system) of this process and of its main thread — the one that answers
 * HTTP — from /proc (Linux; Node 20 has no per-thread CPU call). Unlike latencies, a thread's CPU
 * time hardly depends on how busy the rest of the machine is. Zeros elsewhere.
 */
function cpuTicks(): { process: number; main: number } {
  const ticks = (path: string) => {
    try {
      // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
      const rest = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
      return Number(rest[11]) + Number(rest[12]);
    } catch {
      return 0;
    }
  };
  return { process: ticks('/proc/self/stat'), main: ticks(`/proc/self/task/${process.pid}/stat`) };
}
/** CPU use between two {@link cpuTicks} over `ms`, in % of one core (100 ticks a second). */
const cpuShare = (a: ReturnType<typeof cpuTicks>, b: ReturnType<typeof cpuTicks>, ms: number) => ({
  main: Math.round(((b.main - a.main) * 10 * 100) / ms),
  process: Math.round(((b.process - a.process) * 10 * 100) / ms),
});

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

console.log(`gateway bench: ${N} scans over ${MACHINES} machines, load average ${loadAverage()}`);
const rawMs = await baselineSubscriber();
report(
  `| baseline: plain mqtt.js QoS 1 subscriber (no database) | ${Math.round((N / rawMs) * 1000)} scans/s | |`,
);
// 'sqlite' or 'postgres' to run one engine; 'latency' for SQLite with 4 connections only (the
// burst, the floor and /latest idle, the sustained run with /latest during it).
const only = process.env['BENCH_ONLY'];
if (only !== 'postgres')
  for (const c of only === 'latency' ? [4] : [1, 4, 16])
    await gatewayIngest('SQLite', join(dir, `bench-${c}.sqlite`), c);
if (process.env['BENCH_PG_URL'] && only !== 'sqlite' && only !== 'latency') {
  for (const c of [4, 16]) await gatewayIngest('PostgreSQL', process.env['BENCH_PG_URL'], c);
}
console.log(`load average after: ${loadAverage()}`);
if (verdicts.length > 0) {
  console.log(
    `/latest p99 goal (≤ ${GOAL_P99_MS} ms at ${LATENCY_RATE} req/s; must hold idle, reported during ingest):\n  ${verdicts.join('\n  ')}`,
  );
}
await broker.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
