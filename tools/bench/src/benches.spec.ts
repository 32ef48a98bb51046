import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchReport } from './harness/report.js';
import { BENCHES } from './main.js';

// What a bench's printout must also show, beyond its title (the checks the plc-sim benches' own
// smoke specs made before they moved here in issue 10).
const PRINTS: Readonly<Record<string, readonly string[]>> = {
  'scan-cost': [
    'baseline: empty loop',
    'encodeScan (7 payloads)',
    'fleet of 50',
    'goal:',
    'heap per filler',
  ],
  'shift-report': ['bad-shift', 'steady', 'downtime by cause', '× real time', 'over 2 seeds'],
};

// Smoke runs: every bench end to end in seconds (real Mosquitto, real child processes), checking
// that the harness works and writes its report. Figures from a smoke run mean nothing, so nothing
// here asserts on speed.
describe('npm run bench -- --smoke', () => {
  let reportDir: string;

  beforeAll(async () => {
    reportDir = await mkdtemp(join(tmpdir(), 'ot-mqtt-bench-'));
  });
  afterAll(async () => {
    await rm(reportDir, { recursive: true, force: true });
  });

  for (const [name, run] of Object.entries(BENCHES)) {
    it(`${name} runs in smoke mode, prints its table and writes reports/bench/${name}.json with the machine description`, async () => {
      const lines: string[] = [];
      const path = await run({
        smoke: true,
        reportDir,
        log: (line) => lines.push(line),
        command: 'vitest smoke',
      });
      expect(path).toBe(join(reportDir, `${name}.json`));
      const report = JSON.parse(await readFile(path, 'utf8')) as BenchReport;
      expect(report).toMatchObject({ name, smoke: true });
      expect(report.machine.cores).toBeGreaterThan(0);
      expect(report.machine.node).toBe(process.version);
      expect(report.machine.mosquitto).toMatch(/mosquitto/i);
      expect(report.rows.length).toBeGreaterThan(0);
      expect(report.goals.length).toBeGreaterThan(0);
      expect(report.baseline).not.toBe('');
      // Every goal is either measured or says why not; none is silently dropped.
      for (const goal of report.goals) expect(goal.measured).not.toBe('');
      const printed = lines.join('\n');
      expect(printed).toContain(report.title);
      for (const text of PRINTS[name] ?? []) expect(printed).toContain(text);
    }, 120_000);
  }
});
