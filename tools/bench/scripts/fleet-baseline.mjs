/* global setTimeout, setInterval */
// Baseline of the fleet bench: raw mqtt.js, one connection, N simulated fillers each publishing the
// seven envelope payloads every interval (phases spread over the interval), no simulator and no
// library of ours. What an agent costs on top of this is our cost.
// Env: BENCH_URL, BENCH_N, BENCH_INTERVAL_MS, BENCH_QOS, BENCH_TEMPLATES (JSON: [[kind, tagsJson], ...]).
import mqtt from 'mqtt';

const url = process.env.BENCH_URL;
const n = Number(process.env.BENCH_N);
const intervalMs = Number(process.env.BENCH_INTERVAL_MS);
const qos = Number(process.env.BENCH_QOS ?? '1');
const templates = JSON.parse(process.env.BENCH_TEMPLATES ?? '[]');

const client = await mqtt.connectAsync(url, {
  clientId: `fleet-baseline-${process.pid}`,
  clean: true,
  keepalive: 60,
  reconnectPeriod: 0,
});

const pad = String(n).length;
for (let i = 0; i < n; i++) {
  const machineId = `filler-${String(i + 1).padStart(Math.max(2, pad), '0')}`;
  const topics = templates.map(
    ([kind]) => `plc/bottlefiller/${n === 1 ? '' : `${machineId}/`}${kind}`,
  );
  let sequence = 0;
  const scan = () => {
    const head = `{"schemaVersion":1,"timestamp":"${new Date().toISOString()}","machineId":"${machineId}","sequence":${sequence++},"tags":`;
    for (let t = 0; t < templates.length; t++) {
      client.publish(topics[t], head + templates[t][1] + '}', { qos });
    }
  };
  setTimeout(
    () => {
      scan();
      setInterval(scan, intervalMs);
    },
    (i * intervalMs) / n,
  );
}

const stop = () => client.end(false, {}, () => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
