// Benchmark of issue 13's goals with a 1,000-filler fleet at 2 s (500 scans/s into the page): the
// dashboard (MQTT in a worker handing messages over in 100 ms batches, virtualised overview, at most
// five flushes a second, trends backfilled as ≤ 1,000 buckets) against a naive baseline in the same
// run (MQTT on the main thread, a task per message, every row in the DOM re-rendered per message,
// every stored point backfilled), on real Mosquitto, agent, gateway and Chromium. Prints a Markdown
// table and, last, each goal MET or NOT MET with the load average.
//   npx nx bench dashboard
//   BENCH_SECONDS        long-task / main-thread window (default 60)
//   BENCH_HEAP_SECONDS   JS heap window, counted from the same start (default = BENCH_SECONDS;
//                        the issue's goal is 600 — a long run for a quiet machine)
//   BENCH_FILLERS        fleet size (default 1000)
//   BENCH_BACKFILL_MINUTES  history stored for the machine opened in detail (default 60)
//   BENCH_WARMUP_SECONDS    after the fleet is listed, before the windows start (default 10)
//   BENCH_MODES          which pages to measure, comma-separated (default "virtual,naive"; the
//                        10-minute heap run needs only "virtual")
// Ends with a "Goals" list: each of issue 13's goals, met or not met, with the load average.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openHistorian } from '@ot-mqtt/historian';
import { createBottleFiller } from '@ot-mqtt/plc-sim';
import {
  DIST,
  killAll,
  launchChromium,
  servePage,
  startAgent,
  startBroker,
  startGateway,
  waitFor,
  waitForMachines,
} from '../e2e/stack.test-helper.js';

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`Invalid ${name}="${raw}": a positive number`);
    process.exit(2);
  }
  return value;
}

const SECONDS = positive('BENCH_SECONDS', 60);
const HEAP_SECONDS = Math.max(SECONDS, positive('BENCH_HEAP_SECONDS', SECONDS));
const FILLERS = positive('BENCH_FILLERS', 1000);
const BACKFILL_MINUTES = positive('BENCH_BACKFILL_MINUTES', 60);
const WARMUP_SECONDS = positive('BENCH_WARMUP_SECONDS', 10);
const MODES = (process.env.BENCH_MODES ?? 'virtual,naive').split(',').map((m) => m.trim());
if (MODES.length === 0 || MODES.some((m) => m !== 'virtual' && m !== 'naive')) {
  console.error(`Invalid BENCH_MODES="${process.env.BENCH_MODES}": "virtual", "naive" or both`);
  process.exit(2);
}
const DETAIL_MACHINE = 'filler-0001';
const loadAtStart = loadavg();

interface Figures {
  mode: string;
  longTasks: number;
  longestTaskMs: number;
  mainThreadPercent: number;
  heapStartMb: number;
  heapEndMb: number;
  heapMinMb: number;
  heapMaxMb: number;
  messagesPerSecond: number;
  detailOpenMs: number;
  /** Of which the history request (resource timing), ms. */
  historyRequestMs: number;
  backfilledPoints: number;
}

/** Stores `minutes` of 2 s scans of one simulated filler, ending now, in a new SQLite historian. */
async function seedHistory(machineId: string, minutes: number): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'dashboard-bench-history-')), 'historian.sqlite');
  const store = await openHistorian(file);
  const filler = createBottleFiller({ machineId });
  const count = Math.round((minutes * 60) / 2);
  const end = Date.now() - 2_000;
  const scans = [];
  for (let sequence = 0; sequence < count; sequence++) {
    filler.step(2_000);
    scans.push({
      machineId,
      sequence,
      timestamp: end - (count - 1 - sequence) * 2_000,
      tags: filler.snapshot(),
    });
  }
  for (let i = 0; i < scans.length; i += 500) await store.writeScans(scans.slice(i, i + 500));
  await store.close();
  return file;
}

