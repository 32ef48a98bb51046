// Benchmark 6 (`npx nx run bench:bench -- --only=broker-config`): the settings of
// infra/mosquitto/config/mosquitto.conf against Mosquitto's defaults, side by side in the same run,
// on this machine. Figures quoted in docs/broker.md come from here.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { CONFIG_DIR, startMosquitto, type RunningMosquitto } from '@ot-mqtt/broker';
import { connectAsync, type MqttClient } from 'mqtt';
import type { BenchContext } from '../harness/bench-context.js';
import { finishRun, startRun, type GoalResult, type Row } from '../harness/report.js';
import { median, percentile } from '../harness/stats.js';
import { hold, waitFor } from '../harness/wait-for.js';

const OUR_CONFIG = join(CONFIG_DIR, 'mosquitto.conf');

async function configWithout(keys: readonly string[]): Promise<string> {
  const text = await readFile(OUR_CONFIG, 'utf8');
  const kept = text.split('\n').filter((l) => !keys.includes(l.trim().split(/\s+/)[0] ?? ''));
  const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-bench-'));
  await writeFile(join(dir, 'mosquitto.conf'), kept.join('\n'));
  return join(dir, 'mosquitto.conf');
}

/** Waits for `predicate` at most `timeoutMs`, then goes on either way (what is missing is counted). */
const until = (predicate: () => boolean, timeoutMs: number) =>
  waitFor(predicate, timeoutMs, 'a bounded wait', 10).catch(() => undefined);

/**
 * A subscriber that falls behind: its process stalls (GC, disk, a debugger) while the publisher
 * sends `count` QoS 1 messages as fast as the broker takes them. Without acknowledgements the
 * broker keeps at most `max_inflight_messages` in flight and queues the rest, up to its limit.
 */
async function stalledSubscriber(broker: RunningMosquitto, count: number) {
  const received = new Set<number>();
  const sub = await connectAsync(broker.url, {
    clientId: 'slow-historian',
    clean: false,
    reconnectPeriod: 0,
  });
  sub.on('message', (_t, payload) => received.add(payload.readUInt32BE(0)));
  await sub.subscribeAsync('plc/#', { qos: 1 });
  sub.stream.pause();
  const pub = await connectAsync(broker.url, { reconnectPeriod: 0 });
  const sends: Promise<unknown>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const p = Buffer.alloc(300);
    p.writeUInt32BE(i, 0);
    sends.push(pub.publishAsync('plc/bottlefiller/data', p, { qos: 1 }));
  }
  await Promise.all(sends);
  const publishMs = performance.now() - t0;
  sub.stream.resume();
  // A marker queues behind everything still held for the subscriber, once there is room again.
  await until(() => received.size > 0, 10_000);
  await pub.publishAsync('plc/marker', Buffer.from([0xff, 0xff, 0xff, 0xff]), { qos: 1 });
  await until(() => received.has(0xffffffff), 60_000);
  received.delete(0xffffffff);
  await Promise.all([sub.endAsync(true), pub.endAsync()]);
  return {
    rate: Math.round((count / publishMs) * 1000),
    delivered: received.size,
    lost: count - received.size,
  };
}

/** Publish→receive latency of QoS 0 messages at a fixed rate over TCP loopback. */
async function latency(
  broker: RunningMosquitto,
  size: number,
  ratePerSec: number,
  seconds: number,
) {
  const sub = await connectAsync(broker.url, { reconnectPeriod: 0 });
  const pub = await connectAsync(broker.url, { reconnectPeriod: 0 });
  // TCP_NODELAY on the client sockets too (issue 6): only the broker's setting differs.
  for (const c of [sub, pub]) (c.stream as Socket).setNoDelay(true);
  const samples: number[] = [];
  sub.on('message', (_t, payload) => samples.push(performance.now() - payload.readDoubleBE(0)));
  await sub.subscribeAsync('lat/#', { qos: 0 });
  const total = ratePerSec * seconds;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / ratePerSec;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const payload = Buffer.alloc(size);
    payload.writeDoubleBE(performance.now(), 0);
    pub.publish('lat/x', payload, { qos: 0 });
  }
  await until(() => samples.length >= total, 5_000);
  await Promise.all([sub.endAsync(true), pub.endAsync(true)]);
  samples.sort((a, b) => a - b);
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    received: samples.length,
    sent: total,
  };
}

