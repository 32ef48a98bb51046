// Benchmark of the overview with a 1,000-filler fleet at 2 s (500 scans/s into the page), the
// virtualised page against a naive baseline (every row in the DOM, all re-rendered per message),
// in the same run on real Mosquitto, agent and Chromium. Prints a Markdown table.
//   npx nx bench dashboard            (BENCH_SECONDS=60 window, BENCH_FILLERS=1000)
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  DIST,
  killAll,
  launchChromium,
  servePage,
  startAgent,
  startBroker,
  waitFor,
} from '../e2e/stack.test-helper.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const FILLERS = Number(process.env.BENCH_FILLERS ?? 1000);

interface Figures {
  mode: string;
  longTasks: number;
  longestTaskMs: number;
  mainThreadPercent: number;
  heapStartMb: number;
  heapEndMb: number;
  messagesPerSecond: number;
  detailOpenMs: number;
}

const broker = await startBroker();
const agent = startAgent(broker, { FILLER_COUNT: String(FILLERS), PUBLISH_INTERVAL: '2' });
const server = await servePage();
const browser = await launchChromium();
const results: Figures[] = [];
try {
  for (const mode of ['virtual', 'naive'] as const) {
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
    await page.goto(`${server.url}?broker=${encodeURIComponent(broker.wsUrl!)}&render=${mode}`);
    await waitFor(
      async () => (await page.getByTestId('machine-count').textContent()) === String(FILLERS),
      `${FILLERS} machines (${mode})`,
      120_000,
    );
    const metrics = async () =>
      Object.fromEntries(
        (
          (await cdp.send('Performance.getMetrics')) as {
            metrics: Array<{ name: string; value: number }>;
          }
        ).metrics.map((m) => [m.name, m.value]),
      );
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
    const longTasks = await page.evaluate(
      () => (window as unknown as { longTasks: number[] }).longTasks,
    );
    const received =
      (await page.evaluate(() =>
        (
          window as unknown as { otMqttDashboard: { received(): number } }
        ).otMqttDashboard.received(),
      )) - startReceived;
    await cdp.send('HeapProfiler.collectGarbage');
    const end = await metrics();
    const opened = Date.now();
    await page.evaluate(() => (window.location.hash = '#/machine/filler-0001'));
    await page.locator('[data-trend="FillLevel"] canvas').waitFor();
    await page.locator('[data-tag="FillValve"]').first().waitFor();
    const detailOpenMs = Date.now() - opened;
    results.push({
      mode,
      longTasks: longTasks.length,
      longestTaskMs: Math.round(Math.max(0, ...longTasks)),
      mainThreadPercent: (100 * ((end.TaskDuration ?? 0) - (start.TaskDuration ?? 0))) / wall,
      heapStartMb: (start.JSHeapUsedSize ?? 0) / 1e6,
      heapEndMb: (end.JSHeapUsedSize ?? 0) / 1e6,
      messagesPerSecond: received / wall,
      detailOpenMs,
    });
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  await agent.stop();
  await broker.stop();
  killAll();
}

const assets = join(DIST, 'assets');
const sizes = readdirSync(assets)
  .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
  .map((f) => ({ f, gz: gzipSync(readFileSync(join(assets, f)), { level: 9 }).length }));
const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const initial = sizes
  .filter((s) => html.includes(s.f) || s.f.startsWith('command-model'))
  .reduce((a, s) => a + s.gz, 0);
const total = sizes.reduce((a, s) => a + s.gz, 0);
const kb = (n: number) => (n / 1024).toFixed(1);
console.log(
  `\n${FILLERS} fillers at 2 s, ${SECONDS} s window, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (2 cores, shared)\n`,
);
console.log(
  '| render | msgs/s into page | long tasks (> 50 ms) | longest task | main-thread time | heap start → end (after GC) | detail open |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const heapChange = ((r.heapEndMb - r.heapStartMb) / r.heapStartMb) * 100;
  console.log(
    `| ${r.mode === 'virtual' ? 'dashboard (virtualised, one flush per frame)' : 'naive baseline (all rows, re-render per message)'} | ${r.messagesPerSecond.toFixed(0)} | ${r.longTasks} | ${r.longestTaskMs} ms | ${r.mainThreadPercent.toFixed(1)} % | ${r.heapStartMb.toFixed(1)} → ${r.heapEndMb.toFixed(1)} MB (${heapChange >= 0 ? '+' : ''}${heapChange.toFixed(1)} %) | ${r.detailOpenMs} ms |`,
  );
}
console.log(
  `\nBundle (gzip -9): first load ${kb(initial)} kB (JS + CSS), all chunks ${kb(total)} kB; ${sizes.map((s) => `${s.f} ${kb(s.gz)} kB`).join(', ')}`,
);
