// `npx nx run tag-model:bench`: what encoding and parsing one scan costs, against naive baselines
// measured in the same run (so the figures compare on whatever machine runs them). The fleet budget
// is ≤ 20 µs per scan for encodeScan (seven messages).
import { TAG_GROUP_NAMES, encodeScan, parsePayload } from './index.js';
import { EXAMPLE_META, exampleTags } from './testing/index.js';

const ENCODE_BUDGET_US = 20;

function measure(label: string, iterations: number, body: (i: number) => unknown): number {
  let sink: unknown;
  for (let i = 0; i < Math.min(iterations, 20_000); i++) sink = body(i); // warm-up for the JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink = body(i);
  const perCallUs = Number(process.hrtime.bigint() - start) / iterations / 1000;
  if (sink === Symbol.for('never')) console.log(sink); // keeps the work observable
  console.log(`${label.padEnd(58)} ${perCallUs.toFixed(2).padStart(8)} µs`);
  return perCallUs;
}

const tags = exampleTags();
const timestamp = new Date(EXAMPLE_META.timestamp);
const N = 100_000;

console.log('per scan (seven messages)');
const naive = measure('baseline: JSON.stringify of 7 envelopes', N, (i) => {
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
const encode = measure('encodeScan (validated, topics included)', N, (i) =>
  encodeScan(tags, { machineId: 'filler-01', sequence: i, timestamp }),
);

const messages = encodeScan(tags, { ...EXAMPLE_META, timestamp });
const bytes = messages.map((m) => ({
  topic: m.topic,
  payload: new TextEncoder().encode(m.payload),
}));
const decoder = new TextDecoder();
const baselineParse = measure('baseline: decode + JSON.parse of the 7 payloads', N / 10, () =>
  bytes.map((m) => JSON.parse(decoder.decode(m.payload)) as unknown),
);
const parse = measure('parsePayload of the 7 payloads (zod-validated)', N / 10, () =>
  bytes.map((m) => parsePayload(m.topic, m.payload)),
);

console.log('');
console.log(
  `encodeScan: ${(encode / naive).toFixed(2)}× the naive stringify baseline; budget ${ENCODE_BUDGET_US} µs: ${encode <= ENCODE_BUDGET_US ? 'within' : 'OVER'}`,
);
console.log(
  `parsePayload: ${(parse / baselineParse).toFixed(2)}× the unvalidated JSON.parse baseline`,
);
