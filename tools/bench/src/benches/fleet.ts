import { variedTags } from '@ot-mqtt/tag-model/testing';
import { encodeScan } from '@ot-mqtt/tag-model';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { startBenchBroker } from '../harness/bench-broker.js';
import { envList, envNumber, type BenchContext } from '../harness/bench-context.js';
import { spawnCounted, type CountedChild } from '../harness/child-process.js';
import { openCpuWindow, processMemory } from '../harness/proc-stats.js';
import { finishRun, startRun, type GoalResult, type Row } from '../harness/report.js';
import { ScanProbe } from '../harness/scan-probe.js';
import { summarize } from '../harness/stats.js';
import { hold, waitFor } from '../harness/wait-for.js';
import { AGENT_MAIN, SCRIPTS_DIR, missingApp } from '../harness/workspace-paths.js';

interface Cell {
  readonly publisher: string;
  readonly n: number;
  readonly row: Row;
  readonly ok: boolean;
}

/** The seven `[kind, tags JSON]` pairs of a realistic scan, for the raw baseline publisher. */
function templates(): string {
  const messages = encodeScan(variedTags(1), {
    machineId: 'x',
    sequence: 0,
    timestamp: new Date(0),
  });
  return JSON.stringify(
    messages.map((m) => {
      const body = m.payload.slice(m.payload.indexOf('"tags":') + 7, -1);
      return [m.topic.slice(m.topic.lastIndexOf('/') + 1), body];
    }),
  );
}

async function measure(
  publisher: string,
  n: number,
  start: () => CountedChild,
  url: string,
  brokerPid: number,
  timing: { intervalMs: number; windowMs: number; settleLimitMs: number },
  log: (line: string) => void,
): Promise<Cell> {
  const probe = await ScanProbe.open(url, 'plc/bottlefiller/#', timing.intervalMs);
  const child = start();
  try {
    await probe.firstMessage(20_000, `${publisher} (N=${n}) to publish`).catch((error: unknown) => {
      throw new Error(
        `${String(error)}; exit ${JSON.stringify(child.exit())}; stderr: ${child.stderr().slice(-500)}`,
      );
    });
    // Ramp-up: a large fleet takes a while to start every filler. Wait (bounded) until every
    // machine has published, then one more interval so each phase has come round before the window.
    const rampDeadline = Math.max(10_000, 3 * timing.intervalMs + n * 6);
    const ramp0 = performance.now();
    await waitFor(() => probe.machines() >= n, rampDeadline, `${n} machines`, 20).catch(
      () => undefined,
    );
    const rampMs = performance.now() - ramp0;
    await hold(timing.intervalMs + (timing.intervalMs < 1000 ? 200 : 500));
    const settleMs = await settle(probe, timing.intervalMs, timing.settleLimitMs);
    const cpu = openCpuWindow({ publisher: child.pid, broker: brokerPid });
    probe.start();
    await hold(timing.windowMs);
    const seen = probe.stop();
    const usage = cpu.stop();
    const memory = processMemory(child.pid);
    const lat = summarize(seen.latencies);
    const rate = (seen.messages / seen.windowMs) * 1000;
    const publisherCpu = usage['publisher'] ?? Number.NaN;
    const row: Row = {
      publisher,
      N: n,
      'expected msg/s': (7 * n * 1000) / timing.intervalMs,
      'msg/s': rate,
      machines: seen.machines,
      'all up after s': probe.machines() >= n ? rampMs / 1000 : null,
      'settled after s': settleMs === null ? null : settleMs / 1000,
      'CPU %': publisherCpu,
      'CPU µs/scan': ((publisherCpu / 100) * seen.windowMs * 1000) / Math.max(1, seen.dataMessages),
      'RSS MB': memory?.rssMb ?? null,
      'peak RSS MB': memory?.hwmMb ?? null,
      'broker CPU %': usage['broker'] ?? null,
      'subscriber CPU %': usage['self'] ?? null,
      'p50 ms': lat.p50,
      'p99 ms': lat.p99,
      'max ms': lat.max,
      'late scans': seen.lateScans,
      'missing scans': seen.missingScans,
    };
    const ok =
      seen.machines >= n && lat.p99 < 100 && seen.lateScans === 0 && seen.missingScans === 0;
    log(
      `  ${publisher.padEnd(16)} N=${String(n).padStart(5)}: ${Math.round(rate)} msg/s, p99 ${lat.p99} ms, late ${seen.lateScans}, missing ${seen.missingScans}, CPU ${publisherCpu.toFixed(1)} %, RSS ${memory?.rssMb.toFixed(0)} MB`,
    );
    return { publisher, n, row, ok };
  } finally {
    await child.stop();
    await probe.close();
  }
}

/** Longest a cell waits for its publisher to work off the start-up backlog before measuring. */
const SETTLE_LIMIT_MS = 30_000;

