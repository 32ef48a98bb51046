// Simulator cost (issue 6, benchmark 2; `npx nx run bench:bench -- --only=scan-cost`): filler-scans
// per second on one core, with and without encoding the seven payloads, against baselines measured
// in the same run. A "filler-scan" is what the agent does per filler per publish: advance 2 s of
// simulated time (20 PLC scans), take a snapshot and encode it into the seven topic payloads.
// Moved from packages/plc-sim (`plc-sim:bench`) in issue 10: it drives plc-sim's public API only.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createBottleFiller, type BottleFiller } from '@ot-mqtt/plc-sim';
import { encodeScan, type BottleFillerTags } from '@ot-mqtt/tag-model';
import type { BenchContext } from '../harness/bench-context.js';
import { finishRun, startRun, type GoalResult, type Row } from '../harness/report.js';
import { median, round } from '../harness/stats.js';

/** Sizes of one benchmark run. */
interface ScanCostOptions {
  /** Operations per timed round of each case. */
  readonly iterations: number;
  /** Timed rounds per case; the median round is reported. */
  readonly rounds: number;
  /** Fillers in the fleet case (round-robin over all of them, as an agent does). */
  readonly fleetSize: number;
  /** Simulated time per filler-scan, i.e. the publish interval. */
  readonly intervalMs: number;
}

const FULL_RUN: ScanCostOptions = {
  iterations: 100_000,
  rounds: 5,
  fleetSize: 10_000,
  intervalMs: 2000,
};
const SMOKE_RUN: ScanCostOptions = { iterations: 200, rounds: 1, fleetSize: 50, intervalMs: 2000 };
const GOAL_NS = 20_000;
const SEVEN = ['data', 'inputs', 'outputs', 'analog', 'status', 'counters', 'alarms'] as const;

// Each timed body returns a checksum of its work (accumulated in a local, so no number is boxed per
// operation) that ends up here: the JIT cannot drop work whose result is observable.
let sink = 0;

interface Timing {
  /** CPU time of this process per operation (median round). */
  readonly cpuNs: number;
  /** Wall-clock time per operation (median round); higher than `cpuNs` when the machine is busy. */
  readonly wallNs: number;
}

// Per-op cost is measured in CPU time of this process (user + system), not wall time: on a machine
// shared with other jobs, wall time also counts the time spent waiting for a core, and "per core"
// is what the figure is meant to say. Wall time is reported beside it.
function timeRounds(options: ScanCostOptions, body: (n: number) => number): Timing {
  sink += body(Math.min(options.iterations, 20_000)); // warm-up: get the function optimised first
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const produced = body(options.iterations);
    const elapsed = Number(process.hrtime.bigint() - t0);
    const c = process.cpuUsage(c0);
    sink += produced;
    wall.push(elapsed / options.iterations);
    cpu.push(((c.user + c.system) * 1000) / options.iterations);
  }
  return { cpuNs: median(cpu), wallNs: median(wall) };
}

/**
 * UTF-8 size of the payloads, as the MQTT client computes it before writing. Counted here because
 * concatenated strings are lazy (V8 ropes): measuring without touching the bytes would leave the
 * flattening cost to the socket write and flatter the encoder.
 */
function wireBytes(messages: ReadonlyArray<{ topic: string; payload: string }>): number {
  let bytes = 0;
  for (const m of messages) bytes += Buffer.byteLength(m.topic) + Buffer.byteLength(m.payload);
  return bytes;
}

// A full collection before each heap reading, for a steady memory figure; gc is exposed the way the
// harness's probed children do it, so the bench needs no `--expose-gc` on its command line.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

