import { describe, expect, it } from 'vitest';
import {
  applyJournalEntry,
  compareAlarmRecords,
  journalCsv,
  parseAlarmJournal,
  parseAlarmRecords,
} from './alarm-records.js';

// Shapes of the gateway's alarm server (issue 12, /work NOTES 11:10): GET /api/alarms,
// GET /api/alarms/journal and the MQTT alarm event payload.
const record = (over: Record<string, unknown>) => ({
  machineId: 'f-1',
  alarm: 'Overfill',
  state: 'unacknowledged-active',
  active: true,
  acknowledged: false,
  firstOut: false,
  raisedAt: '2026-01-01T00:00:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  clearedAt: null,
  ...over,
});

describe('alarm records and journal', () => {
  it('reads lifecycle records, skipping bad ones instead of blanking the list', () => {
    const records = parseAlarmRecords([
      record({ firstOut: true }),
      record({
        alarm: 'NoBottle',
        state: 'acknowledged-active',
        acknowledgedAt: '2026-01-01T00:00:05.000Z',
        acknowledgedBy: 'op1',
      }),
      record({ alarm: 'CapMissing', state: 'unacknowledged-returned-to-normal' }),
      record({ state: 'exploded' }),
      { bogus: true },
      null,
    ]);
    expect(records.map((r) => [r.alarm, r.active, r.acknowledged])).toEqual([
      ['Overfill', true, false],
      ['NoBottle', true, true],
      ['CapMissing', false, false],
    ]);
    expect(records[0]).toMatchObject({ firstOut: true, raisedAt: Date.parse('2026-01-01') });
    expect(records[1]).toMatchObject({ acknowledgedBy: 'op1' });
    expect(parseAlarmRecords({ error: 'x' })).toEqual([]);
  });

  it('orders unacknowledged-active, unacknowledged cleared, acknowledged-active; newest first', () => {
    const records = parseAlarmRecords([
      record({ alarm: 'A', state: 'acknowledged-active' }),
      record({ alarm: 'B', state: 'unacknowledged-returned-to-normal' }),
      record({ alarm: 'C', raisedAt: '2026-01-01T00:00:00.000Z' }),
      record({ alarm: 'D', raisedAt: '2026-01-01T00:01:00.000Z' }),
    ]);
    expect(records.sort(compareAlarmRecords).map((r) => r.alarm)).toEqual(['D', 'C', 'B', 'A']);
  });

  it('applies an alarm event to the record at once: raise, acknowledge, clear', () => {
    const event = (over: Record<string, unknown>) =>
      parseAlarmJournal({
        schemaVersion: 1,
        machineId: 'f-1',
        alarm: 'Overfill',
        timestamp: '2026-01-01T00:00:00.000Z',
        firstOut: true,
        ...over,
      })[0]!;
    let r = applyJournalEntry(
      undefined,
      event({ event: 'raised', state: 'unacknowledged-active' }),
    );
    expect(r).toMatchObject({ active: true, acknowledged: false, firstOut: true });
    r = applyJournalEntry(
      r,
      event({
        event: 'acknowledged',
        state: 'acknowledged-active',
        user: 'op1',
        timestamp: '2026-01-01T00:00:03.000Z',
      }),
    );
    expect(r).toMatchObject({ active: true, acknowledged: true, acknowledgedBy: 'op1' });
    r = applyJournalEntry(r, event({ event: 'cleared', state: 'normal' }));
    expect(r).toMatchObject({ state: 'normal', active: false, acknowledged: true });
  });

  it('reads the journal oldest first and skips entries without event, state or time', () => {
    const journal = parseAlarmJournal([
      {
        id: 2,
        machineId: 'f-1',
        alarm: 'Overfill',
        event: 'acknowledged',
        state: 'acknowledged-active',
        timestamp: '2026-01-01T00:00:05.000Z',
        user: 'op1',
        firstOut: false,
      },
      {
        id: 1,
        machineId: 'f-1',
        alarm: 'Overfill',
        event: 'raised',
        state: 'unacknowledged-active',
        timestamp: '2026-01-01T00:00:00.000Z',
        firstOut: true,
      },
      { machineId: 'f-1', alarm: 'Overfill', event: 'raised', state: 'unacknowledged-active' },
      { machineId: 'f-1', alarm: 'Overfill', event: 'boom', state: 'normal', timestamp: 'x' },
    ]);
    expect(journal.map((e) => e.event)).toEqual(['raised', 'acknowledged']);
    expect(journal[1]).toMatchObject({ user: 'op1' });
  });

  it('exports CSV with a header, quoting, and no spreadsheet formulas', () => {
    const csv = journalCsv([
      {
        machineId: 'f-1',
        alarm: 'Overfill',
        event: 'acknowledged',
        state: 'acknowledged-active',
        at: 0,
        user: '=cmd|"x"',
        firstOut: false,
      },
    ]);
    expect(csv).toBe(
      `time,machineId,alarm,event,state,user,firstOut\r\n1970-01-01T00:00:00.000Z,f-1,Overfill,acknowledged,acknowledged-active,"'=cmd|""x""",\r\n`,
    );
  });
});
