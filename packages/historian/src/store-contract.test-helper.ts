import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistorianStore, NumericSeries, BooleanSeries } from './historian-store.js';
import { describeAlarmJournalContract } from './alarm-journal-contract.test-helper.js';
import type { OpenHistorianOptions } from './open-historian.js';
import { scan, T0 } from './test-scans.test-helper.js';

/** Opens a fresh, empty store; `reopen` opens the same database again; `cleanup` removes it. */
export interface StoreFixture {
  open(options?: OpenHistorianOptions): Promise<HistorianStore>;
  cleanup(): Promise<void>;
}

const range = (from: number, to: number) => ({ from, to });

/** What every engine must do (the alarm journal too), run once per engine against a real database. */
export function describeStoreContract(engine: string, fixture: () => Promise<StoreFixture>): void {
  describe(`${engine} store`, () => {
    let fx: StoreFixture;
    let store: HistorianStore;
    beforeEach(async () => {
      fx = await fixture();
      store = await fx.open();
    });
    afterEach(async () => {
      await store.close();
      await fx.cleanup();
    });
    describeAlarmJournalContract({
      get store() {
        return store;
      },
      async reopen() {
        await store.close();
        store = await fx.open();
      },
    });

    it('stores every scan once: a redelivered scan (same machine, sequence, time) is skipped', async () => {
      const first = await store.writeScans([scan('m1', 0), scan('m1', 1), scan('m1', 2)]);
      expect(first).toMatchObject({ stored: 3, duplicates: 0 });
      const again = await store.writeScans([
        scan('m1', 1),
        scan('m1', 2),
        scan('m1', 3),
        scan('m1', 3),
      ]);
      expect(again).toMatchObject({ stored: 1, duplicates: 2 });
      const scans = await store.scans('m1', range(T0, T0 + 3_600_000), 100);
      expect(scans?.map((s) => s.sequence)).toEqual([0, 1, 2, 3]);
      expect(scans?.[1]?.timestamp).toBe('2026-11-30T00:00:02.000Z');
    });

    it('keeps the scans of a restarted agent (sequence from 0 again, later time) instead of taking them for redeliveries', async () => {
      await store.writeScans([scan('m1', 0), scan('m1', 1)]);
      const restarted = await store.writeScans([
        scan('m1', 0, {}, T0 + 60_000),
        scan('m1', 1, {}, T0 + 62_000),
      ]);
      expect(restarted.stored).toBe(2);
      const scans = await store.scans('m1', range(T0, T0 + 3_600_000), 100);
      expect(scans?.map((s) => s.sequence)).toEqual([0, 1, 0, 1]);
    });

    it('shows gaps: /scans lists exactly the stored sequences in time order, half-open range, limit', async () => {
      await store.writeScans([0, 1, 2, 5, 6].map((n) => scan('m1', n)));
      const all = await store.scans('m1', range(T0, T0 + 12_000), 100);
      expect(all?.map((s) => s.sequence)).toEqual([0, 1, 2, 5]); // 6 is at T0+12 s: excluded
      expect((await store.scans('m1', range(T0, T0 + 60_000), 2))?.length).toBe(2);
      expect(await store.scans('nobody', range(T0, T0 + 1), 10)).toBeUndefined();
    });

    it('latest is the newest scan with tags flat by name; a late older scan does not replace it', async () => {
      await store.writeScans([scan('m1', 5, { FillLevel: 70 })]);
      await store.writeScans([scan('m1', 4, { FillLevel: 60 })]);
      const machine = await store.getMachine('m1');
      expect(machine?.latest).toMatchObject({
        timestamp: new Date(T0 + 10_000).toISOString(),
        sequence: 5,
        tags: { FillLevel: 70, Fault: false, BottlesFilled: 100 },
      });
      expect(machine?.lastSequence).toBe(5);
      expect(await store.getMachine('nobody')).toBeUndefined();
    });

    it('stores a value only on change beyond the deadband, plus a heartbeat write every 60 s', async () => {
      // FillLevel 0–100 %, deadband 0.5 % of span = 0.5; one scan every 2 s for 3 minutes.
      const values = [50, 50.2, 50.4, 50.6, 50.7, 52, 52];
      const scans = Array.from({ length: 90 }, (_, n) =>
        scan('m1', n, { FillLevel: values[n] ?? 52 }),
      );
      await store.writeScans(scans);
      const h = await store.history({
        machineId: 'm1',
        tags: ['FillLevel', 'Fault'],
        ...range(T0, T0 + 180_000),
        maxPoints: 1_800, // 100 ms buckets: each point starts at its sample's time
      });
      const level = h?.series[0] as NumericSeries;
      // Stored: 50 (first), 50.6 (> 0.5 from 50), 52, then heartbeats at 60 s and 120 s after 52's 10 s.
      expect(level.points.map((p) => [p.t.slice(11, 19), p.last])).toEqual([
        ['00:00:00', 50],
        ['00:00:06', 50.6],
        ['00:00:10', 52],
        ['00:01:10', 52],
        ['00:02:10', 52],
      ]);
      const fault = h?.series[1] as BooleanSeries;
      expect(fault.points).toEqual([{ t: '2026-11-30T00:00:00.000Z', value: false }]);
    });

    it('downsamples to at most maxPoints buckets with min/max/avg/last, and gives the value in force at from', async () => {
      const store0 = await fx.open({ deadbandPercent: 0 });
      try {
        // 0,1,2,…,99 % over 100 scans of 2 s: buckets of 40 s hold 20 scans each.
        await store0.writeScans(
          Array.from({ length: 100 }, (_, n) => scan('m2', n, { FillLevel: n })),
        );
        const h = await store0.history({
          machineId: 'm2',
          tags: ['FillLevel'],
          ...range(T0 + 2_000, T0 + 200_000),
          maxPoints: 5,
        });
        const s = h?.series[0] as NumericSeries;
        expect(s.bucketMs).toBe(39_600);
        expect(s.points.length).toBeLessThanOrEqual(5);
        expect(s.initial).toEqual({ t: '2026-11-30T00:00:00.000Z', value: 0 });
        expect(s.points[0]).toMatchObject({
          t: '2026-11-30T00:00:02.000Z',
          min: 1,
          max: 20,
          last: 20,
          count: 20,
        });
        expect(s.points[0]?.avg).toBeCloseTo(10.5);
        expect(s.points.reduce((n, p) => n + p.count, 0)).toBe(99);
        expect(s.unit).toBe('%');
      } finally {
        await store0.close();
      }
    });

    it('gives each bucket the time-weighted average: every value weighted by how long it was in force', async () => {
      const store0 = await fx.open({ deadbandPercent: 0 });
      try {
        // FillLevel 10 at 0 s, 40 from 6 s, 0 from 18 s (the newest scan): three stored samples.
        const level = (n: number) => (n < 3 ? 10 : n < 9 ? 40 : 0);
        await store0.writeScans(
          Array.from({ length: 10 }, (_, n) => scan('tw', n, { FillLevel: level(n) })),
        );
        const twa = async (from: number, to: number) => {
          const h = await store0.history({
            machineId: 'tw',
            tags: ['FillLevel'],
            ...range(from, to),
            maxPoints: 2,
          });
          return (h?.series[0] as NumericSeries).points.map((p) => ({
            avg: p.avg,
            twa: p.twa,
            last: p.last,
          }));
        };
        // [0, 10 s): 10 for 6 s, 40 for 4 s → 22 (the plain mean of the stored values is 25).
        // [10 s, 20 s): 40 in force from before until 18 s, then 0 until the data ends at 18 s → 40.
        expect(await twa(T0, T0 + 20_000)).toEqual([
          { avg: 25, twa: 22, last: 40 },
          { avg: 0, twa: 40, last: 0 },
        ]);
        // From 2 s: the value in force before (10) holds until 6 s: (4 × 10 + 6 × 40) / 10 = 28.
        expect(await twa(T0 + 2_000, T0 + 22_000)).toEqual([
          { avg: 40, twa: 28, last: 40 },
          { avg: 0, twa: 40, last: 0 },
        ]);
      } finally {
        await store0.close();
      }
    });

    it('gives boolean tags as change points, merging per bucket when there are more than maxPoints', async () => {
      const scans = Array.from({ length: 40 }, (_, n) => scan('m1', n, { Fault: n % 2 === 1 }));
      await store.writeScans(scans);
      const h = await store.history({
        machineId: 'm1',
        tags: ['Fault'],
        ...range(T0, T0 + 80_000),
        maxPoints: 100,
      });
      const s = h?.series[0] as BooleanSeries;
      expect(s.points).toHaveLength(40);
      expect(s.points.slice(0, 3).map((p) => p.value)).toEqual([false, true, false]);
      const few = await store.history({
        machineId: 'm1',
        tags: ['Fault'],
        ...range(T0, T0 + 80_000),
        maxPoints: 10,
      });
      expect((few?.series[0] as BooleanSeries).points.length).toBeLessThanOrEqual(10);
      expect(
        await store.history({
          machineId: 'x',
          tags: ['Fault'],
          ...range(T0, T0 + 1),
          maxPoints: 1,
        }),
      ).toBeUndefined();
    });

    it('lists alarm transitions (raised, cleared) of one machine or all, in time order', async () => {
      await store.writeScans([
        scan('m1', 0),
        scan('m1', 1, { Overfill: true }),
        scan('m1', 2, { Overfill: true }),
        scan('m1', 3, { Overfill: false }),
        scan('m2', 0, { CapMissing: true }, T0 + 3_000),
      ]);
      const all = await store.alarmTransitions(range(T0, T0 + 60_000));
      expect(
        all.map((a) => [a.machineId, a.alarm, a.transition, a.timestamp.slice(11, 19)]),
      ).toEqual([
        ['m1', 'Overfill', 'raised', '00:00:02'],
        ['m2', 'CapMissing', 'raised', '00:00:03'],
        ['m1', 'Overfill', 'cleared', '00:00:06'],
      ]);
      expect(
        await store.alarmTransitions({ ...range(T0, T0 + 60_000), machineId: 'm2' }),
      ).toHaveLength(1);
    });

    it('lists machines with their connection state, and keeps the newest connection message', async () => {
      await store.writeScans([scan('m2', 0), scan('m1', 0)]);
      await store.setConnection('m1', 'online', T0 + 1_000, 2_000);
      await store.setConnection('m1', 'offline', T0, undefined); // older: ignored
      await store.setConnection('m3', 'offline', T0);
      const machines = await store.listMachines();
      expect(
        machines.map((m) => [m.machineId, m.connection, m.publishIntervalMs, m.lastSequence]),
      ).toEqual([
        ['m1', 'online', 2_000, 0],
        ['m2', null, null, 0],
        ['m3', 'offline', null, null],
      ]);
    });

    it('drops data older than the retention period and keeps the rest', async () => {
      const day = 86_400_000;
      await store.writeScans([scan('m1', 0, {}, T0 - 10 * day), scan('m1', 1, {}, T0)]);
      const result = await store.enforceRetention(5, T0 + 1_000);
      expect(result.removed).toBeGreaterThan(0);
      const scans = await store.scans('m1', range(T0 - 20 * day, T0 + day), 10);
      expect(scans?.map((s) => s.sequence)).toEqual([1]);
    });

    it('reopens the same database (migrations run once) with the data still there', async () => {
      await store.writeScans([scan('m1', 0)]);
      const again = await fx.open();
      try {
        expect((await again.getMachine('m1'))?.lastSequence).toBe(0);
        await again.checkWritable();
      } finally {
        await again.close();
      }
    });

    it('rejects a batch with an unparseable time and stores none of it', async () => {
      await expect(
        store.writeScans([scan('m1', 0), { ...scan('m1', 1), timestamp: 'yesterday' }]),
      ).rejects.toThrow(/timestamp/);
      expect(await store.getMachine('m1')).toBeUndefined();
    });
  });
}
