import { startBenchBroker } from '../harness/bench-broker.js';
import { envNumber, type BenchContext } from '../harness/bench-context.js';
import { openCpuWindow } from '../harness/proc-stats.js';
import { finishRun, startRun, type GoalResult, type Row } from '../harness/report.js';
import { median, summarize } from '../harness/stats.js';
import { hold, waitFor } from '../harness/wait-for.js';
import {
  loadCreateMqttClient,
  ourClient,
  rawMqttJs,
  rawMqttJsNoDelay,
  type Contender,
  type Endpoint,
} from './contenders.js';

const PROBE = 0xffffffff;

interface Pair {
  readonly pub: Endpoint;
  readonly sub: Endpoint;
  /** Replaces what the subscriber does with each payload (probes are filtered out before). */
  onMessage: (payload: Uint8Array) => void;
}

function indexOf(payload: Uint8Array): number {
  return new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(0);
}

async function openPair(
  contender: Contender,
  url: string,
  topic: string,
  qos: 0 | 1,
  tag: string,
): Promise<Pair> {
  const sub = await contender.connect(url, `bench-sub-${tag}`);
  const pub = await contender.connect(url, `bench-pub-${tag}`);
  let probed = false;
  const pair: Pair = { pub, sub, onMessage: () => undefined };
  sub.subscribe(topic, qos, (payload) => {
    if (indexOf(payload) === PROBE) probed = true;
    else pair.onMessage(payload);
  });
  // The contract has no SUBACK signal: the subscription is live once a probe comes back.
  const probe = Buffer.alloc(8);
  probe.writeUInt32BE(PROBE, 0);
  const timer = setInterval(() => void pub.publish(topic, probe, qos).catch(() => undefined), 20);
  try {
    await waitFor(() => probed, 10_000, `subscription of ${contender.name} on ${topic}`);
  } finally {
    clearInterval(timer);
  }
  return pair;
}

interface ThroughputResult {
  readonly rate: number;
  readonly clientCpuPct: number;
  readonly brokerCpuPct: number;
  readonly cpuUsPerMsg: number;
  readonly lost: number;
}

/**
 * Closed loop: at most `window` messages between publish and receive (so no broker queue limit is
 * reached and nothing is dropped by design); each received message lets one more out. The rate is
 * counted in a window after a warm-up.
 */
async function throughput(
  pair: Pair,
  topic: string,
  qos: 0 | 1,
  size: number,
  timing: { warmupMs: number; windowMs: number },
  brokerPid: number,
): Promise<ThroughputResult> {
  const payload = Buffer.alloc(size, 0x61);
  payload.writeUInt32BE(0, 0);
  // Below Mosquitto's default max_queued_messages (1000), so QoS 1 never meets a queue limit, and below
  // Node's listener warning threshold (mqtt.js adds one 'drain' listener per write held by backpressure).
  const window = envNumber('BENCH_INFLIGHT', 500);
  let sent = 0;
  let received = 0;
  let writtenOff = 0;
  let stopping = false;
  let errors = 0;
  const onError = () => void errors++;
  const pump = () => {
    while (!stopping && sent - received - writtenOff < window) {
      sent++;
      pair.pub.publish(topic, payload, qos).catch(onError);
    }
  };
  pair.onMessage = () => {
    received++;
    pump();
  };
  // QoS 0 may lose a message; without this the window would never reopen.
  let lastSeen = -1;
  const stall = setInterval(() => {
    if (received === lastSeen && !stopping) {
      writtenOff = sent - received;
      pump();
    }
    lastSeen = received;
  }, 500);
  pump();
  await hold(timing.warmupMs);
  const r0 = received;
  const t0 = performance.now();
  const cpu = openCpuWindow({ broker: brokerPid });
  await hold(timing.windowMs);
  const r1 = received;
  const t1 = performance.now();
  const usage = cpu.stop();
  stopping = true;
  clearInterval(stall);
  await waitFor(() => received >= sent, 5000, 'the last messages').catch(() => undefined);
  const count = r1 - r0;
  const elapsed = t1 - t0;
  const clientCpuPct = usage['self'] ?? Number.NaN;
  return {
    rate: (count / elapsed) * 1000,
    clientCpuPct,
    brokerCpuPct: usage['broker'] ?? Number.NaN,
    cpuUsPerMsg: ((clientCpuPct / 100) * elapsed * 1000) / Math.max(1, count),
    lost: sent - received + errors,
  };
}

