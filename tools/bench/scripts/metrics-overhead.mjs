// Metrics on vs off in the same run (issue 14): the built agent at the seed's defaults and at 1,000
// fillers against one Mosquitto; CPU per scan and RSS over a window, and /metrics scrape time.
// Usage: node tools/bench/scripts/metrics-overhead.mjs <mqtt-url> [windowSeconds]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.argv[2];
const windowMs = Number(process.argv[3] ?? 15) * 1000;
// AGENT_MAIN: another build of the agent (e.g. before and after a change, side by side).
const AGENT =
  process.env.AGENT_MAIN ?? new URL('../../../apps/agent/dist/main.js', import.meta.url).pathname;
const cpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
const rssMb = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function run(fillers, metrics, port) {
  const env = {
    PATH: process.env.PATH,
    MQTT_URL: url,
    FILLER_COUNT: String(fillers),
    SUMMARY_INTERVAL: '0',
  };
  if (metrics) env.METRICS_PORT = String(port);
  const child = spawn(process.execPath, [AGENT], { env, stdio: 'ignore' });
  await sleep(8000); // start-up and connection out of the window
  const c0 = cpuMs(child.pid);
  // RSS once a second over the window, median: one reading lands anywhere in V8's GC cycle.
  const samples = [];
  for (let t = 0; t < windowMs; t += 1000) {
    await sleep(1000);
    samples.push(rssMb(child.pid));
  }
  const cpu = cpuMs(child.pid) - c0;
  const rss = samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  const scans = (fillers * windowMs) / 2000; // PUBLISH_INTERVAL 2 s, the seed default
  let scrape;
  if (metrics) {
    const times = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await (await globalThis.fetch(`http://127.0.0.1:${port}/metrics`)).text();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    scrape = { median: times[10], max: times[19] };
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { fillers, metrics, cpuPerScanMs: cpu / scans, rssMb: rss, scrape };
}

const rows = [];
for (const fillers of [1, 1000])
  for (const metrics of [false, true]) rows.push(await run(fillers, metrics, 19500 + rows.length));
console.log(JSON.stringify({ loadavg: loadavg(), rows }, null, 1));
