import { createBottleFiller } from '@ot-mqtt/plc-sim';
import {
  compressPayload,
  createEdgeNodeSession,
  type PayloadCompression,
} from '@ot-mqtt/sparkplug';
import { encodeScan, type BottleFillerTags } from '@ot-mqtt/tag-model';
import mqtt from 'mqtt';
import { startBenchBroker } from '../harness/bench-broker.js';
import { envNumber, type BenchContext } from '../harness/bench-context.js';
import { spawnCounted } from '../harness/child-process.js';
import { openCpuWindow } from '../harness/proc-stats.js';
import { finishRun, startRun, type GoalResult, type Row } from '../harness/report.js';
import { hold, waitFor } from '../harness/wait-for.js';
import { AGENT_MAIN, missingApp } from '../harness/workspace-paths.js';

type Format = 'json' | 'json+deflate' | 'json+gzip' | 'sparkplug';
const FORMATS: readonly Format[] = ['json', 'json+deflate', 'json+gzip', 'sparkplug'];
const compressionOf = (f: Format): PayloadCompression =>
  f === 'json+deflate' ? 'deflate' : f === 'json+gzip' ? 'gzip' : 'none';

/** Scans of one seeded filler, one per `intervalMs` of simulated time: the agent's own source. */
function simulatedScans(count: number, intervalMs: number): BottleFillerTags[] {
  const filler = createBottleFiller({ machineId: 'filler-01' });
  return Array.from({ length: count }, () => {
    filler.step(intervalMs);
    return filler.snapshot();
  });
}

interface EncodeResult {
  readonly bytesPerScan: number;
  readonly messagesPerScan: number;
  readonly cpuUsPerScan: number;
}

/** Encodes every scan as the agent would in `format`; wire bytes = topic + payload of each message. */
function encodeAll(format: Format, scans: readonly BottleFillerTags[], t0: number): EncodeResult {
  let bytes = 0;
  let messages = 0;
  const started = process.cpuUsage();
  if (format === 'sparkplug') {
    const node = createEdgeNodeSession({
      groupId: 'Packaging',
      edgeNodeId: 'bench',
      deviceIds: ['filler-01'],
    });
    node.birth(() => scans[0]!, t0); // births are per connection, not per scan
    scans.forEach((tags, i) => {
      const m = node.data('filler-01', tags, t0 + i * 100);
      if (m === undefined) return;
      bytes += Buffer.byteLength(m.topic) + m.payload.byteLength;
      messages++;
    });
  } else {
    const compression = compressionOf(format);
    scans.forEach((tags, i) => {
      for (const m of encodeScan(tags, {
        machineId: 'filler-01',
        sequence: i,
        timestamp: new Date(t0 + i * 100),
      })) {
        const payload =
          compression === 'none' ? Buffer.from(m.payload) : compressPayload(m.payload, compression);
        bytes += Buffer.byteLength(m.topic) + payload.byteLength;
        messages++;
      }
    });
  }
  const cpu = process.cpuUsage(started);
  return {
    bytesPerScan: bytes / scans.length,
    messagesPerScan: messages / scans.length,
    cpuUsPerScan: (cpu.user + cpu.system) / scans.length,
  };
}

const agentEnv = (format: Format, port: string, fillers: number, intervalS: number) => ({
  MQTT_BROKER_HOST: '127.0.0.1',
  MQTT_BROKER_PORT: port,
  FILLER_COUNT: String(fillers),
  PUBLISH_INTERVAL: String(intervalS),
  SUMMARY_INTERVAL: '0',
  MQTT_CLIENT_ID: `bench-${format}`,
  ...(format === 'sparkplug'
    ? { PAYLOAD_FORMAT: 'sparkplug', SPARKPLUG_EDGE_NODE_ID: 'bench' }
    : { PAYLOAD_COMPRESSION: compressionOf(format) }),
});

/**
 * Issue 16: bytes and CPU per scan of the JSON wire format, compressed JSON (deflate, gzip) and
 * Sparkplug B (DDATA by exception), encoded in this process from the same simulated scans; then a
 * fleet of the built agent in each format against one broker, counting what a subscriber receives
 * and what the agent spends.
 */
