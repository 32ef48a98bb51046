import { variedTags } from '@ot-mqtt/tag-model/testing';
import { encodeScan, type EncodedMessage } from '@ot-mqtt/tag-model';
import { Worker } from 'node:worker_threads';
import mqtt from 'mqtt';
import { startBenchBroker } from '../harness/bench-broker.js';
import type { BurstJob } from '../harness/burst-publisher.js';
import { envNumber, type BenchContext } from '../harness/bench-context.js';
import type { CountedChild } from '../harness/child-process.js';
import { openCpuWindow, processMemory } from '../harness/proc-stats.js';
import { finishRun, startRun, type GoalResult, type Row } from '../harness/report.js';
import { median } from '../harness/stats.js';
import { waitFor } from '../harness/wait-for.js';
import { VIEWER_MAIN, missingApp } from '../harness/workspace-paths.js';
import { MARKER, mosquittoSub, viewer, type Consumer } from './ingest-consumers.js';

/** K valid messages as the agent would publish them (7 per scan, data first), then the marker scan's data message. */
function burst(k: number): EncodedMessage[] {
  const out: EncodedMessage[] = [];
  const t0 = Date.now();
  for (let scan = 0; out.length < k - 1; scan++) {
    const messages = encodeScan(variedTags(scan), {
      machineId: 'filler-01',
      sequence: scan,
      timestamp: new Date(t0 + scan * 2000),
    });
    for (const m of messages) if (out.length < k - 1) out.push(m);
  }
  const last = encodeScan(variedTags(0), {
    machineId: MARKER,
    sequence: 0,
    timestamp: new Date(),
  })[0]!;
  out.push(last);
  return out;
}

/**
 * Publishes the burst from a worker thread, so that this thread keeps reading the consumer's
 * stdout meanwhile: a reader that stalls while its own thread publishes makes the viewer drop
 * lines for a slow reader (as it is built to), which would be measured as the viewer's loss.
 */
function publishAll(url: string, messages: readonly EncodedMessage[], qos: 0 | 1): Promise<number> {
  const worker = new Worker(new URL('../harness/burst-publisher.js', import.meta.url), {
    workerData: { url, messages, qos } satisfies BurstJob,
  });
  return new Promise<number>((resolve, reject) => {
    worker.once('message', (rate: number) => resolve(rate));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`burst publisher exited with ${code}`)));
  });
}

/**
 * Starts the consumer and resolves once its subscription is live (a probe message came out on
 * stdout); the broker then also holds its persistent session.
 */
