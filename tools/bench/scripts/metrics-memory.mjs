// What the agent's metrics cost in memory and scrape time, part by part (issue 14): loading
// prom-client with Node's default process metrics, our registry, and the per-machine series of
// 1,000 fillers (every machine labelled, as before, vs METRICS_MAX_MACHINES=100, now). Each case in a fresh process, RSS after two full GCs, so the figures
// do not depend on the machine's load the way a running agent's do.
// Usage: node --expose-gc tools/bench/scripts/metrics-memory.mjs   (packages/metrics built)
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';

const cases = {
  'nothing loaded': '',
  'prom-client + collectDefaultMetrics': `
    const p = await import('prom-client'); const r = new p.Registry(); p.collectDefaultMetrics({ register: r }); await r.metrics();`,
  '@ot-mqtt/metrics registry': `
    const m = await import('@ot-mqtt/metrics'); const r = m.createMetricsRegistry({ app: 'agent' }); await r.metrics();`,
  '1,000 machines, every one labelled (before)': `
    const m = await import('@ot-mqtt/metrics'); const r = m.createMetricsRegistry({ app: 'agent' });
    const t = { scans: 1, messages: 7, acked: 7, failed: 0, invalid: 0 };
    m.createAgentMetrics({ registry: r, machines: Array.from({ length: 1000 }, (_, i) => ({ id: 'filler-' + i, counters: () => t })) });
    globalThis.scrape = () => r.metrics();`,
  '1,000 machines, METRICS_MAX_MACHINES=100 (now)': `
    const m = await import('@ot-mqtt/metrics'); const r = m.createMetricsRegistry({ app: 'agent' });
    const t = { scans: 1, messages: 7, acked: 7, failed: 0, invalid: 0 };
    m.createAgentMetrics({ registry: r, maxMachines: 100, machines: Array.from({ length: 1000 }, (_, i) => ({ id: 'filler-' + i, counters: () => t })) });
    globalThis.scrape = () => r.metrics();`,
};
const measure = (setup) => `
  const gc = () => { globalThis.gc(); globalThis.gc(); };
  await import('node:http'); await import('mqtt'); gc();
  const before = process.memoryUsage().rss;
  ${setup}
  const times = [];
  if (globalThis.scrape) for (let i = 0; i < 30; i++) { const t = performance.now(); await globalThis.scrape(); times.push(performance.now() - t); }
  gc();
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ rssMb: (process.memoryUsage().rss - before) / 1048576, scrapeMs: times[15] ?? null }));`;
const rows = [];
for (const [name, setup] of Object.entries(cases)) {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--input-type=module', '-e', measure(setup)],
    {
      cwd: new URL('../../../packages/metrics/', import.meta.url).pathname,
      encoding: 'utf8',
    },
  );
  rows.push({ case: name, ...JSON.parse(out) });
}
console.log(JSON.stringify({ loadavg: loadavg(), rows }, null, 1));
