import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistorian, type HistorianStore } from '@ot-mqtt/historian';
import type { AlarmEventPayload, DataPayload } from '@ot-mqtt/tag-model';
import { createAlarmServer } from './alarm-server.js';
import { silent } from './api-test.test-helper.js';
import { someTags } from './gateway-process.test-helper.js';

const T0 = Date.parse('2026-11-30T08:00:00.000Z');
const scan = (sequence: number, overfill: boolean): DataPayload => ({
  schemaVersion: 1,
  machineId: 'filler-01',
  sequence,
  timestamp: new Date(T0 + sequence * 1_000).toISOString(),
  tags: { ...someTags(), alarms: { ...someTags().alarms, Overfill: overfill } },
});
const TOPIC = 'plc/bottlefiller/filler-01/data';

// The database going away is simulated on a real SQLite store: its journal write throws while
// `down` is set (the retry and acknowledgement logic under test is the alarm server's).
describe('alarm server while the database is away', () => {
  let dir: string;
  let real: HistorianStore;
  let down: boolean;
  let store: HistorianStore;
  const published: AlarmEventPayload[] = [];
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-alarm-server-'));
    real = await openHistorian(join(dir, 'h.sqlite'));
    down = false;
    published.length = 0;
    store = Object.create(real, {
      appendAlarmEvents: {
        value: async (lines: Parameters<HistorianStore['appendAlarmEvents']>[0]) => {
          if (down) throw new Error('database unavailable');
          return real.appendAlarmEvents(lines);
        },
      },
    }) as HistorianStore;
  });
  afterEach(async () => {
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = (ackJournalTimeoutMs?: number) =>
    createAlarmServer({
      store,
      log: silent,
      topicRoot: 'plc/bottlefiller',
      publish: (_topic, payload) => published.push(payload),
      ...(ackJournalTimeoutMs === undefined ? {} : { ackJournalTimeoutMs }),
    });

  it('holds the scan (no acknowledgement) and the event until the journal is written, retrying', async () => {
    const server = await start();
    await server.onScan(scan(0, false), TOPIC);
    down = true;
    let settled = false;
    const pending = server.onScan(scan(1, true), TOPIC).then(() => (settled = true));
    await expect.poll(() => server.journalFailures).toBe(1);
    expect(settled).toBe(false);
    expect(published).toEqual([]);
    down = false;
    await pending;
    expect(published.map((e) => [e.alarm, e.event])).toEqual([['Overfill', 'raised']]);
    const journal = await real.alarmJournal({ from: T0, to: T0 + 60_000 });
    expect(journal.map((e) => e.event)).toEqual(['raised']);
    await server.close();
  });

  it('stopping gives up the write: the scan is not acknowledged, nothing is published', async () => {
    const server = await start();
    await server.onScan(scan(0, false), TOPIC);
    down = true;
    const pending = server.onScan(scan(1, true), TOPIC);
    await expect.poll(() => server.journalFailures).toBe(1);
    await server.close();
    await expect(pending).rejects.toThrow(/stopped before journalling/u);
    expect(published).toEqual([]);
    // A restarted server (database back) sees the redelivered scan raise the alarm again.
    down = false;
    const again = await start();
    await again.onScan(scan(1, true), TOPIC);
    expect(published.map((e) => e.event)).toEqual(['raised']);
    await again.close();
  });

  it('an acknowledgement answers journal-unavailable when its line cannot be written in time', async () => {
    const server = await start(200);
    await server.onScan(scan(0, true), TOPIC);
    down = true;
    const result = await server.acknowledge('filler-01', 'Overfill', 'anna');
    expect(result).toMatchObject({ ok: false, reason: 'journal-unavailable' });
    down = false;
    await expect
      .poll(async () => (await real.alarmJournal({ from: 0, to: Date.now() + 1 })).length)
      .toBe(2);
    expect(published.map((e) => e.event)).toEqual(['raised', 'acknowledged']);
    await server.close();
  });

  it('an alarm storm is journalled in few writes, every line in order, every scan held until its line is written', async () => {
    let writes = 0;
    const counting = Object.create(real, {
      appendAlarmEvents: {
        value: async (lines: Parameters<HistorianStore['appendAlarmEvents']>[0]) => {
          writes++;
          return real.appendAlarmEvents(lines);
        },
      },
    }) as HistorianStore;
    const server = await createAlarmServer({
      store: counting,
      log: silent,
      topicRoot: 'plc/bottlefiller',
      publish: (_topic, payload) => published.push(payload),
    });
    const fleet = Array.from({ length: 50 }, (_, n) => `filler-${n}`);
    const storm = (sequence: number, overfill: boolean) =>
      Promise.all(
        fleet.map((id) =>
          server.onScan(
            { ...scan(sequence, overfill), machineId: id },
            `plc/bottlefiller/${id}/data`,
          ),
        ),
      );
    await storm(0, false);
    await storm(1, true);
    await storm(2, false);
    expect(published.filter((e) => e.event === 'raised')).toHaveLength(50);
    expect(published.filter((e) => e.event === 'cleared')).toHaveLength(50);
    expect(writes).toBeLessThanOrEqual(4);
    const journal = await real.alarmJournal({ from: T0, to: T0 + 60_000 });
    expect(journal.map((e) => e.event)).toEqual([
      ...fleet.map(() => 'raised'),
      ...fleet.map(() => 'cleared'),
    ]);
    await server.close();
  });
});