const historyDb = await seedHistory(DETAIL_MACHINE, BACKFILL_MINUTES);
const broker = await startBroker();
// The gateway serves the seeded history only: on a topic root of its own it ingests none of the
// fleet's 500 scans/s, which would measure SQLite on this machine rather than the page.
const gateway = await startGateway(broker, {
  HISTORIAN_DB: historyDb,
  TOPIC_ROOT: 'bench/gateway-ingests-nothing',
});
const agent = startAgent(broker, { FILLER_COUNT: String(FILLERS), PUBLISH_INTERVAL: '2' });
const server = await servePage(gateway.url.replace(/\/$/u, ''));
const browser = await launchChromium();
const results: Figures[] = [];
try {
  for (const mode of MODES) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    // The fleet's root: the gateway's (served in dashboard-config.json) is the one it ignores.
    await page.goto(
      `${server.url}?broker=${encodeURIComponent(broker.wsUrl!)}&root=plc/bottlefiller&render=${mode}`,
    );
    await waitForMachines(page, FILLERS, 120_000);
    const metrics = async () =>
      Object.fromEntries(
        (
          (await cdp.send('Performance.getMetrics')) as {
            metrics: Array<{ name: string; value: number }>;
          }
        ).metrics.map((m) => [m.name, m.value]),
      );
    // Every machine's first scans in and the detail chunk prefetched: the steady state is measured.
    await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));
    await cdp.send('HeapProfiler.collectGarbage');
    const start = await metrics();
    const startReceived = await page.evaluate(() =>
      (window as unknown as { otMqttDashboard: { received(): number } }).otMqttDashboard.received(),
    );
    await page.evaluate(
      () => ((window as unknown as { longTasks: number[] }).longTasks.length = 0),
    );
    const t0 = Date.now();
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    const wall = (Date.now() - t0) / 1000;
    const windowEnd = await metrics();
    const longTasks = await page.evaluate(
      () => (window as unknown as { longTasks: number[] }).longTasks,
    );
    const received =
      (await page.evaluate(() =>
        (
          window as unknown as { otMqttDashboard: { received(): number } }
        ).otMqttDashboard.received(),
      )) - startReceived;
    // The heap window goes on from the same start; sampled (without GC) every 10 s on the way.
    const heapSamples = [windowEnd.JSHeapUsedSize ?? 0];
    while (Date.now() - t0 < HEAP_SECONDS * 1000) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(10_000, HEAP_SECONDS * 1000 - (Date.now() - t0))),
      );
      heapSamples.push((await metrics()).JSHeapUsedSize ?? 0);
    }
    await cdp.send('HeapProfiler.collectGarbage');
    const end = await metrics();
    // Detail with its backfill: from the click on the overview's link until the trends hold the
    // stored history (history loaded, FillLevel's buffer filled) and the mimic shows live values.
    const opened = Date.now();
    await page.evaluate((id) => (window.location.hash = `#/machine/${id}`), DETAIL_MACHINE);
    await waitFor(
      async () =>
        (await page.getByTestId('history-status').getAttribute('data-status')) === 'loaded' &&
        Number(await page.locator('[data-trend="FillLevel"]').getAttribute('data-points')) > 100,
      `the detail of ${DETAIL_MACHINE} with its backfill (${mode})`,
      120_000,
    );
    await page.locator('[data-trend="FillLevel"] canvas').first().waitFor();
    await page.locator('[data-tag="FillValve"]').first().waitFor();
    const detailOpenMs = Date.now() - opened;
    const backfilledPoints = Number(
      /^(\d+) points/u.exec((await page.getByTestId('history-status').textContent()) ?? '')?.[1] ??
        0,
    );
    const historyRequestMs = await page.evaluate(() =>
      Math.round(
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/history?'))
          .reduce((longest, e) => Math.max(longest, e.duration), 0),
      ),
    );
    results.push({
      mode,
      longTasks: longTasks.length,
      longestTaskMs: Math.round(Math.max(0, ...longTasks)),
      mainThreadPercent: (100 * ((windowEnd.TaskDuration ?? 0) - (start.TaskDuration ?? 0))) / wall,
      heapStartMb: (start.JSHeapUsedSize ?? 0) / 1e6,
      heapEndMb: (end.JSHeapUsedSize ?? 0) / 1e6,
      heapMinMb: Math.min(...heapSamples) / 1e6,
      heapMaxMb: Math.max(...heapSamples) / 1e6,
      messagesPerSecond: received / wall,
      detailOpenMs,
      historyRequestMs,
      backfilledPoints,
    });
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  await agent.stop();
  await gateway.stop();
  await broker.stop();
  killAll();
}

const assets = join(DIST, 'assets');
const sizes = readdirSync(assets)
  .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
  .map((f) => ({ f, gz: gzipSync(readFileSync(join(assets, f)), { level: 9 }).length }));