/** Worst publish→receive round trip while Mosquitto autosaves a database of `queued` messages. */
async function saveStall(broker: RunningMosquitto, queued: number, seconds: number) {
  const parked = await connectAsync(broker.url, {
    clientId: 'parked',
    clean: false,
    reconnectPeriod: 0,
  });
  await parked.subscribeAsync('big/#', { qos: 1 });
  await parked.endAsync();
  const pub = await connectAsync(broker.url, { reconnectPeriod: 0 });
  const body = Buffer.alloc(800);
  for (let i = 0; i < queued; i += 5_000) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(queued, i + 5_000); j++)
      batch.push(pub.publishAsync('big/x', body, { qos: 1 }));
    await Promise.all(batch);
  }
  const probe: MqttClient = await connectAsync(broker.url, { reconnectPeriod: 0 });
  const rtts: number[] = [];
  probe.on('message', (_t, payload) => rtts.push(performance.now() - payload.readDoubleBE(0)));
  await probe.subscribeAsync('probe', { qos: 0 });
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const payload = Buffer.alloc(8);
    payload.writeDoubleBE(performance.now(), 0);
    probe.publish('probe', payload, { qos: 0 });
    await new Promise((r) => setTimeout(r, 10));
  }
  await hold(200); // the last probes' round trips
  await Promise.all([probe.endAsync(true), pub.endAsync(true)]);
  const log = await broker.readLog();
  rtts.sort((a, b) => a - b);
  return {
    saves: (log.match(/Saving in-memory database/g) ?? []).length,
    p50: percentile(rtts, 50),
    max: rtts[rtts.length - 1] ?? NaN,
  };
}

async function withBroker<T>(
  configFile: string,
  run: (b: RunningMosquitto) => Promise<T>,
): Promise<T> {
  const broker = await startMosquitto({ configFile });
  try {
    return await run(broker);
  } finally {
    await broker.kill();
  }
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const row = (measure: string, config: string, result: string): Row => ({ measure, config, result });

/** Benchmark 6: our Mosquitto settings against the broker's defaults, same run, same machine. */
export async function runBrokerConfig(ctx: BenchContext): Promise<string> {
  const run = startRun();
  const quick = ctx.smoke;
  const rows: Row[] = [];
  const results: Record<string, object & { lost?: number }> = {};

  const count = quick ? 3_000 : 20_000;
  const defaultsQueue = await configWithout(['max_queued_messages', 'max_queued_bytes']);
  for (const [name, file] of [
    ['Mosquitto defaults (max_queued_messages 1000)', defaultsQueue],
    ['our config (max_queued_messages 100000)', OUR_CONFIG],
  ] as const) {
    const r = await withBroker(file, (b) => stalledSubscriber(b, count));
    results[`slow-subscriber ${name}`] = r;
    rows.push(
      row(
        `stalled QoS 1 subscriber, ${count} × 300 B at ${r.rate} msg/s`,
        name,
        `${r.delivered} delivered, ${r.lost} lost (${((r.lost / count) * 100).toFixed(1)} %)`,
      ),
    );
  }

  // Latency is noisy on a shared machine: alternate the two configs over several rounds and keep the
  // median of each figure.
  const seconds = quick ? 1 : 3;
  const rounds = quick ? 1 : 3;
  const noNodelay = await configWithout(['set_tcp_nodelay']);
  for (const size of [200, 2048]) {
    const configs = [
      ['Mosquitto default (set_tcp_nodelay false)', noNodelay],
      ['our config (set_tcp_nodelay true)', OUR_CONFIG],
    ] as const;
    const runs = new Map<string, { p50: number; p99: number }[]>();
    for (let round = 0; round < rounds; round++) {
      for (const [name, file] of configs) {
        const r = await withBroker(file, (b) => latency(b, size, 1_000, seconds));
        runs.set(name, [...(runs.get(name) ?? []), r]);
      }
    }
    for (const [name] of configs) {
      const all = runs.get(name) ?? [];
      const r = {
        p50: median(all.map((x) => x.p50)),
        p99: median(all.map((x) => x.p99)),
        rounds: all,
      };
      results[`latency ${size} B ${name}`] = r;
      rows.push(
        row(
          `QoS 0 latency, ${size} B at 1,000 msg/s (median of ${rounds})`,
          name,
          `p50 ${ms(r.p50)}, p99 ${ms(r.p99)}`,
        ),
      );
    }
  }

  const queued = quick ? 5_000 : 100_000;
  for (const [name, extra] of [
    ['nothing queued', 0],
    [`${queued} × 800 B queued`, queued],
  ] as const) {
    const r = await withBroker(OUR_CONFIG, (b) => saveStall(b, extra, quick ? 6 : 12));
    results[`autosave ${name}`] = r;
    rows.push(
      row(
        `round trip while autosaving every 5 s`,
        name,
        `${r.saves} saves; p50 ${ms(r.p50)}, worst ${ms(r.max)}`,
      ),
    );
  }

  const lost = (name: string) => results[`slow-subscriber ${name}`]?.lost ?? Number.NaN;
  const ours = lost('our config (max_queued_messages 100000)');
  const goals: GoalResult[] = [
    {
      goal: 'a stalled QoS 1 subscriber loses no message under our config (the default queue of 1000 does)',
      measured: `${ours} lost (defaults: ${lost('Mosquitto defaults (max_queued_messages 1000)')})`,
      met: ours === 0,
    },
  ];
  return finishRun(ctx, run, {
    name: 'broker-config',
    title: "Benchmark 6 — broker config: infra/mosquitto's settings vs Mosquitto's defaults",
    brokerConfig: 'infra/mosquitto/config/mosquitto.conf, and a copy without the keys measured',
    brokerSettings: {},
    baseline: "Mosquitto's defaults: the project's config with the measured keys removed, same run",
    rows,
    goals,
    notes: [
      'Each figure from a fresh broker per config; latency alternates the two configs and keeps the median of the rounds.',
    ],
  });
}
