import { describe, expect, it } from 'vitest';
import { createMachineTracker } from './machine-tracker.js';
import { INTERVAL, scan } from './observation.test-helper.js';

const MAX_SEQUENCE = Number.MAX_SAFE_INTEGER;
const YEAR_9999 = Date.parse('9999-12-31T23:59:59.999Z');

describe('sequence and timestamp plausibility', () => {
  it('one spoofed scan (sequence 2^53−1, year 9999) is suspect and does not blind gap detection', () => {
    const tracker = createMachineTracker();
    for (let s = 0; s < 5; s++) tracker.record(scan(s));
    expect(tracker.record(scan(5, 5, { sequence: MAX_SEQUENCE, timestamp: YEAR_9999 }))).toEqual([
      {
        type: 'suspect',
        machineId: 'filler-01',
        kind: 'data',
        reason: 'future-timestamp',
        sequence: MAX_SEQUENCE,
        timestamp: YEAR_9999,
        baseline: 4,
      },
    ]);
    // Real scans carry on: nothing late, nothing missing; a real gap is still seen.
    expect(tracker.record(scan(5))).toEqual([]);
    expect(tracker.record(scan(8))).toEqual([
      { type: 'gap', machineId: 'filler-01', kind: 'data', from: 6, to: 7, missing: 2 },
    ]);
    expect(tracker.stats(scan(8).receivedAt)[0]).toMatchObject({
      scans: 7,
      missing: 2,
      late: 0,
      suspect: 1,
    });
  });

  it('a sequence jump far beyond what the elapsed time allows is suspect, with a plausible timestamp too', () => {
    const tracker = createMachineTracker();
    for (let s = 0; s < 5; s++) tracker.record(scan(s));
    expect(tracker.record(scan(5, 5, { sequence: MAX_SEQUENCE }))).toMatchObject([
      { type: 'suspect', reason: 'sequence-jump', sequence: MAX_SEQUENCE, baseline: 4 },
    ]);
    expect(tracker.record(scan(5))).toEqual([]);
    expect(tracker.stats(0)[0]).toMatchObject({ missing: 0, late: 0, suspect: 1 });
  });

  it('believes a large gap when enough time passed for it (a viewer offline for an hour)', () => {
    const tracker = createMachineTracker();
    tracker.record(scan(0));
    // 1,800 scans in an hour at 2 s, far under 1000/s × 3600 s.
    expect(tracker.record(scan(1801))).toEqual([
      { type: 'gap', machineId: 'filler-01', kind: 'data', from: 1, to: 1800, missing: 1800 },
    ]);
  });

  it('still recognises a restart after a spoofed scan', () => {
    const tracker = createMachineTracker();
    for (let s = 100; s < 103; s++) tracker.record(scan(s));
    tracker.record(scan(103, 5, { sequence: MAX_SEQUENCE, timestamp: YEAR_9999 }));
    const restartedAt = scan(104).timestamp!;
    const restarted = { ...scan(0), timestamp: restartedAt, receivedAt: restartedAt + 5 };
    expect(tracker.record(restarted)).toEqual([
      { type: 'reset', machineId: 'filler-01', kind: 'data', previous: 102, sequence: 0 },
    ]);
    expect(
      tracker.record({ ...restarted, sequence: 1, timestamp: restartedAt + INTERVAL }),
    ).toEqual([]);
  });

  it('takes a jump as the new baseline once agreeing scans confirm it', () => {
    const tracker = createMachineTracker({ plausibility: { confirmAfter: 3 } });
    tracker.record(scan(0));
    const far = 10_000_000;
    expect(tracker.record(scan(1, 5, { sequence: far }))[0]).toMatchObject({ type: 'suspect' });
    expect(tracker.record(scan(2, 5, { sequence: far + 1 }))[0]).toMatchObject({ type: 'suspect' });
    expect(tracker.record(scan(3, 5, { sequence: far + 2 }))).toEqual([
      { type: 'reset', machineId: 'filler-01', kind: 'data', previous: 0, sequence: far + 2 },
    ]);
    expect(tracker.record(scan(4, 5, { sequence: far + 3 }))).toEqual([]);
  });

  it('uses a configurable future tolerance and keeps suspect timestamps out of the latency figures', () => {
    const tracker = createMachineTracker({ plausibility: { futureToleranceMs: 1000 } });
    tracker.record(scan(0));
    expect(tracker.record(scan(1, 5, { timestamp: scan(1).receivedAt + 1000 }))).toEqual([]);
    expect(tracker.record(scan(2, 5, { timestamp: scan(2).receivedAt + 1001 }))[0]).toMatchObject({
      type: 'suspect',
      reason: 'future-timestamp',
    });
    expect(tracker.stats(0)[0]!.latency?.samples).toBe(2);
  });

  it('a future timestamp on a group topic is kept out of the latency figures too', () => {
    const tracker = createMachineTracker();
    tracker.record(scan(0));
    tracker.record(scan(0, 5, { kind: 'analog', timestamp: YEAR_9999 }));
    expect(tracker.stats(0)[0]!.latency).toMatchObject({ p99: 5, samples: 1 });
  });
});
