import { describe, expect, it } from 'vitest';
import { foldAlarmStatus, journalCsv, parseAlarmJournal } from './alarm-records.js';

describe('alarm journal', () => {
  it('folds transitions into ISA-18.2 states: ack before clear, clear before ack', () => {
    const journal = parseAlarmJournal([
      {
        machineId: 'f-1',
        alarm: 'Overfill',
        event: 'raised',
        at: '2026-01-01T00:00:00.000Z',
        firstOut: true,
      },
      {
        machineId: 'f-1',
        alarm: 'Overfill',
        event: 'acknowledged',
        at: '2026-01-01T00:00:05.000Z',
        user: 'op1',
      },
      { machineId: 'f-1', alarm: 'NoBottle', event: 'raised', at: '2026-01-01T00:00:01.000Z' },
      { machineId: 'f-1', alarm: 'NoBottle', event: 'cleared', at: '2026-01-01T00:00:02.000Z' },
      { bogus: true },
    ]);
    expect(journal).toHaveLength(4);
    const status = foldAlarmStatus(journal);
    expect(status.get('f-1/Overfill')).toMatchObject({
      active: true,
      acknowledged: true,
      acknowledgedBy: 'op1',
      firstOut: true,
    });
    expect(status.get('f-1/NoBottle')).toMatchObject({ active: false, acknowledged: false });
  });

  it('reads lifecycle state names as the gateway may send them', () => {
    const status = foldAlarmStatus(
      parseAlarmJournal({
        alarms: [
          {
            machineId: 'f-2',
            alarm: 'CapMissing',
            state: 'unacknowledged-active',
            raisedAt: '2026-01-01T00:00:00.000Z',
          },
          {
            machineId: 'f-2',
            alarm: 'Underfill',
            state: 'unacknowledged-returned-to-normal',
            clearedAt: '2026-01-01T00:00:03.000Z',
          },
          {
            machineId: 'f-2',
            alarm: 'Overfill',
            state: 'acknowledged-active',
            acknowledgedAt: '2026-01-01T00:00:04.000Z',
          },
        ],
      }),
    );
    expect(status.get('f-2/CapMissing')).toMatchObject({ active: true, acknowledged: false });
    expect(status.get('f-2/Underfill')).toMatchObject({ active: false, acknowledged: false });
    expect(status.get('f-2/Overfill')).toMatchObject({ active: true, acknowledged: true });
  });

  it('exports CSV with a header, quoting, and no spreadsheet formulas', () => {
    const csv = journalCsv([
      { machineId: 'f-1', alarm: 'Overfill', event: 'acknowledged', at: 0, user: '=cmd|"x"' },
    ]);
    expect(csv).toBe(
      `time,machineId,alarm,event,user,firstOut\r\n1970-01-01T00:00:00.000Z,f-1,Overfill,acknowledged,"'=cmd|""x""",\r\n`,
    );
  });
});