const initial = sizes
  // Everything the page loads before an operator opens a machine: all but the detail screen's lazy
  // chunk and the naive baseline's in-page MQTT link (index, the chunk index shares with the
  // detail screen, CSS, and the broker worker it starts).
  .filter((s) => !s.f.startsWith('machine-detail') && !s.f.startsWith('broker-link'))
  .reduce((a, s) => a + s.gz, 0);
const total = sizes.reduce((a, s) => a + s.gz, 0);
const kb = (n: number) => (n / 1024).toFixed(1);
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
console.log(
  `\n${FILLERS} fillers at 2 s; long tasks and main-thread time over ${SECONDS} s, heap over ${HEAP_SECONDS} s; ` +
    `detail of ${DETAIL_MACHINE} with ${BACKFILL_MINUTES} min of stored history. Load average at start ${load(loadAtStart)}, ` +
    `at end ${load(loadavg())} (1 / 5 / 15 min)\n`,
);
console.log(
  '| render | msgs/s into page | long tasks (> 50 ms) | longest task | main-thread time | heap start → end (after GC) | heap min–max (samples) | detail open with backfill |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const heapChange = ((r.heapEndMb - r.heapStartMb) / r.heapStartMb) * 100;
  console.log(
    `| ${r.mode === 'virtual' ? 'dashboard (MQTT in a worker, 100 ms batches; virtualised, ≤ 5 flushes/s, ≤ 1,000 buckets per trend)' : 'naive baseline (MQTT on the main thread, all rows, re-render per message, every stored point)'} | ${r.messagesPerSecond.toFixed(0)} | ${r.longTasks} | ${r.longestTaskMs} ms | ${r.mainThreadPercent.toFixed(1)} % | ${r.heapStartMb.toFixed(1)} → ${r.heapEndMb.toFixed(1)} MB (${heapChange >= 0 ? '+' : ''}${heapChange.toFixed(1)} %) | ${r.heapMinMb.toFixed(1)}–${r.heapMaxMb.toFixed(1)} MB | ${r.detailOpenMs} ms (${r.backfilledPoints} points; history request ${r.historyRequestMs} ms) |`,
  );
}
// The floor any MQTT-over-WebSocket page pays: mqtt.js's browser build alone, minified.
// (mqtt's exports map hides dist/: found beside its main entry.)
const mqttBuild = join(
  dirname(createRequire(import.meta.url).resolve('mqtt')),
  '..',
  'dist',
  'mqtt.esm.js',
);
const mqttAlone = gzipSync(readFileSync(mqttBuild), { level: 9 }).length;
console.log(
  `\nBundle (gzip -9): first load ${kb(initial)} kB (JS + CSS), all chunks ${kb(total)} kB; ${sizes.map((s) => `${s.f} ${kb(s.gz)} kB`).join(', ')}. ` +
    `Reference: mqtt.js's browser build alone ${kb(mqttAlone)} kB.`,
);

// Each goal of issue 13, judged on this run's dashboard figures (the baseline is for comparison).
const dashboardRun = results.find((r) => r.mode === 'virtual');
if (dashboardRun) {
  const r = dashboardRun;
  const heapChange = ((r.heapEndMb - r.heapStartMb) / r.heapStartMb) * 100;
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  const goals: Array<[string, string, boolean]> = [
    [
      'no long task over 50 ms in the window',
      `${r.longTasks} long tasks, longest ${r.longestTaskMs} ms`,
      r.longTasks === 0,
    ],
    [
      'main-thread time per second ≤ 20 %',
      `${r.mainThreadPercent.toFixed(1)} %`,
      r.mainThreadPercent <= 20,
    ],
    [
      `JS heap flat ± 10 % (over ${HEAP_SECONDS} s${HEAP_SECONDS < 600 ? '; the goal is 10 min: BENCH_HEAP_SECONDS=600' : ''})`,
      `${heapChange >= 0 ? '+' : ''}${heapChange.toFixed(1)} %`,
      Math.abs(heapChange) <= 10,
    ],
    [
      'detail with 1 h of trend backfilled opens in ≤ 1 s',
      `${r.detailOpenMs} ms`,
      r.detailOpenMs <= 1000,
    ],
    ['first-load bundle ≤ 150 kB gzip', `${kb(initial)} kB`, initial <= 150 * 1024],
  ];
  console.log(`\nGoals (issue 13), load average now ${load(loadavg())}:`);
  for (const [goal, figure, ok] of goals) console.log(`- ${goal}: ${verdict(ok)} (${figure})`);
}
