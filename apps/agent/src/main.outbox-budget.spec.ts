import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  killAll,
  spawnAgent,
  waitFor,
  noBrokerEnv,
} from './agent-process.test-helper.js';

/** Resident memory of a process in MiB, from /proc (Linux). */
const rssMiB = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
};

interface Summary {
  readonly msg: string;
  readonly dropped: number;
  readonly outbox: number;
  readonly scans: number;
}

describe('one outbox budget for the whole agent (issue 9.3)', () => {
  beforeAll(assertBuilt);
  afterEach(killAll);

  // ~25 s: 200 fillers must publish through the budget twice over before memory is judged.
  it('200 per-filler connections, no broker, a 96 MiB heap: the oldest scans are dropped across the fleet, RSS stays under the budget plus a fixed overhead, the agent lives', async () => {
    const budgetMiB = 16;
    const agent = spawnAgent({
      ...(await noBrokerEnv()),
      FILLER_COUNT: '200',
      CONNECTION_MODE: 'per-filler',
      PUBLISH_INTERVAL: '0.25',
      OUTBOX_BUDGET_MB: String(budgetMiB),
      SUMMARY_INTERVAL: '1',
      LOG_FORMAT: 'json',
      SHUTDOWN_TIMEOUT: '1',
      // The reproduction: a small heap, as on an edge gateway. Without the budget the
      // agent died here ("JavaScript heap out of memory", exit 134) long before dropping anything.
      NODE_OPTIONS: '--max-old-space-size=96',
    });
    const summaries = (): Summary[] =>
      agent.stdout
        .filter((l) => l.includes('"summary"'))
        .map((l) => JSON.parse(l) as Summary)
        .filter((s) => s.msg === 'summary');
    const samples: Array<{ rss: number; dropped: number }> = [];
    const sampler = setInterval(() => {
      const dropped = summaries().at(-1)?.dropped ?? 0;
      samples.push({ rss: rssMiB(agent.pid), dropped });
    }, 200);
    try {
      await agent.line(/"summary"/, 30_000);
      const startRss = rssMiB(agent.pid);
      // The budget holds ~16,000 scan messages; wait until three times that were dropped, so the
      // budget filled and turned over more than twice.
      await waitFor(
        () => (summaries().at(-1)?.dropped ?? 0) > 3 * 16_000,
        'the budget filled and turned over',
        90_000,
      );
      clearInterval(sampler);
      const full = samples.filter((s) => s.dropped > 0);
      const peak = Math.max(...samples.map((s) => s.rss));
      const last = summaries().at(-1)!;
      console.log(
        `200 per-filler fillers, no broker, budget ${budgetMiB} MiB: RSS at first summary ${startRss.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, ` +
          `first full ${full[0]?.rss.toFixed(0)} MiB, last ${samples.at(-1)?.rss.toFixed(0)} MiB; held ${last.outbox} messages, dropped ${last.dropped} of ${last.scans * 7}`,
      );
      // Held messages stay at what the budget affords (~1 KB each), not at 200 × 10,000.
      expect(last.outbox).toBeLessThan((budgetMiB * 1024 * 1024) / 640);
      // The fixed overhead: the agent with 200 connections at its first summary, plus the budget,
      // plus 64 MiB for V8's young generation and garbage between collections.
      expect(peak).toBeLessThan(startRss + budgetMiB + 64);
      agent.child.kill('SIGTERM');
      expect(await agent.exited).toBe(0);
    } finally {
      clearInterval(sampler);
    }
  });
});
