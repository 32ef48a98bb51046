// Load for gateway.bench.ts, run as a child process so that neither the HTTP load generator nor
// the fleet's publisher shares the gateway's event loop (in one process their work showed up in
// the very latencies they measured). One JSON line on stdout. `node --import tsx bench-load.bench.ts '<json>'`.
import http from 'node:http';
import autocannon from 'autocannon';
import mqtt from 'mqtt';
import { percentile } from '@ot-mqtt/scan-monitor';
import { encodeScan } from '@ot-mqtt/tag-model';
import { someTags } from './gateway-process.test-helper.js';

/** What the bench asks for. */
export type LoadJob = HttpJob | PublishJob;
/** Requests at `rate` per second to each of `paths` for `seconds`. */
interface HttpJob {
  kind: 'autocannon' | 'paced';
  url: string;
  paths: string[];
  rate: number;
  seconds: number;
  /**
   * Requests sent first, at the same rate on the same connections, and not counted: every window
   * otherwise began with its connections' TCP handshakes and this fresh process's unoptimised
   * code — the first 2–3 requests per path took 10–25 ms against any server, bare `node:http`
   * included, which is 0.3 % of a 10 s window at 100 req/s and most of what p99 may leave out.
   */
  warmupSeconds?: number;
}
/** Scans published at `rate` per second for `seconds`. */
interface PublishJob {
  kind: 'publish';
  brokerUrl: string;
  prefix: string;
  rate: number;
  seconds: number;
}

/** Latency of one path, ms. */
export interface PathLatency {
  path: string;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  errors: number;
  /**
   * Paced only: p99 of how late the generator itself sent a request (its timer's lateness, counted
   * in the latency above): Node's timers fire on whole milliseconds of the loop's clock.
   */
  sentLateP99?: number;
}

/**
 * autocannon, one connection per path at `rate` requests/s each. autocannon's rate limit sends a
 * second's requests back to back at the start of the second, and its coordinated-omission
 * correction takes `Math.ceil(1 / rate)` = 1 ms as the expected interval (seconds mistaken for
 * ms), which adds a fake sample per millisecond of every response slower than 1 ms: corrected,
 * a 14 ms response counts 14 times. Requests on one connection are never queued behind each
 * other here, so the correction is off and each figure is the response time itself.
 */
async function runAutocannon(job: HttpJob) {
  const run = (duration: number) =>
    Promise.all(
      job.paths.map((path) =>
        autocannon({
          url: `${job.url}${path}`,
          connections: 1,
          overallRate: job.rate,
          duration,
          ignoreCoordinatedOmission: true,
        }),
      ),
    );
  // autocannon opens new connections per run: the warm-up warms the code paths (both sides).
  if (job.warmupSeconds) await run(job.warmupSeconds);
  const results = await run(job.seconds);
  return results.map((r, i): PathLatency => ({
    path: job.paths[i]!,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    requests: r.requests.total,
    errors: r.non2xx + r.errors,
  }));
}

/**
 * Open loop, evenly paced: every path gets a request every 1000/rate ms (the paths interleaved),
 * on keep-alive connections, whether or not earlier ones were answered; each latency is counted
 * from when the request was due, so a stalled server cannot hide its stall (no coordinated
 * omission). Fractional milliseconds, unlike autocannon's whole ones.
 */
async function runPaced(job: HttpJob) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  // The warm-up on the same keep-alive connections as the measured window.
  if (job.warmupSeconds) await pacedWindow(job, agent, job.warmupSeconds);
  const result = await pacedWindow(job, agent, job.seconds);
  agent.destroy();
  return result;
}

async function pacedWindow(job: HttpJob, agent: http.Agent, seconds: number) {
  const slots = Math.round(job.rate * seconds) * job.paths.length;
  const slotMs = 1000 / job.rate / job.paths.length;
  const latencies = job.paths.map(() => [] as number[]);
  const late = job.paths.map(() => [] as number[]);
  const errors = job.paths.map(() => 0);
  const t0 = performance.now();
  let k = 0;
  let open = 0;
  await new Promise<void>((done) => {
    const settle = () => {
      if (--open === 0 && k === slots) done();
    };
    const tick = () => {
      for (; k < slots && t0 + k * slotMs <= performance.now(); k++) {
        const i = k % job.paths.length;
        const due = t0 + k * slotMs;
        late[i]!.push(performance.now() - due);
        open++;
        http
          .get(`${job.url}${job.paths[i]}`, { agent }, (res) => {
            res.resume();
            res.on('end', () => {
              if (res.statusCode === 200) latencies[i]!.push(performance.now() - due);
              else errors[i]!++;
              settle();
            });
          })
          .on('error', () => {
            errors[i]!++;
            settle();
          });
      }
      if (k < slots) setTimeout(tick, Math.max(0, t0 + k * slotMs - performance.now()));
    };
    tick();
  });
  const at = (sorted: number[], p: number) => Math.round(percentile(sorted, p) * 10) / 10;
  return job.paths.map((path, i): PathLatency => {
    const sorted = latencies[i]!.sort((a, b) => a - b);
    return {
      path,
      p50: at(sorted, 50),
      p99: at(sorted, 99),
      max: at(sorted, 100),
      requests: sorted.length + errors[i]!,
      errors: errors[i]!,
      sentLateP99: at(
        late[i]!.sort((a, b) => a - b),
        99,
      ),
    };
  });
}

/**
 * The fleet's rate (e.g. 5,000 fillers at 2 s = 2,500 scans/s), QoS 1, paced in 10 ms ticks: the
 * fillers' phases are spread over their 2 s, so their scans arrive evenly, not as one burst of 250
 * every 100 ms (which the earlier bench sent, and which the gateway then parsed in one go).
 */
async function publish(job: PublishJob) {
  const pub = await mqtt.connectAsync(job.brokerUrl, {
    clientId: `bench-pace-${job.prefix}`,
    clean: true,
  });
  const total = job.rate * job.seconds;
  const start = Date.now() - 3_600_000;
  const tick = 10;
  const perTick = (job.rate * tick) / 1000;
  const t0 = Date.now();
  let sent = 0;
  const inflight: Array<Promise<unknown>> = [];
  while (sent < total) {
    const due = Math.min(total, Math.round(((Date.now() - t0) / tick + 1) * perTick));
    for (; sent < due; sent++) {
      const m = encodeScan(someTags(sent % 100), {
        machineId: `${job.prefix}-${sent % 5_000}`,
        sequence: Math.floor(sent / 5_000),
        timestamp: new Date(start + sent),
        includeMachineLevel: true,
      }).find((x) => x.topic.endsWith('/data'))!;
      inflight.push(pub.publishAsync(m.topic, m.payload, { qos: 1 }));
    }
    await new Promise((r) => setTimeout(r, tick));
  }
  const publishedMs = Date.now() - t0;
  await Promise.all(inflight);
  await pub.endAsync();
  return { total, publishedMs };
}

const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
const result =
  job.kind === 'publish'
    ? await publish(job)
    : job.kind === 'paced'
      ? await runPaced(job)
      : await runAutocannon(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
