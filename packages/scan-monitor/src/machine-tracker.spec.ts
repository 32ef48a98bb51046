import { describe, expect, it } from 'vitest';
import { createMachineTracker } from './machine-tracker.js';
import { INTERVAL, T0, scan } from './observation.test-helper.js';

describe('machine tracker', () => {
  it('announces a new machine once and counts consecutive scans without reporting anything', () => {
    const tracker = createMachineTracker();
    expect(tracker.record(scan(0))).toEqual([{ type: 'new-machine', machineId: 'filler-01' }]);
    for (let s = 1; s < 10; s++) expect(tracker.record(scan(s))).toEqual([]);
    const [stats] = tracker.stats(scan(9).receivedAt);
    expect(stats).toMatchObject({ machineId: 'filler-01', scans: 10 });
    expect(stats).toMatchObject({ missing: 0, duplicates: 0, resets: 0 });
  });

  it('reports a gap with the missing sequence numbers', () => {
    const tracker = createMachineTracker();
    tracker.record(scan(1));
    expect(tracker.record(scan(5))).toEqual([
      { type: 'gap', machineId: 'filler-01', kind: 'data', from: 2, to: 4, missing: 3 },
    ]);
    expect(tracker.stats(0)[0]).toMatchObject({ scans: 2, missing: 3 });
  });

  it('counts a redelivered scan as a duplicate, not as a gap or restart', () => {
    const tracker = createMachineTracker();
    for (let s = 0; s < 4; s++) tracker.record(scan(s));
    expect(tracker.record(scan(2, 900))).toEqual([
      { type: 'duplicate', machineId: 'filler-01', kind: 'data', sequence: 2 },
    ]);
    expect(tracker.record(scan(3))).toEqual([
      { type: 'duplicate', machineId: 'filler-01', kind: 'data', sequence: 3 },
    ]);
    expect(tracker.stats(0)[0]).toMatchObject({ scans: 4, duplicates: 2, missing: 0, resets: 0 });
  });

  it('says the agent restarted when the sequence drops with a newer timestamp', () => {
    const tracker = createMachineTracker();
    for (let s = 100; s < 103; s++) tracker.record(scan(s));
    // Restarted agent: counts from 0 again, but its clock has moved on.
    const restarted = {
      ...scan(0),
      timestamp: scan(103).timestamp,
      receivedAt: scan(103).receivedAt,
    };
    expect(tracker.record(restarted)).toEqual([
      { type: 'reset', machineId: 'filler-01', kind: 'data', previous: 102, sequence: 0 },
    ]);
    // Counting resumes from the new start without a bogus gap.
    expect(
      tracker.record({ ...restarted, sequence: 1, timestamp: restarted.timestamp! + INTERVAL }),
    ).toEqual([]);
    expect(tracker.stats(0)[0]).toMatchObject({ resets: 1, missing: 0, duplicates: 0 });
  });

  it('takes back a reported gap when the missing scan arrives late', () => {
    const tracker = createMachineTracker();
    tracker.record(scan(1));
    tracker.record(scan(3));
    expect(tracker.record(scan(2, 4000))).toEqual([
      { type: 'late', machineId: 'filler-01', kind: 'data', sequence: 2 },
    ]);
    expect(tracker.stats(0)[0]).toMatchObject({ scans: 3, missing: 0, late: 1 });
  });

  it('judges sequences on the data topic only: the six group messages of a scan are not duplicates', () => {
    const tracker = createMachineTracker();
    for (let s = 0; s < 3; s++) {
      for (const kind of ['data', 'inputs', 'outputs', 'analog', 'status', 'counters', 'alarms']) {
        const events = tracker.record(scan(s, 5, { kind }));
        expect(events.filter((e) => e.type !== 'new-machine')).toEqual([]);
      }
    }
    expect(tracker.stats(scan(2).receivedAt)[0]).toMatchObject({
      scans: 3,
      messages: 21,
      duplicates: 0,
    });
  });

  it('falls back to the first topic seen when the subscription has no data topic', () => {
    const tracker = createMachineTracker();
    tracker.record(scan(0, 5, { kind: 'analog' }));
    expect(tracker.record(scan(3, 5, { kind: 'analog' }))).toEqual([
      { type: 'gap', machineId: 'filler-01', kind: 'analog', from: 1, to: 2, missing: 2 },
    ]);
  });

  it('keeps machines of a fleet apart', () => {
    const tracker = createMachineTracker();
    tracker.record(scan(0));
    tracker.record(scan(7, 5, { machineId: 'filler-02' }));
    expect(tracker.record(scan(1))).toEqual([]);
    expect(tracker.record(scan(8, 5, { machineId: 'filler-02' }))).toEqual([]);
    expect(tracker.stats(0).map((m) => m.machineId)).toEqual(['filler-01', 'filler-02']);
  });

  it('gives end-to-end latency p50/p99 from the embedded timestamps', () => {
    const tracker = createMachineTracker();
    for (let s = 0; s < 100; s++) tracker.record(scan(s, s === 99 ? 250 : 3 + (s % 3)));
    const { latency } = tracker.stats(0)[0]!;
    expect(latency).toEqual({ p50: 4, p99: 5, samples: 100 });
    tracker.record(scan(100, 300));
    expect(tracker.stats(0)[0]!.latency?.p99).toBe(250);
  });

  it('measures the message rate over whole seconds', () => {
    const tracker = createMachineTracker({ rateWindowSeconds: 10 });
    // 7 messages per scan, one scan every 2 s, for 20 s: 3.5 messages per second.
    for (let s = 0; s < 10; s++)
      for (let k = 0; k < 7; k++) tracker.record(scan(s, 5, { kind: k === 0 ? 'data' : 'inputs' }));
    expect(tracker.stats(T0 + 20_000)[0]!.ratePerSecond).toBeCloseTo(3.5, 5);
  });

  it('flags a machine stale after two learned intervals of silence, once, and clears it when data resumes', () => {
    const tracker = createMachineTracker();
    for (let s = 0; s < 5; s++) tracker.record(scan(s));
    const last = scan(4).receivedAt;
    expect(tracker.checkStale(last + 2 * INTERVAL)).toEqual([]);
    expect(tracker.checkStale(last + 2 * INTERVAL + 1)).toEqual([
      {
        type: 'stale',
        machineId: 'filler-01',
        silentForMs: 2 * INTERVAL + 1,
        intervalMs: INTERVAL,
      },
    ]);
    expect(tracker.checkStale(last + 10 * INTERVAL)).toEqual([]);
    expect(tracker.stats(0)[0]!.stale).toBe(true);
    const back = { ...scan(5), receivedAt: last + 6000 };
    expect(tracker.record(back)).toEqual([
      { type: 'resumed', machineId: 'filler-01', silentForMs: 6000 },
    ]);
    expect(tracker.stats(0)[0]!.stale).toBe(false);
  });

  it('learns the interval from the embedded timestamps even when scans arrive in a burst', () => {
    const tracker = createMachineTracker();
    const burstAt = T0 + 60_000;
    for (let s = 0; s < 5; s++) tracker.record({ ...scan(s), receivedAt: burstAt });
    expect(tracker.stats(burstAt)[0]!.intervalMs).toBe(INTERVAL);
  });

  it('uses the interval announced on the connection topic, and does not call an offline agent stale', () => {
    const tracker = createMachineTracker();
    tracker.record(scan(0));
    expect(
      tracker.recordConnection({
        machineId: 'filler-01',
        status: 'online',
        publishIntervalMs: 500,
        retained: false,
        receivedAt: scan(0).receivedAt,
      }),
    ).toEqual([
      {
        type: 'connection',
        machineId: 'filler-01',
        status: 'online',
        retained: false,
        publishIntervalMs: 500,
      },
    ]);
    expect(tracker.checkStale(scan(0).receivedAt + 1001)).toHaveLength(1);

    const other = createMachineTracker();
    for (let s = 0; s < 3; s++) other.record(scan(s));
    other.recordConnection({
      machineId: 'filler-01',
      status: 'offline',
      publishIntervalMs: undefined,
      retained: false,
      receivedAt: scan(2).receivedAt,
    });
    expect(other.checkStale(scan(2).receivedAt + 60_000)).toEqual([]);
    expect(other.stats(0)[0]!.connection).toBe('offline');
  });

  it('reports a connection status only when it changes, but always shows a retained one', () => {
    const tracker = createMachineTracker();
    const online = {
      machineId: 'filler-01',
      status: 'online' as const,
      publishIntervalMs: 2000,
      retained: true,
      receivedAt: T0,
    };
    expect(tracker.recordConnection(online)).toHaveLength(1);
    expect(tracker.recordConnection({ ...online, retained: false })).toEqual([]);
    expect(
      tracker.recordConnection({ ...online, retained: false, status: 'offline' }),
    ).toHaveLength(1);
  });
});
