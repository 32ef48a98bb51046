import { describe, expect, it } from 'vitest';
import type { AlarmJournalEntry } from './alarm-journal.js';
import type { HistorianStore } from './historian-store.js';
import { scan, T0 } from './test-scans.test-helper.js';

/** A journal line raising `alarm` of `machineId` at `at` (first-out, unacknowledged). */
export const raised = (machineId: string, alarm: string, at: number): AlarmJournalEntry => ({
  machineId,
  alarm,
  event: 'raised',
  state: 'unacknowledged-active',
  at,
  user: null,
  firstOut: true,
  active: true,
  raisedAt: at,
  acknowledgedAt: null,
  acknowledgedBy: null,
  clearedAt: null,
});

/** The store a contract's tests run against, opened afresh for each test. */
export interface StoreUnderTest {
  readonly store: HistorianStore;
  /** Closes the store and opens the same database again (a gateway restart). */
  reopen(): Promise<void>;
}

/**
 * What every engine's alarm journal and scan-values query must do, against a real database: run
 * inside {@link describeStoreContract}, which opens and removes the database around each test.
 */
export function describeAlarmJournalContract(current: StoreUnderTest): void {
  describe('alarm journal', () => {
    it('journals transitions with every field, filters them and keeps the newest within the limit', async () => {
      const ack: AlarmJournalEntry = {
        ...raised('m1', 'Overfill', T0),
        event: 'acknowledged',
        state: 'acknowledged-active',
        at: T0 + 5_000,
        user: 'op-1',
        acknowledgedAt: T0 + 5_000,
        acknowledgedBy: 'op-1',
        topic: 'plc/bottlefiller/m1/alarms/events',
      };
      const cleared: AlarmJournalEntry = {
        ...ack,
        event: 'cleared',
        state: 'normal',
        at: T0 + 9_000,
        user: null,
        active: false,
        clearedAt: T0 + 9_000,
      };
      await current.store.appendAlarmEvents([
        raised('m1', 'Overfill', T0),
        raised('m2', 'NoBottle', T0),
      ]);
      await current.store.appendAlarmEvents([ack]);
      await current.store.appendAlarmEvents([cleared]);
      await current.store.appendAlarmEvents([]);

      const all = await current.store.alarmJournal({ from: T0, to: T0 + 60_000 });
      expect(all.map((e) => [e.machineId, e.event])).toEqual([
        ['m1', 'raised'],
        ['m2', 'raised'],
        ['m1', 'acknowledged'],
        ['m1', 'cleared'],
      ]);
      const { id, ...stored } = all[3]!;
      expect(id).toBeGreaterThan(all[0]!.id);
      expect(stored).toEqual(cleared);
      // Lines written without a topic read back with topic null.
      expect(all[1]!.topic).toBeNull();
      expect(
        (await current.store.alarmJournal({ from: T0, to: T0 + 60_000, machineId: 'm2' })).map(
          (e) => e.alarm,
        ),
      ).toEqual(['NoBottle']);
      expect(
        (await current.store.alarmJournal({ from: T0, to: T0 + 60_000, alarm: 'Overfill' })).length,
      ).toBe(3);
      expect(
        (await current.store.alarmJournal({ from: T0, to: T0 + 60_000, event: 'acknowledged' }))[0]
          ?.user,
      ).toBe('op-1');
      // Half-open range, and the limit keeps the newest lines.
      expect(await current.store.alarmJournal({ from: T0 + 5_000, to: T0 + 9_000 })).toHaveLength(
        1,
      );
      expect(
        (await current.store.alarmJournal({ from: T0, to: T0 + 60_000, limit: 2 })).map(
          (e) => e.event,
        ),
      ).toEqual(['acknowledged', 'cleared']);
    });

    it('gives the newest line of every alarm (to rebuild from), also after reopening', async () => {
      await current.store.appendAlarmEvents([
        raised('m1', 'Overfill', T0),
        raised('m1', 'Underfill', T0),
      ]);
      await current.store.appendAlarmEvents([
        {
          ...raised('m1', 'Overfill', T0),
          event: 'cleared',
          state: 'unacknowledged-returned-to-normal',
          at: T0 + 2_000,
          active: false,
          clearedAt: T0 + 2_000,
        },
      ]);
      await current.reopen();
      const latest = await current.store.latestAlarmEntries();
      expect(latest.map((e) => [e.alarm, e.state, e.clearedAt])).toEqual([
        ['Overfill', 'unacknowledged-returned-to-normal', T0 + 2_000],
        ['Underfill', 'unacknowledged-active', null],
      ]);
    });

    it('retention drops old journal lines but keeps each alarm’s newest', async () => {
      const old = T0 - 40 * 86_400_000;
      await current.store.appendAlarmEvents([
        raised('m1', 'Overfill', old),
        raised('m1', 'NoBottle', old),
      ]);
      await current.store.appendAlarmEvents([
        { ...raised('m1', 'NoBottle', T0), event: 'cleared' },
      ]);
      await current.store.enforceRetention(30, T0);
      const left = await current.store.alarmJournal({ from: old - 1, to: T0 + 1 });
      expect(left.map((e) => [e.alarm, e.at])).toEqual([
        ['Overfill', old],
        ['NoBottle', T0],
      ]);
    });

    it('gives the tag values in force at every scan, from the last scan before the range on', async () => {
      // Scans every 2 s; Fault from scan 2 to 4, BottlesFilled counting up.
      await current.store.writeScans(
        [0, 1, 2, 3, 4, 5].map((n) =>
          scan('m1', n, { Fault: n >= 2 && n < 4, BottlesFilled: 100 + n * (n < 2 ? 1 : 0) }),
        ),
      );
      const values = await current.store.tagValuesAtScans({
        machineId: 'm1',
        tags: ['Fault', 'BottlesFilled'],
        from: T0 + 3_000,
        to: T0 + 9_000,
      });
      expect(values?.map((v) => [v.at - T0, v.sequence, v.values])).toEqual([
        [2_000, 1, { Fault: false, BottlesFilled: 101 }],
        [4_000, 2, { Fault: true, BottlesFilled: 100 }],
        [6_000, 3, { Fault: true, BottlesFilled: 100 }],
        [8_000, 4, { Fault: false, BottlesFilled: 100 }],
      ]);
      expect(
        await current.store.tagValuesAtScans({
          machineId: 'nobody',
          tags: ['Fault'],
          from: T0,
          to: T0 + 1,
        }),
      ).toBeUndefined();
      expect(
        await current.store.tagValuesAtScans({
          machineId: 'm1',
          tags: ['Fault'],
          from: T0 - 9_000,
          to: T0,
        }),
      ).toEqual([]);
    });
  });
}
