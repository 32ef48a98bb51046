import { describe, expect, it } from 'vitest';
import { formatShiftReport, measureShifts } from './shift-report.bench.js';

describe('shift report (smoke run, not a speed test)', () => {
  it('runs every shipped scenario and prints OEE, downtime by cause, alarms and the speed factor', () => {
    const report = measureShifts(0.5, 2);
    expect(report.rows.map((r) => r.scenario)).toContain('bad-shift');
    for (const row of report.rows) expect(row.speedFactor).toBeGreaterThan(0);
    const text = formatShiftReport(report);
    expect(text).toContain('× real time');
    expect(text).toContain('downtime by cause');
    expect(text).toContain('load average');
  });
});