/** Fixed publish rate; latency from the publish call to the subscriber's callback, same clock. */
async function latency(
  pair: Pair,
  topic: string,
  qos: 0 | 1,
  size: number,
  timing: { rate: number; count: number; warmup: number },
): Promise<{ samples: number[]; lost: number }> {
  const sentAt = new Float64Array(timing.count);
  const samples: number[] = [];
  let received = 0;
  pair.onMessage = (payload) => {
    const i = indexOf(payload);
    received++;
    if (i >= timing.warmup && i < timing.count) samples.push(performance.now() - sentAt[i]!);
  };
  let sent = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(
        timing.count,
        Math.floor(((performance.now() - start) * timing.rate) / 1000),
      );
      while (sent < due) {
        const payload = Buffer.alloc(size, 0x61);
        payload.writeUInt32BE(sent, 0);
        sentAt[sent] = performance.now();
        sent++;
        pair.pub.publish(topic, payload, qos).catch(() => undefined);
      }
      if (sent < timing.count) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await waitFor(() => received >= timing.count, 5000, 'the last latency messages').catch(
    () => undefined,
  );
  return { samples, lost: timing.count - received };
}

/** Benchmark 1: `@ot-mqtt/mqtt-client` vs raw mqtt.js, same broker, same run. */
export async function runClientOverhead(ctx: BenchContext): Promise<string> {
  const run = startRun();
  const sizes = ctx.smoke ? [200] : [200, 2048];
  const qosLevels: (0 | 1)[] = [0, 1];
  const reps = ctx.smoke ? 1 : envNumber('BENCH_REPS', 3);
  const tp = ctx.smoke
    ? { warmupMs: 100, windowMs: 300 }
    : { warmupMs: 1000, windowMs: envNumber('BENCH_WINDOW_MS', 2500) };
  const lat = ctx.smoke
    ? { rate: 1000, count: 200, warmup: 50 }
    : { rate: 1000, count: envNumber('BENCH_LATENCY_COUNT', 3000), warmup: 500 };

  const create = await loadCreateMqttClient();
  const contenders: Contender[] = [
    rawMqttJs,
    ...(create ? [ourClient(create)] : []),
    rawMqttJsNoDelay,
  ];
  const notes: string[] = [];
  if (!create)
    notes.push(
      '@ot-mqtt/mqtt-client does not export createMqttClient yet: only the raw baseline was measured.',
    );

  const bench = await startBenchBroker();
  type Key = string;
  const rates = new Map<Key, number[]>();
  const cpuPerMsg = new Map<Key, number[]>();
  const brokerCpu = new Map<Key, number[]>();
  const latencies = new Map<Key, number[]>();
  const lost = new Map<Key, number>();
  const push = <T>(m: Map<Key, T[]>, k: Key, v: T) => m.set(k, [...(m.get(k) ?? []), v]);
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const size of sizes) {
        for (const qos of qosLevels) {
          // Alternate who goes first so drift in the machine's load does not favour one side.
          const order = rep % 2 === 0 ? contenders : [...contenders].reverse();
          for (const [ci, contender] of order.entries()) {
            const key = `${contender.name}|${qos}|${size}`;
            const tag = `${rep}-${size}-${qos}-${ci}-${process.pid}`;
            const topic = `bench/overhead/${tag}`;
            const pair = await openPair(contender, bench.broker.url, topic, qos, tag);
            try {
              const t = await throughput(pair, topic, qos, size, tp, bench.broker.pid);
              push(rates, key, t.rate);
              push(cpuPerMsg, key, t.cpuUsPerMsg);
              push(brokerCpu, key, t.brokerCpuPct);
              const l = await latency(pair, topic, qos, size, lat);
              latencies.set(key, [...(latencies.get(key) ?? []), ...l.samples]);
              lost.set(key, (lost.get(key) ?? 0) + t.lost + l.lost);
              ctx.log(
                `  rep ${rep + 1}/${reps} ${contender.name.padEnd(20)} QoS ${qos} ${String(size).padStart(4)} B: ${Math.round(t.rate)} msg/s, p99 ${summarize(l.samples).p99.toFixed(2)} ms`,
              );
            } finally {
              await pair.pub.close();
              await pair.sub.close();
            }
          }
        }
      }
    }
  } finally {
    await bench.stop();
  }

  const rows: Row[] = [];
  const goals: GoalResult[] = [];
  for (const size of sizes) {
    for (const qos of qosLevels) {
      const rawKey = `${rawMqttJs.name}|${qos}|${size}`;
      const raw = {
        rate: median(rates.get(rawKey) ?? []),
        lat: summarize(latencies.get(rawKey) ?? []),
      };
      for (const contender of contenders) {
        const key = `${contender.name}|${qos}|${size}`;
        const rate = median(rates.get(key) ?? []);
        const l = summarize(latencies.get(key) ?? []);
        rows.push({
          client: contender.name,
          qos,
          bytes: size,
          'msg/s': rate,
          'vs raw %': (rate / raw.rate) * 100,
          'client CPU µs/msg': median(cpuPerMsg.get(key) ?? []),
          'broker CPU %': median(brokerCpu.get(key) ?? []),
          'p50 ms': l.p50,
          'p99 ms': l.p99,
          'max ms': l.max,
          samples: l.count,
          lost: lost.get(key) ?? 0,
        });
        if (contender !== contenders[1] || !create) continue;
        goals.push({
          goal: `QoS ${qos} ${size} B throughput ≥ 90 % of raw mqtt.js`,
          measured: `${Math.round(rate)} vs ${Math.round(raw.rate)} msg/s = ${((rate / raw.rate) * 100).toFixed(1)} %`,
          met: rate >= 0.9 * raw.rate,
        });
        goals.push({
          goal: `QoS ${qos} ${size} B latency p99 ≤ raw p99 + 1 ms at ${lat.rate} msg/s`,
          measured: `${l.p99.toFixed(2)} vs ${raw.lat.p99.toFixed(2)} ms`,
          met: l.p99 <= raw.lat.p99 + 1,
        });
      }
    }
  }
  if (!create) {
    goals.push({
      goal: 'throughput ≥ 90 % of raw, p99 ≤ raw + 1 ms',
      measured: 'client not available',
      met: null,
    });
  }
  notes.push(
    'Publisher and subscriber are two connections in this one Node process (one core); Mosquitto has the other core.',
    `Throughput is a closed loop of at most ${envNumber('BENCH_INFLIGHT', 500)} messages in flight end to end, so no broker queue limit is reached; ${reps} repetition(s), median shown, contenders alternate order.`,
    `Latency: ${lat.count} messages at ${lat.rate} msg/s per cell, first ${lat.warmup} discarded, samples of all repetitions pooled; payloads carry their index, one clock (performance.now).`,
  );
  return finishRun(ctx, run, {
    name: 'client-overhead',
    title: 'Benchmark 1 — client overhead: @ot-mqtt/mqtt-client vs raw mqtt.js',
    brokerSettings: bench.settings,
    baseline:
      'raw mqtt.js 5 (callback publish, same protocol 3.1.1, clean session, keepalive 60 s), same broker, same run',
    rows,
    goals,
    notes,
  });
}
