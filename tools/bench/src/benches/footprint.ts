import { variedTags } from '@ot-mqtt/tag-model/testing';
import { encodeScan } from '@ot-mqtt/tag-model';
import { join } from 'node:path';
import { startBenchBroker } from '../harness/bench-broker.js';
import { envNumber, type BenchContext } from '../harness/bench-context.js';
import { spawnCounted, type CountedChild } from '../harness/child-process.js';
import { processCpuMs, processMemory } from '../harness/proc-stats.js';
import { finishRun, startRun, type GoalResult, type Row } from '../harness/report.js';
import { ScanProbe } from '../harness/scan-probe.js';
import { median } from '../harness/stats.js';
import { hold, waitFor } from '../harness/wait-for.js';
import { AGENT_MAIN, SCRIPTS_DIR, VIEWER_MAIN, missingApp } from '../harness/workspace-paths.js';

interface Subject {
  readonly name: string;
  readonly role: 'publisher' | 'subscriber' | 'idle';
  readonly start: () => CountedChild;
}

/**
 * Spawn → first data message at a subscriber already listening (wall ms), and the CPU time the
 * process had used by then (which a loaded machine inflates far less than the wall time).
 */
async function timeToFirstPublish(
  subject: Subject,
  url: string,
): Promise<{ wallMs: number; cpuMs: number }> {
  const probe = await ScanProbe.open(url, 'plc/bottlefiller/#', 2000);
  const child = subject.start();
  try {
    const at = await probe
      .firstMessage(15_000, `${subject.name} to publish`)
      .catch((error: unknown) => {
        throw new Error(
          `${String(error)}; exit ${JSON.stringify(child.exit())}; stderr: ${child.stderr().slice(-400)}`,
        );
      });
    return { wallMs: at - child.spawnedAt, cpuMs: processCpuMs(child.pid) ?? Number.NaN };
  } finally {
    await child.stop();
    await probe.close();
  }
}

