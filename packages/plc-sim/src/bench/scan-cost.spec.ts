import { describe, expect, it } from 'vitest';
import { formatScanCostTable, measureScanCost } from './scan-cost.bench.js';

describe('simulator benchmark harness (smoke run, not a speed test)', () => {
  it('measures every case, describes the machine and renders a table', () => {
    const report = measureScanCost({ iterations: 200, rounds: 1, fleetSize: 50, intervalMs: 2000 });
    expect(report.cases.length).toBeGreaterThanOrEqual(8);
    expect(report.cases.some((c) => c.kind === 'baseline')).toBe(true);
    for (const c of report.cases) {
      expect(c.nsPerOp).toBeGreaterThan(0);
      expect(c.opsPerSecond).toBeGreaterThan(0);
    }
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
    expect(typeof report.goal.met).toBe('boolean');
    const table = formatScanCostTable(report);
    expect(table).toContain('encodeScan');
    expect(table).toContain('goal:');
  });
});