export async function runPayloadFormats(ctx: BenchContext): Promise<string> {
  const run = startRun();
  const scanCount = ctx.smoke ? 200 : envNumber('BENCH_FORMAT_SCANS', 20_000);
  const fillers = ctx.smoke ? 10 : envNumber('BENCH_FORMAT_FILLERS', 1000);
  const windowMs = ctx.smoke ? 1500 : envNumber('BENCH_FORMAT_WINDOW_MS', 10_000);
  const intervalS = 1;
  const notes: string[] = [];
  const rows: Row[] = [];

  // 1. Encoding, in process: the same scans for every format, each format warmed up first.
  const scans = simulatedScans(scanCount, intervalS * 1000);
  const t0 = Date.now();
  const encode = new Map<Format, EncodeResult>();
  for (const format of FORMATS) {
    encodeAll(format, scans.slice(0, Math.min(500, scans.length)), t0);
    encode.set(format, encodeAll(format, scans, t0));
  }

  // 2. A fleet of the built agent in each format, one at a time, on the same broker.
  const agentMissing = missingApp(AGENT_MAIN);
  if (agentMissing) notes.push(`fleet not measured: ${agentMissing}.`);
  const fleet = new Map<Format, { bytesPerS: number; messagesPerS: number; agentCpu: number }>();
  const bench = await startBenchBroker();
  try {
    const port = String(bench.broker.ports[1883]);
    for (const format of agentMissing ? [] : FORMATS) {
      // A raw mqtt.js subscriber: what any consumer receives, counted on the wire.
      const sub = await mqtt.connectAsync(bench.broker.url, {
        clientId: `bench-sub-${format}`,
        clean: true,
      });
      let bytes = 0;
      let messages = 0;
      sub.on('message', (topic, payload) => {
        bytes += Buffer.byteLength(topic) + payload.byteLength;
        messages++;
      });
      await sub.subscribeAsync(format === 'sparkplug' ? 'spBv1.0/#' : 'plc/bottlefiller/#', {
        qos: 1,
      });
      const agent = spawnCounted(
        process.execPath,
        [AGENT_MAIN],
        agentEnv(format, port, fillers, intervalS),
      );
      try {
        await waitFor(() => messages > fillers, 60_000, `${format}: the fleet to publish`, 20);
        await hold(intervalS * 1000); // past the births
        const window = openCpuWindow({ agent: agent.pid });
        const [b0, m0, w0] = [bytes, messages, performance.now()];
        await hold(windowMs);
        const cpu = window.stop();
        const seconds = (performance.now() - w0) / 1000;
        fleet.set(format, {
          bytesPerS: (bytes - b0) / seconds,
          messagesPerS: (messages - m0) / seconds,
          agentCpu: cpu['agent'] ?? Number.NaN,
        });
      } catch (error) {
        notes.push(
          `${format} fleet failed: ${String(error).slice(0, 300)}; ${agent.stderr().slice(-300)}`,
        );
      } finally {
        await agent.stop();
        await sub.endAsync(true);
      }
    }
  } finally {
    await bench.stop();
  }

  const json = encode.get('json')!;
  for (const format of FORMATS) {
    const e = encode.get(format)!;
    const f = fleet.get(format);
    rows.push({
      format,
      'bytes/scan': e.bytesPerScan,
      'vs json': `${((e.bytesPerScan / json.bytesPerScan) * 100).toFixed(1)} %`,
      'msgs/scan': e.messagesPerScan,
      'encode CPU µs/scan': e.cpuUsPerScan,
      [`fleet ${fillers}: KB/s at subscriber`]: f ? f.bytesPerS / 1024 : null,
      'fleet msgs/s': f?.messagesPerS ?? null,
      'agent CPU %': f?.agentCpu ?? null,
    });
  }
  const spb = encode.get('sparkplug')!;
  const deflate = encode.get('json+deflate')!;
  const goals: GoalResult[] = [
    {
      goal: 'Sparkplug B and compressed JSON carry a scan in fewer bytes than JSON (same scans)',
      measured: `JSON ${json.bytesPerScan.toFixed(0)} B, deflate ${deflate.bytesPerScan.toFixed(0)} B, gzip ${encode.get('json+gzip')!.bytesPerScan.toFixed(0)} B, Sparkplug ${spb.bytesPerScan.toFixed(0)} B per scan`,
      met: spb.bytesPerScan < json.bytesPerScan && deflate.bytesPerScan < json.bytesPerScan,
    },
    {
      goal: 'report the CPU price of each format beside JSON (no target: a figure to choose by)',
      measured: FORMATS.map((f) => `${f} ${encode.get(f)!.cpuUsPerScan.toFixed(1)} µs`).join(', '),
      met: true,
    },
  ];
  notes.push(
    `Encoding: ${scanCount} scans of one seeded simulated filler (plc-sim, ${intervalS} s of simulated time apart), encoded in this process as the agent does — JSON: encodeScan's seven messages; compressed: each of the seven through node:zlib; Sparkplug: createEdgeNodeSession.data() (DDATA by exception; births excluded, they are per connection). Bytes = topic + payload; CPU = process.cpuUsage over the loop after a 500-scan warm-up.`,
    `Fleet: the built agent with FILLER_COUNT=${fillers}, PUBLISH_INTERVAL=${intervalS}, one format at a time on the same Mosquitto; a subscriber (QoS 1) counts topic + payload bytes over ${windowMs / 1000} s once data flows; agent CPU from /proc over the same window.`,
    'Baseline: the JSON wire format, measured in the same run on the same scans and broker.',
  );
  return finishRun(ctx, run, {
    name: 'payload-formats',
    title: 'Issue 16 — bytes and CPU per scan: JSON vs compressed JSON vs Sparkplug B',
    brokerSettings: bench.settings,
    baseline: 'the JSON wire format (encodeScan), same scans, same run',
    rows,
    goals,
    notes,
  });
}