async function startSubscribed(
  consumer: Consumer,
  clientId: string,
  port: number,
  url: string,
  qos: 0 | 1,
): Promise<CountedChild> {
  const child = consumer.spawn(clientId, port, qos);
  const probe = await mqtt.connectAsync(url, {
    clientId: `bench-probe-${process.pid}`,
    clean: true,
    reconnectPeriod: 0,
  });
  const message = encodeScan(variedTags(0), {
    machineId: 'bench-probe',
    sequence: 0,
    timestamp: new Date(),
  })[0]!;
  const timer = setInterval(() => probe.publish(message.topic, message.payload, { qos: 1 }), 50);
  try {
    await waitFor(
      () => child.lines() > 0 || child.exit() !== undefined,
      20_000,
      `${consumer.name} to subscribe`,
    );
    if (child.exit())
      throw new Error(`${consumer.name} exited: ${JSON.stringify(child.exit())} ${child.stderr()}`);
  } catch (error) {
    await child.stop();
    throw error;
  } finally {
    clearInterval(timer);
    await probe.endAsync();
  }
  // Let probes still in flight come out before the burst.
  let lines = -1;
  while (child.lines() !== lines) {
    lines = child.lines();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return child;
}

/** One consumer's run against the burst on the bench broker. */
interface DrainCase {
  readonly consumer: Consumer;
  readonly clientId: string;
  readonly port: number;
  readonly url: string;
  readonly messages: readonly EncodedMessage[];
  readonly brokerPid: number;
}

/**
 * Live: the consumer is subscribed (QoS 0, so that the broker's 20-message in-flight window per
 * QoS 1 subscriber does not cap it) while the burst is published; timed from the first publish.
 */
async function live({
  consumer,
  clientId,
  port,
  url,
  messages,
  brokerPid,
}: DrainCase): Promise<Drain> {
  const child = await startSubscribed(consumer, clientId, port, url, 0);
  try {
    const linesBefore = child.lines();
    const cpu = openCpuWindow({ consumer: child.pid, broker: brokerPid });
    const t0 = performance.now();
    // QoS 0 from the publisher too: a QoS 1 publisher waits for PUBACKs from a broker that is busy
    // delivering, and would set the pace (about 4,000 msg/s here) instead of the consumer.
    const publishRate = await publishAll(url, messages, 0);
    // A QoS 0 subscriber that falls more than max_queued_messages behind loses messages (Mosquitto
    // drops them rather than queue without bound), and the marker may be one of them: send it again
    // until it comes out, and count what arrived instead of assuming all K did.
    const resend = await repeatUntil(url, messages.at(-1)!, () => child.markerAt() !== undefined);
    try {
      return await drained(consumer, child, cpu, {
        from: t0,
        count: messages.length,
        publishRate,
        linesBefore,
      });
    } finally {
      await resend();
    }
  } finally {
    await child.stop();
  }
}

/** Publishes `message` at QoS 0 every 50 ms until `done()`; resolves to a function that stops it. */
async function repeatUntil(
  url: string,
  message: EncodedMessage,
  done: () => boolean,
): Promise<() => Promise<void>> {
  const client = await mqtt.connectAsync(url, {
    clientId: `bench-marker-${process.pid}`,
    clean: true,
    reconnectPeriod: 0,
  });
  const timer = setInterval(() => {
    if (!done()) client.publish(message.topic, message.payload, { qos: 0 });
  }, 50);
  return async () => {
    clearInterval(timer);
    await client.endAsync();
  };
}

/** Waits for the consumer's marker line and measures the drain from `from` over `count` messages. */
async function drained(
  consumer: Consumer,
  child: CountedChild,
  cpu: ReturnType<typeof openCpuWindow>,
  {
    from,
    count,
    publishRate,
    linesBefore = 0,
  }: { from: number; count: number; publishRate: number; linesBefore?: number },
): Promise<Drain> {
  await waitFor(
    () => child.markerAt() !== undefined || child.exit() !== undefined,
    Math.max(30_000, count),
    `${consumer.name} to print the last message`,
    2,
  ).catch((error: unknown) => {
    throw new Error(
      `${String(error)} (${child.lines()} lines; stderr: ${child.stderr().slice(-300) || 'none'})`,
    );
  });
  const usage = cpu.stop();
  if (child.markerAt() === undefined) throw new Error(`${consumer.name} exited: ${child.stderr()}`);
  const drainMs = child.markerAt()! - from;
  // Lines count deliveries only for a consumer that prints one line per message; for the others
  // the marker's arrival is taken to mean that all `count` did.
  const delivered = consumer.linePerMessage
    ? Math.min(count, child.linesAtMarker()! - linesBefore)
    : count;
  return {
    rate: (delivered / drainMs) * 1000,
    lost: consumer.linePerMessage ? count - delivered : null,
    lines: child.lines(),
    drainMs,
    cpuPct: usage['consumer'] ?? Number.NaN,
    brokerCpuPct: usage['broker'] ?? Number.NaN,
    rssMb: processMemory(child.pid)?.hwmMb ?? null,
    publishRate,
  };
}

interface Drain {
  /** Messages delivered per second. */
  readonly rate: number;
  /** Messages of the burst that never came out (dropped by the broker); null where not countable. */
  readonly lost: number | null;
  readonly lines: number;
  readonly drainMs: number;
  readonly cpuPct: number;
  readonly brokerCpuPct: number;
  readonly rssMb: number | null;
  readonly publishRate: number;
}

/**
 * Replay: the consumer subscribes (persistent session) and stops, the burst is queued for it, and it
 * restarts and works through the queue; timed from its first output line.
 */
async function replay(run: DrainCase): Promise<Drain> {
  const { consumer, clientId, port, url, messages } = run;
  await (await startSubscribed(consumer, clientId, port, url, 1)).stop();
  const publishRate = await publishAll(url, messages, 1);
  const k = messages.length;
  const child = consumer.spawn(clientId, port, 1);
  try {
    await waitFor(
      () => child.firstOutputAt() !== undefined || child.exit() !== undefined,
      20_000,
      `${consumer.name} output`,
      1,
    );
    const cpu = openCpuWindow({ consumer: child.pid, broker: run.brokerPid });
    // The first output is the first message: k − 1 more messages followed it.
    return await drained(consumer, child, cpu, {
      from: child.firstOutputAt()!,
      count: k - 1,
      publishRate,
    });
  } finally {
    await child.stop();
  }
}

/** Benchmark 4: how fast the viewer ingests (NDJSON, summary) vs mosquitto_sub, same broker, same run. */
export async function runViewerIngest(ctx: BenchContext): Promise<string> {
  const run = startRun();
  const k = ctx.smoke ? 701 : Math.round(envNumber('BENCH_INGEST_K', 35_001));
  const reps = ctx.smoke ? 1 : envNumber('BENCH_REPS', 3);
  const notes: string[] = [];
  const viewerMissing = missingApp(VIEWER_MAIN);
  if (viewerMissing) notes.push(`viewer not measured: ${viewerMissing}.`);
  const consumers: Consumer[] = viewerMissing
    ? [mosquittoSub]
    : [mosquittoSub, viewer('ndjson'), viewer('summary')];

  const bench = await startBenchBroker();
  const port = bench.broker.ports[1883]!;
  const messages = burst(k);
  const results = new Map<string, Drain[]>();
  // The smoke run checks the harness, so one mode is enough there.
  const modes = ctx.smoke ? { live } : { live, replay };
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const [mode, run] of Object.entries(modes)) {
        for (const consumer of consumers) {
          const key = `${mode}|${consumer.name}`;
          const clientId = `bench-ingest-${mode}-${consumer.name.replace(/\W/g, '-')}-${rep}-${process.pid}`;
          try {
            const { url, pid: brokerPid } = bench.broker;
            const d = await run({ consumer, clientId, port, url, messages, brokerPid });
            results.set(key, [...(results.get(key) ?? []), d]);
            ctx.log(
              `  rep ${rep + 1}/${reps} ${mode.padEnd(6)} ${consumer.name.padEnd(15)} ${Math.round(d.rate)} msg/s (${d.lines} lines in ${d.drainMs.toFixed(0)} ms${d.lost ? `, ${d.lost} lost` : ''}; publisher ${Math.round(d.publishRate)} msg/s)`,
            );
          } catch (error) {
            notes.push(
              `${mode} ${consumer.name} rep ${rep + 1} failed: ${String(error).slice(0, 400)}`,
            );
          }
        }
      }
    }
  } finally {
    await bench.stop();
  }

  const rateOf = (key: string) => median((results.get(key) ?? []).map((d) => d.rate));
  const rows: Row[] = [];
  const goals: GoalResult[] = [];
  for (const mode of Object.keys(modes)) {
    const base = rateOf(`${mode}|${mosquittoSub.name}`);
    for (const c of consumers) {
      const runs = results.get(`${mode}|${c.name}`) ?? [];
      const rate = rateOf(`${mode}|${c.name}`);
      rows.push({
        mode,
        consumer: c.name,
        messages: k,
        'msg/s': rate,
        'vs mosquitto_sub %': (rate / base) * 100,
        'publisher msg/s': median(runs.map((d) => d.publishRate)),
        'time ms': median(runs.map((d) => d.drainMs)),
        'stdout lines': runs.at(-1)?.lines ?? null,
        lost: runs.length ? median(runs.map((d) => d.lost ?? Number.NaN)) : null,
        'CPU %': median(runs.map((d) => d.cpuPct)),
        'broker CPU %': median(runs.map((d) => d.brokerCpuPct)),
        'peak RSS MB': median(runs.map((d) => d.rssMb ?? Number.NaN)),
        runs: runs.length,
      });
    }
    const nd = rateOf(`${mode}|viewer ndjson`);
    const lostOf = (key: string) =>
      median((results.get(key) ?? []).map((d) => d.lost ?? Number.NaN));
    const ndLost = lostOf(`${mode}|viewer ndjson`);
    const baseLost = lostOf(`${mode}|${mosquittoSub.name}`);
    const loss =
      ndLost > 0 || baseLost > 0
        ? ` (lost by the broker's QoS 0 queue limit, median: viewer ${ndLost}, mosquitto_sub ${baseLost} of ${k})`
        : '';
    goals.push(
      Number.isFinite(nd)
        ? {
            goal: `viewer NDJSON ingest ≥ 50 % of mosquitto_sub (${mode})`,
            measured: `${Math.round(nd)} vs ${Math.round(base)} msg/s = ${((nd / base) * 100).toFixed(1)} %${loss}`,
            met: nd >= 0.5 * base,
          }
        : {
            goal: `viewer NDJSON ingest ≥ 50 % of mosquitto_sub (${mode})`,
            measured: 'viewer not available',
            met: null,
          },
    );
    const sm = rateOf(`${mode}|viewer summary`);
    if (Number.isFinite(sm)) {
      goals.push({
        goal: `viewer summary ingest (${mode}; no goal set, for reference)`,
        measured: `${Math.round(sm)} msg/s = ${((sm / base) * 100).toFixed(1)} % of mosquitto_sub`,
        met: null,
      });
    }
  }
  notes.push(
    `Burst: ${k} valid payloads (seven topics per scan, as the agent publishes them; the last one carries a marker machine id) from a raw mqtt.js publisher (≤ 1000 messages outstanding); consumers are run one at a time; stdout is a file (as with "viewer > out.ndjson") that the bench reads back every millisecond and counts, so that a consumer never waits for, or drops lines because of, the bench's own reading.`,
    'live: the consumer is subscribed at QoS 0 during a QoS 0 burst; rate = messages delivered / (marker on stdout − first publish). A QoS 0 subscriber more than max_queued_messages behind loses messages (Mosquitto drops them): the bench then resends the marker every 50 ms until it comes out, and "lost" counts what never arrived (for the consumers that print one line per message; summary mode is not countable). When a consumer keeps up, this is bounded by the publisher (see the publisher column). replay: the consumer subscribes at QoS 1 with a persistent session and stops, a QoS 1 burst is queued on the broker, the consumer restarts; rate = (K − 1) / (marker − first stdout byte), bounded by how fast Mosquitto replays a queue with max_inflight_messages 20 per round trip.',
    `${reps} repetition(s), median shown. Summary mode prints one block per data message (1 in 7), so it writes far less than NDJSON.`,
  );
  return finishRun(ctx, run, {
    name: 'viewer-ingest',
    title: 'Benchmark 4 — viewer ingest: NDJSON and summary modes vs mosquitto_sub',
    brokerSettings: bench.settings,
    baseline:
      'mosquitto_sub (C client of the same Mosquitto release, same QoS and session settings), same broker, same burst',
    rows,
    goals,
    notes,
  });
}