/** Benchmark 5: RSS of agent and viewer at the seed's defaults and the agent's time to first publish. */
export async function runFootprint(ctx: BenchContext): Promise<string> {
  const run = startRun();
  const settleMs = ctx.smoke ? 1500 : envNumber('BENCH_SETTLE_MS', 10_000);
  const reps = ctx.smoke ? 1 : envNumber('BENCH_STARTUP_REPS', 5);
  const notes: string[] = [];
  const agentMissing = missingApp(AGENT_MAIN);
  const viewerMissing = missingApp(VIEWER_MAIN);
  if (agentMissing) notes.push(`agent not measured: ${agentMissing}.`);
  if (viewerMissing) notes.push(`viewer not measured: ${viewerMissing}.`);

  const bench = await startBenchBroker();
  const url = bench.broker.url;
  const port = String(bench.broker.ports[1883]);
  // The seed's defaults: only the broker's port differs (an ephemeral one, not 1883).
  const appEnv = { MQTT_BROKER_HOST: '127.0.0.1', MQTT_BROKER_PORT: port, NO_COLOR: '1' };
  const payload = encodeScan(variedTags(0), {
    machineId: 'filler-01',
    sequence: 0,
    timestamp: new Date(),
  })[0]!.payload;
  const script = join(SCRIPTS_DIR, 'footprint-baseline.mjs');
  const subjects: Subject[] = [
    {
      name: 'bare node (idle)',
      role: 'idle',
      start: () => spawnCounted(process.execPath, ['-e', 'setInterval(() => {}, 1000)']),
    },
    {
      name: 'raw mqtt.js publisher',
      role: 'publisher',
      start: () =>
        spawnCounted(process.execPath, [script, 'publish'], {
          BENCH_URL: url,
          BENCH_PAYLOAD: payload,
        }),
    },
    ...(agentMissing
      ? []
      : [
          {
            name: 'agent',
            role: 'publisher' as const,
            start: () => spawnCounted(process.execPath, [AGENT_MAIN], appEnv),
          },
        ]),
    {
      name: 'raw mqtt.js subscriber',
      role: 'subscriber',
      start: () => spawnCounted(process.execPath, [script, 'subscribe'], { BENCH_URL: url }),
    },
    ...(viewerMissing
      ? []
      : [
          {
            name: 'viewer',
            role: 'subscriber' as const,
            start: () => spawnCounted(process.execPath, [VIEWER_MAIN], appEnv),
          },
        ]),
  ];

  const startup = new Map<string, number[]>();
  const startupCpu = new Map<string, number[]>();
  const rows: Row[] = [];
  const running: CountedChild[] = [];
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const s of subjects.filter((x) => x.role === 'publisher')) {
        try {
          const { wallMs, cpuMs } = await timeToFirstPublish(s, url);
          startup.set(s.name, [...(startup.get(s.name) ?? []), wallMs]);
          startupCpu.set(s.name, [...(startupCpu.get(s.name) ?? []), cpuMs]);
          ctx.log(
            `  rep ${rep + 1}/${reps} ${s.name}: first publish ${wallMs.toFixed(0)} ms after spawn (${cpuMs.toFixed(0)} ms CPU)`,
          );
        } catch (error) {
          notes.push(`${s.name} start-up rep ${rep + 1} failed: ${String(error).slice(0, 400)}`);
        }
      }
    }
    // Memory: everything running together at its defaults, publishers feeding the subscribers.
    const children = new Map<string, CountedChild>();
    for (const s of subjects) {
      const child = s.start();
      running.push(child);
      children.set(s.name, child);
    }
    // Under load, start-up alone can take seconds: the clock starts once data flows end to end
    // (every subscriber has printed a message), so "after N s" means N s of doing the job.
    await waitFor(
      () =>
        subjects
          .filter((x) => x.role === 'subscriber')
          .every(
            (x) => children.get(x.name)!.lines() > 0 || children.get(x.name)!.exit() !== undefined,
          ),
      60_000,
      'every subscriber to print a message',
      20,
    ).catch((error: unknown) => notes.push(String(error)));
    await hold(settleMs);
    for (const s of subjects) {
      const child = children.get(s.name)!;
      const memory = processMemory(child.pid);
      if (!memory)
        notes.push(
          `${s.name} was not running after ${settleMs} ms: ${JSON.stringify(child.exit())} ${child.stderr().slice(-300)}`,
        );
      const times = startup.get(s.name) ?? [];
      rows.push({
        process: s.name,
        [`RSS MB after ${settleMs / 1000} s`]: memory?.rssMb ?? null,
        'peak RSS MB': memory?.hwmMb ?? null,
        'first publish ms (median)': times.length ? median(times) : null,
        'first publish ms (max)': times.length ? Math.max(...times) : null,
        'CPU ms to first publish': startupCpu.has(s.name) ? median(startupCpu.get(s.name)!) : null,
        'first stdout ms':
          s.role === 'subscriber' ? (child.firstOutputAt() ?? Number.NaN) - child.spawnedAt : null,
        'stdout lines': s.role === 'subscriber' ? child.lines() : null,
      });
    }
  } finally {
    await Promise.all(running.map((c) => c.stop()));
    await bench.stop();
  }

  const rssKey = `RSS MB after ${settleMs / 1000} s`;
  const goals: GoalResult[] = [];
  for (const app of ['agent', 'viewer']) {
    const row = rows.find((r) => r['process'] === app);
    const base = rows.find(
      (r) =>
        r['process'] === (app === 'agent' ? 'raw mqtt.js publisher' : 'raw mqtt.js subscriber'),
    );
    const rss = row?.[rssKey];
    goals.push(
      typeof rss === 'number'
        ? {
            goal: `${app} RSS ≤ 60 MB at the seed's defaults (built output)`,
            measured: `${rss.toFixed(1)} MB (peak ${Number(row?.['peak RSS MB']).toFixed(1)} MB) vs raw mqtt.js ${Number(base?.[rssKey]).toFixed(1)} MB, bare node ${Number(rows[0]?.[rssKey]).toFixed(1)} MB`,
            met: rss <= 60,
          }
        : { goal: `${app} RSS ≤ 60 MB`, measured: `${app} not available`, met: null },
    );
  }
  const agentStart = startup.get('agent') ?? [];
  const baseStart = startup.get('raw mqtt.js publisher') ?? [];
  goals.push(
    agentStart.length
      ? {
          goal: 'agent: start to first publish < 1 s',
          measured: `median ${median(agentStart).toFixed(0)} ms, max ${Math.max(...agentStart).toFixed(0)} ms (CPU ${median(startupCpu.get('agent') ?? []).toFixed(0)} ms) vs raw mqtt.js median ${median(baseStart).toFixed(0)} ms (CPU ${median(startupCpu.get('raw mqtt.js publisher') ?? []).toFixed(0)} ms)`,
          met: Math.max(...agentStart) < 1000,
        }
      : { goal: 'agent: start to first publish < 1 s', measured: 'agent not available', met: null },
  );
  notes.push(
    `Start-up: ${reps} spawn(s) of each publisher; time from spawn to the first data message at a wildcard subscriber already connected (connection topic ignored).`,
    `Memory: all processes started together at their defaults (agent and viewer from apps/*/dist, only MQTT_BROKER_PORT set to the bench broker's); once every subscriber has printed a message, ${settleMs / 1000} s more, then VmRSS from /proc; peak = VmHWM.`,
    'Baselines: tools/bench/scripts/footprint-baseline.mjs (raw mqtt.js doing the same job, no validation, no simulator) and an idle `node -e` process (Node’s own floor).',
  );
  return finishRun(ctx, run, {
    name: 'footprint',
    title: "Benchmark 5 — footprint at the seed's defaults: RSS and time to first publish",
    brokerSettings: bench.settings,
    baseline:
      'raw mqtt.js publisher / subscriber doing the same job, and an idle node process, same run',
    rows,
    goals,
    notes,
  });
}