/**
 * Waits (bounded) until the publisher has worked off its start-up backlog: a one-second sample
 * whose median latency is under the 100 ms goal. A large fleet starts with a backlog (every
 * filler's first scan, its retained `online` and PackML messages, a cold JIT) which a machine
 * near its CPU limit drains slowly; the goal is about the steady state, and how long the backlog
 * took is reported beside it. Resolves with the ms it took, or null when it never settled (the
 * window then measures the lag).
 */
async function settle(
  probe: ScanProbe,
  intervalMs: number,
  limitMs: number,
): Promise<number | null> {
  const started = performance.now();
  const sampleMs = Math.min(1000, intervalMs);
  while (performance.now() - started < limitMs) {
    probe.start();
    await hold(sampleMs);
    const sample = summarize(probe.stop().latencies);
    if (sample.p50 < 100) return performance.now() - started;
  }
  return null;
}

/** Benchmark 3: N fillers at the 2 s interval, the agent's fleet mode vs a raw mqtt.js publisher. */
export async function runFleet(ctx: BenchContext): Promise<string> {
  const run = startRun();
  const ns = ctx.smoke ? [1, 10] : envList('BENCH_FLEET_N', [1, 10, 100, 1000, 5000, 10000]);
  const intervalMs = ctx.smoke ? 300 : envNumber('BENCH_FLEET_INTERVAL_MS', 2000);
  const windowMs = ctx.smoke ? 700 : envNumber('BENCH_FLEET_WINDOW_MS', 10_000);
  const timing = { intervalMs, windowMs, settleLimitMs: ctx.smoke ? 2000 : SETTLE_LIMIT_MS };
  const notes: string[] = [];
  const agentMissing = missingApp(AGENT_MAIN);
  if (agentMissing) notes.push(`agent not measured: ${agentMissing}.`);

  const bench = await startBenchBroker();
  const url = bench.broker.url;
  const port = String(bench.broker.ports[1883]);
  const tpl = templates();
  const cells: Cell[] = [];
  let agentHasFleet = !agentMissing;
  try {
    for (const n of ns) {
      cells.push(
        await measure(
          'raw mqtt.js',
          n,
          () =>
            spawnCounted(process.execPath, [join(SCRIPTS_DIR, 'fleet-baseline.mjs')], {
              BENCH_URL: url,
              BENCH_N: String(n),
              BENCH_INTERVAL_MS: String(intervalMs),
              BENCH_QOS: '1',
              BENCH_TEMPLATES: tpl,
            }),
          url,
          bench.broker.pid,
          timing,
          ctx.log,
        ),
      );
      if (!agentHasFleet) continue;
      try {
        const cell = await measure(
          'agent',
          n,
          () =>
            spawnCounted(process.execPath, [AGENT_MAIN], {
              MQTT_BROKER_HOST: '127.0.0.1',
              MQTT_BROKER_PORT: port,
              PUBLISH_INTERVAL: String(intervalMs / 1000),
              FILLER_COUNT: String(n),
              LOG_LEVEL: 'warn',
            }),
          url,
          bench.broker.pid,
          timing,
          ctx.log,
        );
        cells.push(cell);
        if (n > 1 && Number(cell.row['machines']) <= 1) {
          agentHasFleet = false;
          notes.push(
            `the agent ignored FILLER_COUNT=${n} (one machine seen): its fleet mode is not there yet, so only N=1 was measured for it.`,
          );
        }
      } catch (error) {
        agentHasFleet = false;
        notes.push(`agent at N=${n} failed: ${String(error).slice(0, 400)}`);
      }
    }
  } finally {
    await bench.stop();
  }

  const goals: GoalResult[] = [];
  for (const publisher of ['raw mqtt.js', 'agent']) {
    const mine = cells.filter((c) => c.publisher === publisher);
    if (mine.length === 0) continue;
    const passing = mine.filter((c) => c.ok).map((c) => c.n);
    const largest = passing.length ? Math.max(...passing) : 0;
    const upTo = mine.every((c) => c.n > largest || c.ok);
    goals.push({
      goal: `${publisher}: largest N with p99 < 100 ms and no late or missing scan`,
      measured: largest ? `N = ${largest}${upTo ? '' : ' (some smaller N failed)'}` : 'none',
      met: publisher === 'agent' ? largest >= 10_000 : null,
      ...(publisher === 'agent'
        ? { note: 'issue 6 goal: 10,000 fillers in one agent process' }
        : { note: 'baseline' }),
    });
  }
  const rawHeld = cells.filter((c) => c.publisher === 'raw mqtt.js' && c.ok).map((c) => c.n);
  const agentAt = (n: number) => cells.find((c) => c.publisher === 'agent' && c.n === n);
  if (rawHeld.length > 0 && cells.some((c) => c.publisher === 'agent')) {
    // What the machine allows is what the baseline holds in the same run: an agent that fails only
    // where raw mqtt.js — no simulator, same payloads, same broker — fails too is not the limit.
    const short = rawHeld.filter((n) => agentAt(n)?.ok !== true);
    goals.push({
      goal: 'agent holds every N the raw mqtt.js baseline holds in the same run',
      measured: short.length
        ? `baseline held N = ${rawHeld.join(', ')}; agent did not at N = ${short.join(', ')}`
        : `baseline held N = ${rawHeld.join(', ')}; agent too`,
      met: short.length === 0,
    });
  }
  // Publisher, broker and measuring subscriber share this machine's cores: their CPU at the
  // largest N says whether a larger fleet could fit here at all.
  const largestN = Math.max(...cells.map((c) => c.n));
  for (const c of cells.filter((cell) => cell.n === largestN)) {
    const parts = ['CPU %', 'broker CPU %', 'subscriber CPU %'].map((k) => Number(c.row[k]));
    const total = parts.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
    notes.push(
      `CPU budget at N = ${c.n} (${c.publisher}): publisher ${parts[0]!.toFixed(0)} % + broker ${parts[1]!.toFixed(0)} % + subscriber ${parts[2]!.toFixed(0)} % = ${total.toFixed(0)} % of one core, on a machine of ${availableParallelism()} cores (${availableParallelism() * 100} %).`,
    );
  }
  // CPU per scan only means something where the scans got through: a cell that delivered less
  // than 90 % of its expected rate divides the CPU by a fraction of the work (N = 10,000 with
  // nothing received in the window read 11,809,548 µs).
  const delivered = (c: Cell) => Number(c.row['msg/s']) >= 0.9 * Number(c.row['expected msg/s']);
  const ruled = cells.filter((c) => c.publisher === 'agent' && c.n >= 100);
  const agentCells = ruled.filter(delivered);
  const undelivered = ruled.filter((c) => !delivered(c));
  if (agentCells.length >= 2) {
    const perScan = agentCells.map((c) => Number(c.row['CPU µs/scan']));
    // The goal is that a filler does not get dearer as the fleet grows: a cost that falls with N
    // (fixed costs spread over more fillers, 880 → 109 µs) meets it. Only a rise counts — no N may
    // cost more than 2× the cheapest smaller N.
    const flat = perScan.every(
      (cost, i) => i === 0 || cost <= 2 * Math.min(...perScan.slice(0, i)),
    );
    goals.push({
      goal: 'agent: CPU cost per filler-scan flat as N grows (N ≥ 100; within 2×)',
      measured: [
        ...perScan.map((v, i) => `N=${agentCells[i]!.n}: ${v.toFixed(0)} µs`),
        ...undelivered.map(
          (c) =>
            `N=${c.n}: not counted (${Math.round((100 * Number(c.row['msg/s'])) / Number(c.row['expected msg/s']))} % of the expected msg/s delivered)`,
        ),
      ].join(', '),
      met: flat,
    });
  }
  if (!cells.some((c) => c.publisher === 'agent')) {
    goals.push({ goal: 'agent fleet figures', measured: 'agent not available', met: null });
  }
  notes.push(
    'Both publishers run as child processes on the same broker in the same run; a raw mqtt.js wildcard subscriber in the bench process reads every message at QoS 0 (the publishers publish at QoS 1; at QoS 1 Mosquitto’s max_inflight_messages 20 would cap the subscriber at 20 messages per round trip, ~3,500 msg/s here, and measure the instrument). CPU µs/scan = publisher CPU time / scans received in the window.',
    'Latency = subscriber clock − the timestamp embedded in the payload (ms resolution). A scan is late when its timestamp is more than 1.5 intervals after the machine’s previous one; missing = gaps in a machine’s sequence.',
    `Per cell: first message, then until every machine has published ('all up after s', bounded; – = not all within it), then one interval (${intervalMs} ms) + 0.5 s warm-up, then until a 1 s sample's median latency is under 100 ms ('settled after s', at most ${SETTLE_LIMIT_MS / 1000} s; – = never: the window then measures the backlog), then a ${windowMs / 1000} s window; CPU from /proc/<pid>/stat over the window, RSS = VmRSS at its end, peak = VmHWM.`,
  );
  return finishRun(ctx, run, {
    name: 'fleet',
    title: `Benchmark 3 — fleet: N fillers at a ${intervalMs / 1000} s interval, agent vs raw mqtt.js publisher`,
    brokerSettings: bench.settings,
    baseline:
      'tools/bench/scripts/fleet-baseline.mjs: raw mqtt.js, one connection, the same seven envelope payloads per filler per interval, phases spread, QoS 1, no simulator',
    rows: cells.map((c) => c.row),
    goals,
    notes,
  });
}
