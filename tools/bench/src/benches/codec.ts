// What encoding and parsing one scan costs through tag-model's public API, against naive baselines
// measured in the same run (so the figures compare on whatever machine runs them). The fleet budget
// is ≤ 20 µs per scan for encodeScan (seven messages). Moved from packages/tag-model (issue 10).
import { TAG_GROUP_NAMES, encodeScan, parsePayload } from '@ot-mqtt/tag-model';
import { EXAMPLE_META, exampleTags } from '@ot-mqtt/tag-model/testing';
import { envNumber, type BenchContext } from '../harness/bench-context.js';
import { finishRun, startRun, type GoalResult, type Row } from '../harness/report.js';
import { round } from '../harness/stats.js';

const ENCODE_BUDGET_US = 20;

/** Microseconds per call of `body`, after a warm-up that lets the JIT optimise it. */
function timePerCall(iterations: number, body: (i: number) => unknown): number {
  let sink: unknown;
  for (let i = 0; i < Math.min(iterations, 20_000); i++) sink = body(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink = body(i);
  const perCallUs = Number(process.hrtime.bigint() - start) / iterations / 1000;
  if (sink === Symbol.for('never')) console.log(sink); // keeps the work observable
  return perCallUs;
}

export async function runCodec(ctx: BenchContext): Promise<string> {
  const run = startRun();
  const n = ctx.smoke ? 2_000 : envNumber('BENCH_CODEC_SCANS', 100_000);
  const tags = exampleTags();
  const timestamp = new Date(EXAMPLE_META.timestamp);

  const naive = timePerCall(n, (i) => {
    const head = {
      schemaVersion: 1,
      timestamp: timestamp.toISOString(),
      machineId: 'filler-01',
      sequence: i,
    };
    const out = [JSON.stringify({ ...head, tags })];
    for (const group of TAG_GROUP_NAMES) out.push(JSON.stringify({ ...head, tags: tags[group] }));
    return out;
  });
  const encode = timePerCall(n, (i) =>
    encodeScan(tags, { machineId: 'filler-01', sequence: i, timestamp }),
  );
  const decoder = new TextDecoder();
  const bytes = encodeScan(tags, { ...EXAMPLE_META, timestamp }).map((m) => ({
    topic: m.topic,
    payload: new TextEncoder().encode(m.payload),
  }));
  const baselineParse = timePerCall(n / 10, () =>
    bytes.map((m) => JSON.parse(decoder.decode(m.payload)) as unknown),
  );
  const parse = timePerCall(n / 10, () => bytes.map((m) => parsePayload(m.topic, m.payload)));

  const rows: Row[] = [
    { operation: 'baseline: JSON.stringify of 7 envelopes', 'µs per scan': round(naive) },
    { operation: 'encodeScan (validated, topics included)', 'µs per scan': round(encode) },
    {
      operation: 'baseline: decode + JSON.parse of the 7 payloads',
      'µs per scan': round(baselineParse),
    },
    { operation: 'parsePayload of the 7 payloads (zod-validated)', 'µs per scan': round(parse) },
  ];
  const goals: GoalResult[] = [
    {
      goal: `encodeScan ≤ ${ENCODE_BUDGET_US} µs per scan (seven messages)`,
      measured: `${round(encode)} µs, ${round(encode / naive)}× the naive stringify baseline`,
      met: encode <= ENCODE_BUDGET_US,
    },
    {
      goal: 'parsePayload: cost of validation reported beside unvalidated JSON.parse',
      measured: `${round(parse)} µs, ${round(parse / baselineParse)}× the JSON.parse baseline`,
      met: null,
    },
  ];
  return finishRun(ctx, run, {
    name: 'codec',
    title: "Codec — encodeScan and parsePayload per scan (tag-model's public API)",
    brokerSettings: {},
    brokerConfig: 'none: in-process encoding and parsing only',
    baseline: 'JSON.stringify / JSON.parse of the same seven envelopes, same run',
    rows,
    goals,
    notes: [
      `${n} scans encoded, ${n / 10} parsed, each after a warm-up of up to 20,000 calls.`,
      'Wall time of this process (process.hrtime) per call, averaged over the whole loop.',
      'Scan: tag-model/testing exampleTags() with EXAMPLE_META; seven messages per scan.',
    ],
  });
}