export async function runScanCost(ctx: BenchContext): Promise<string> {
  const run = startRun();
  const options = ctx.smoke ? SMOKE_RUN : FULL_RUN;
  const rows: Row[] = [];
  const measure = (name: string, kind: 'baseline' | 'simulator', body: (n: number) => number) => {
    const timing = timeRounds(options, body);
    // cpuUsage() has microsecond resolution; a tiny smoke run may measure 0.
    const ns = Math.max(timing.cpuNs, 0.1);
    rows.push({
      case: name,
      kind,
      'ops/s per core': Math.round(1e9 / ns),
      'CPU ns/op': Math.round(ns * 10) / 10,
      'wall ns/op': Math.round(timing.wallNs * 10) / 10,
    });
    return timing;
  };
  const fixed: BottleFillerTags = createBottleFiller({ seed: 1 }).snapshot();
  const ts = new Date('2025-01-15T08:30:00.000Z');

  measure('baseline: empty loop', 'baseline', (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += i;
    return acc;
  });
  measure('baseline: JSON.stringify(fixed 30-tag object)', 'baseline', (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += JSON.stringify(fixed).length;
    return acc;
  });
  measure('baseline: JSON.stringify × 7 envelopes (naive encoding)', 'baseline', (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const timestamp = ts.toISOString();
      for (const kind of SEVEN) {
        const tags = kind === 'data' ? fixed : fixed[kind];
        acc += Buffer.byteLength(
          JSON.stringify({
            schemaVersion: 1,
            timestamp,
            machineId: 'filler-01',
            sequence: i,
            tags,
          }),
        );
      }
    }
    return acc;
  });
  const encodeOnly = measure('baseline: encodeScan(fixed tags) only', 'baseline', (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += wireBytes(encodeScan(fixed, { machineId: 'filler-01', sequence: i, timestamp: ts }));
    }
    return acc;
  });

  const one = createBottleFiller({ seed: 1 });
  measure('PLC scan: step(100)', 'simulator', (n) => {
    for (let i = 0; i < n; i++) one.step(100);
    return one.scan;
  });
  const interval = options.intervalMs;
  measure(`filler-scan: step(${interval})`, 'simulator', (n) => {
    for (let i = 0; i < n; i++) one.step(interval);
    return one.scan;
  });
  measure(`filler-scan: step(${interval}) + snapshot()`, 'simulator', (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      one.step(interval);
      acc += one.snapshot().counters.BottlesFilled;
    }
    return acc;
  });
  let sequence = 0;
  const withEncoding = measure(
    `filler-scan: step(${interval}) + snapshot() + encodeScan (7 payloads)`,
    'simulator',
    (n) => {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        one.step(interval);
        const messages = encodeScan(one.snapshot(), {
          machineId: one.machineId,
          sequence: sequence++,
          timestamp: ts,
        });
        acc += wireBytes(messages);
      }
      return acc;
    },
  );

  // A fleet: thousands of machines visited round-robin, so their state is not in the CPU cache the
  // way a single filler's is. Machine id as a topic level, as the fleet topic scheme has it.
  const heapBefore = heapUsed();
  const fleet: BottleFiller[] = [];
  for (let i = 0; i < options.fleetSize; i++) {
    fleet.push(createBottleFiller({ seed: 1, machineId: `filler-${String(i).padStart(5, '0')}` }));
  }
  const bytesPerFiller = Math.max(0, (heapUsed() - heapBefore) / options.fleetSize);
  let next = 0;
  const fleetCost: Timing[] = [];
  for (const [topics, includeMachineLevel] of [
    ['flat topics', false],
    ['machine topic level', true],
  ] as const) {
    const timing = measure(
      `fleet of ${options.fleetSize}: step(${interval}) + snapshot() + encodeScan, ${topics}`,
      'simulator',
      (n) => {
        let acc = 0;
        for (let i = 0; i < n; i++) {
          const sim = fleet[next]!;
          next = next + 1 === fleet.length ? 0 : next + 1;
          sim.step(interval);
          acc += wireBytes(
            encodeScan(sim.snapshot(), {
              machineId: sim.machineId,
              sequence: sim.scan,
              timestamp: ts,
              includeMachineLevel,
            }),
          );
        }
        return acc;
      },
    );
    fleetCost.push(timing);
  }
  if (sink === 42) ctx.log(''); // never true in practice; keeps `sink` alive

  const us = (ns: number) => `${round(ns / 1000)} µs`;
  const goals: GoalResult[] = [
    {
      goal: `one filler-scan including encoding of the seven payloads ≤ ${GOAL_NS / 1000} µs`,
      measured:
        `${us(withEncoding.cpuNs)} CPU (one filler; encodeScan alone ${us(encodeOnly.cpuNs)}); ` +
        `fleet of ${options.fleetSize}: ${us(fleetCost[0]!.cpuNs)} flat topics, ` +
        `${us(fleetCost[1]!.cpuNs)} machine topic level`,
      met: withEncoding.cpuNs <= GOAL_NS,
    },
    {
      goal: 'memory: heap per filler reported',
      measured: `~${Math.round(bytesPerFiller)} bytes of heap per filler (${options.fleetSize} created)`,
      met: null,
    },
  ];
  return finishRun(ctx, run, {
    name: 'scan-cost',
    title:
      "Simulator cost — filler-scans per core, with and without encoding (plc-sim's public API)",
    brokerSettings: {},
    brokerConfig: 'none: in-process simulation and encoding only',
    baseline:
      'empty loop, JSON.stringify of a fixed 30-tag object, seven naive JSON.stringify envelopes and encodeScan of fixed tags, same run',
    rows,
    goals,
    notes: [
      'Until issue 10 this was `npx nx run plc-sim:bench` (reports/bench/plc-sim.json); same cases, same sizes.',
      `Each case: a warm-up of up to 20,000 operations, then ${options.rounds} timed rounds of ${options.iterations} operations; the median round is reported.`,
      'CPU ns/op: this process’s process.cpuUsage (user + system) per operation, the cost on one core; wall ns/op beside it also counts waiting for a core on a busy machine.',
      `Fleet: ${options.fleetSize} fillers (seed 1) stepped round-robin, their state cold in the caches; memory = heap growth while creating them, a full GC before each reading.`,
    ],
  });
}
