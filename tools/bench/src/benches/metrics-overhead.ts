import { freePort } from '@ot-mqtt/broker';
import { startBenchBroker } from '../harness/bench-broker.js';
import { envList, envNumber, type BenchContext } from '../harness/bench-context.js';
import { spawnCounted } from '../harness/child-process.js';
import { processCpuMs, processMemory } from '../harness/proc-stats.js';
import { finishRun, startRun, type GoalResult, type Row } from '../harness/report.js';
import { median } from '../harness/stats.js';
import { hold } from '../harness/wait-for.js';
import { AGENT_MAIN, missingApp } from '../harness/workspace-paths.js';

interface Cell {
  readonly fillers: number;
  readonly metrics: boolean;
  readonly cpuMsPerScan: number;
  readonly rssMb: number;
  readonly scrapeMs?: { readonly median: number; readonly max: number };
}

/**
 * The built agent with `fillers` fillers at the seed's 2 s interval, metrics on or off: CPU per scan
 * over the window, RSS as the median of one reading a second (a single reading lands anywhere in
 * V8's collection cycle), and with metrics on the `/metrics` scrape time.
 */
async function measure(
  url: string,
  fillers: number,
  metrics: boolean,
  settleMs: number,
  windowMs: number,
): Promise<Cell> {
  const port = metrics ? await freePort() : undefined;
  const child = spawnCounted(process.execPath, [AGENT_MAIN], {
    MQTT_URL: url,
    FILLER_COUNT: String(fillers),
    SUMMARY_INTERVAL: '0',
    ...(port === undefined ? {} : { METRICS_PORT: String(port) }),
  });
  try {
    await hold(settleMs);
    const cpu0 = processCpuMs(child.pid) ?? Number.NaN;
    const rss: number[] = [];
    for (let t = 0; t < windowMs; t += 1000) {
      await hold(1000);
      rss.push(processMemory(child.pid)?.rssMb ?? Number.NaN);
    }
    const cpuMs = (processCpuMs(child.pid) ?? Number.NaN) - cpu0;
    const scans = (fillers * windowMs) / 2000;
    let scrapeMs: Cell['scrapeMs'];
    if (port !== undefined) {
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        times.push(performance.now() - t);
      }
      scrapeMs = { median: median(times), max: Math.max(...times) };
    }
    return {
      fillers,
      metrics,
      cpuMsPerScan: cpuMs / scans,
      rssMb: median(rss),
      ...(scrapeMs === undefined ? {} : { scrapeMs }),
    };
  } finally {
    await child.stop();
  }
}

/** Issue 14: the agent's metrics on vs off, same run, same broker; goals ≤ 5 % CPU, ≤ 5 MB, ≤ 50 ms. */
export async function runMetricsOverhead(ctx: BenchContext): Promise<string> {
  const run = startRun();
  const fleets = ctx.smoke ? [1, 20] : envList('BENCH_METRICS_FILLERS', [1, 1000]);
  const settleMs = ctx.smoke ? 2000 : envNumber('BENCH_SETTLE_MS', 8000);
  const windowMs = ctx.smoke ? 2000 : envNumber('BENCH_METRICS_WINDOW_MS', 15_000);
  const notes: string[] = [];
  const rows: Row[] = [];
  const goals: GoalResult[] = [];
  const missing = missingApp(AGENT_MAIN);
  const bench = await startBenchBroker();
  try {
    for (const fillers of missing ? [] : fleets) {
      // Off, on, on, off: a drift of the machine's load over the four runs weighs on both sides.
      const cells: Cell[] = [];
      for (const metrics of [false, true, true, false])
        cells.push(await measure(bench.broker.url, fillers, metrics, settleMs, windowMs));
      const side = (on: boolean) => cells.filter((c) => c.metrics === on);
      const avg = (list: Cell[], key: 'cpuMsPerScan' | 'rssMb') =>
        list.reduce((n, c) => n + c[key], 0) / list.length;
      const [off, on] = [side(false), side(true)];
      const scrape = on.map((c) => c.scrapeMs!);
      const cpuMore = avg(on, 'cpuMsPerScan') / avg(off, 'cpuMsPerScan') - 1;
      const rssMore = avg(on, 'rssMb') - avg(off, 'rssMb');
      rows.push({
        fillers,
        'CPU ms/scan off': avg(off, 'cpuMsPerScan'),
        'CPU ms/scan on': avg(on, 'cpuMsPerScan'),
        'RSS MB off': avg(off, 'rssMb'),
        'RSS MB on': avg(on, 'rssMb'),
        'scrape ms (median)': median(scrape.map((s) => s.median)),
        'scrape ms (max)': Math.max(...scrape.map((s) => s.max)),
      });
      ctx.log(
        `  ${fillers} filler(s): CPU ${(cpuMore * 100).toFixed(1)} %, RSS ${rssMore.toFixed(1)} MB more with metrics; scrape median ${median(scrape.map((s) => s.median)).toFixed(1)} ms`,
      );
      goals.push(
        {
          goal: `${fillers} filler(s): metrics cost ≤ 5 % more CPU per scan`,
          measured: `${(cpuMore * 100).toFixed(1)} %`,
          met: cpuMore <= 0.05,
        },
        {
          goal: `${fillers} filler(s): metrics cost ≤ 5 MB more RSS`,
          measured: `${rssMore.toFixed(1)} MB`,
          met: rssMore <= 5,
        },
      );
      if (fillers >= 1000)
        goals.push({
          goal: `/metrics scrape ≤ 50 ms at ${fillers} fillers`,
          measured: `median ${median(scrape.map((s) => s.median)).toFixed(1)} ms`,
          met: median(scrape.map((s) => s.median)) <= 50,
        });
    }
  } finally {
    await bench.stop();
  }
  if (missing) {
    notes.push(`agent not measured: ${missing}.`);
    goals.push({ goal: 'metrics overhead', measured: 'agent not available', met: null });
  }
  notes.push(
    `Each fleet size four times — metrics off, on, on, off — with the agent from apps/agent/dist against the bench broker; ${settleMs / 1000} s to start, then a ${windowMs / 1000} s window: CPU from /proc (utime + stime) per scan, RSS the median of one VmRSS reading a second; with metrics on, 20 sequential scrapes of /metrics.`,
    'The machine-labelled series are bounded by METRICS_MAX_MACHINES (default 100): the parts of the memory are measured in fresh processes by tools/bench/scripts/metrics-memory.mjs.',
  );
  return finishRun(ctx, run, {
    name: 'metrics-overhead',
    title: 'Metrics overhead (issue 14) — the agent with METRICS_PORT vs without, same run',
    brokerSettings: bench.settings,
    baseline: 'the same agent build without METRICS_PORT, interleaved in the same run',
    rows,
    goals,
    notes,
  });
}
