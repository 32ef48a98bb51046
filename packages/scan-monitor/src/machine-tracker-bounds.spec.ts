import { describe, expect, it } from 'vitest';
import { createMachineTracker, type Observation } from './machine-tracker.js';

const T0 = Date.parse('2025-01-15T08:00:00.000Z');

const scan = (machineId: string, sequence: number, receivedAt: number): Observation => ({
  machineId,
  kind: 'data',
  sequence,
  timestamp: receivedAt - 5,
  receivedAt,
});

// Random ids as a hostile publisher would make them up (letters and digits, 12 characters).
function randomId(): string {
  return `m${Math.random().toString(36).slice(2, 14)}`;
}

describe('machine tracker bounds', () => {
  it('tracks at most maxMachines: 50,000 random ids leave 10,000 tracked and say so once', () => {
    const tracker = createMachineTracker();
    const limitEvents = [];
    for (let i = 0; i < 50_000; i++) {
      const events = tracker.record(scan(randomId(), 1, T0 + i));
      limitEvents.push(...events.filter((e) => e.type === 'machine-limit'));
    }
    expect(tracker.totals()).toMatchObject({
      machines: 10_000,
      maxMachines: 10_000,
      valid: 50_000,
      untracked: 40_000,
    });
    expect(limitEvents).toHaveLength(1);
    expect(limitEvents[0]).toMatchObject({ type: 'machine-limit', limit: 10_000 });
    expect(tracker.stats(T0 + 50_000)).toHaveLength(10_000);
  });

  it('keeps tracking the machines it has when the limit is reached (a flood does not push them out)', () => {
    const tracker = createMachineTracker({ maxMachines: 3 });
    tracker.record(scan('filler-01', 1, T0));
    for (let i = 0; i < 100; i++) tracker.record(scan(randomId(), 1, T0 + 1));
    expect(tracker.record(scan('filler-01', 3, T0 + 2000))).toEqual([
      { type: 'gap', machineId: 'filler-01', kind: 'data', from: 2, to: 2, missing: 1 },
    ]);
  });

  it('forgets machines silent for forgetAfterMs, reports them in one event, and tracks new ones again', () => {
    const tracker = createMachineTracker({ maxMachines: 2, forgetAfterMs: 60_000 });
    tracker.record(scan('a', 1, T0));
    tracker.record(scan('b', 1, T0));
    expect(tracker.record(scan('c', 1, T0 + 1000))).toEqual([
      { type: 'machine-limit', limit: 2, machineId: 'c' },
    ]);
    // 'b' keeps talking; 'a' falls silent.
    tracker.record(scan('b', 2, T0 + 30_000));
    expect(tracker.checkStale(T0 + 60_000).filter((e) => e.type === 'forgotten')).toEqual([]);
    expect(tracker.checkStale(T0 + 60_001).filter((e) => e.type === 'forgotten')).toEqual([
      { type: 'forgotten', count: 1, machineIds: ['a'], afterMs: 60_000 },
    ]);
    expect(tracker.totals()).toMatchObject({ machines: 1, forgotten: 1 });
    expect(tracker.record(scan('c', 1, T0 + 61_000))).toEqual([
      { type: 'new-machine', machineId: 'c' },
    ]);
    // Full again: the limit is reported again, once.
    expect(tracker.record(scan('d', 1, T0 + 62_000))).toEqual([
      { type: 'machine-limit', limit: 2, machineId: 'd' },
    ]);
    expect(tracker.record(scan('e', 1, T0 + 62_000))).toEqual([]);
  });

  it('does not forget a slow publisher between two of its scans', () => {
    const tracker = createMachineTracker({ forgetAfterMs: 60_000 });
    // One scan every 10 minutes, learned from the timestamps.
    for (let s = 0; s < 3; s++) tracker.record(scan('slow', s, T0 + s * 600_000));
    expect(
      tracker.checkStale(T0 + 2 * 600_000 + 700_000).filter((e) => e.type === 'forgotten'),
    ).toEqual([]);
    expect(tracker.totals().machines).toBe(1);
  });

  it('never creates a machine for an invalid message, whatever machine its topic names', () => {
    const tracker = createMachineTracker();
    for (let i = 0; i < 1000; i++) tracker.recordInvalid(randomId());
    tracker.recordInvalid(undefined);
    expect(tracker.totals()).toMatchObject({ machines: 0, invalid: 1001 });
    expect(tracker.stats(T0)).toEqual([]);
    // Once the machine is tracked, its invalid messages count against it.
    tracker.record(scan('filler-01', 1, T0));
    tracker.recordInvalid('filler-01');
    expect(tracker.stats(T0)[0]).toMatchObject({ machineId: 'filler-01', invalid: 1 });
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => createMachineTracker({ maxMachines: 0 })).toThrow(RangeError);
    expect(() => createMachineTracker({ forgetAfterMs: 0 })).toThrow(RangeError);
  });
});
